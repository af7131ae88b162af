package org.semiseg.data;

import org.semiseg.augment.ViewGeometry;

/**
 * A batch decoded and augmented on a loader thread, still in Java arrays.
 *
 * @param images         normalised images (N, 3, H, W), row-major
 * @param strongViews    strong views of the same images, one (N, 3, H, W) array per view (each view draws its own
 *                       photometric changes and, with independent geometry, its own scale, crop and flip: see
 *                       {@link UnlabeledViews}), or null when the loader makes one view only
 * @param masks          class indices (N, H, W), or null when the batch carries no masks; an unlabeled batch may
 *                       carry its padding mask here (0 on image pixels, the ignore index where an augmentation padded)
 * @param ids            sample ids, in batch order
 * @param geometry       per slot (N), the frame the strong views' geometries are given in: how the view in
 *                       {@code images} was cut from its original (one view, or strong views that share its
 *                       geometry), or {@link ViewGeometry#identity} of that view (strong views cut from it: independent
 *                       geometry); null when unknown (e.g. a labeled batch)
 * @param strongGeometry [view][slot] (V, N), how each strong view was cut from the frame of {@code geometry} (the weak
 *                       view's own geometry when views share it); null without strong views or when unknown
 */
public record HostBatch(float[] images, float[][] strongViews, int[] masks, String[] ids, int size, int height, int width,
                        ViewGeometry[] geometry, ViewGeometry[][] strongGeometry) {
    /** A batch without geometry. */
    public HostBatch(float[] images, float[][] strongViews, int[] masks, String[] ids, int size, int height, int width) {
        this(images, strongViews, masks, ids, size, height, width, null, null);
    }

    /** The first strong view, or null. */
    public float[] strongImages() {
        return strongViews == null ? null : strongViews[0];
    }
}
