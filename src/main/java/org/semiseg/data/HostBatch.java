package org.semiseg.data;

/**
 * A batch decoded and augmented on a loader thread, still in Java arrays.
 *
 * @param images       normalised images (N, 3, H, W), row-major
 * @param strongImages the same crops after strong photometric augmentation (N, 3, H, W), or null when the loader
 *                     makes one view only
 * @param masks        class indices (N, H, W), or null when the batch is unlabeled
 * @param ids          sample ids, in batch order
 */
public record HostBatch(float[] images, float[] strongImages, int[] masks, String[] ids, int size, int height, int width) {
}
