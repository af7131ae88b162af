package org.semiseg.data;

/**
 * A batch decoded and augmented on a loader thread, still in Java arrays.
 *
 * @param images       normalised images (N, 3, H, W), row-major
 * @param strongViews  the same crops after strong photometric augmentation, one (N, 3, H, W) array per view (each
 *                     view draws its own jitter and blur), or null when the loader makes one view only
 * @param masks        class indices (N, H, W), or null when the batch carries no masks; an unlabeled batch may carry
 *                     its padding mask here (0 on image pixels, the ignore index where an augmentation padded)
 * @param ids          sample ids, in batch order
 */
public record HostBatch(float[] images, float[][] strongViews, int[] masks, String[] ids, int size, int height, int width) {
    /** The first strong view, or null. */
    public float[] strongImages() {
        return strongViews == null ? null : strongViews[0];
    }
}
