package org.semiseg.data;

import org.semiseg.augment.ViewGeometry;

/**
 * How a {@link BatchLoader} makes the views of an unlabeled image: a main (weak) view {@code geometric(s)}, the view a
 * teacher labels, and {@code count} strong views.
 * <ul>
 *   <li>shared geometry: strong view v is {@code photometric(weak)}, the same pixels photometrically changed, and its
 *       {@link ViewGeometry} is the weak view's;</li>
 *   <li>independent geometry (what Table 1 of Alonso et al. and their code do): strong view v is
 *       {@code photometric(geometric(s))} with its own scale, crop and flip drawn from the original sample; the
 *       teacher's labels reach it through {@link ViewGeometry#map}.</li>
 * </ul>
 * All draws come from the slot's generator in a fixed order (weak geometric; then per view: [geometric,] photometric),
 * so a batch depends only on (seed, iteration). Shared geometry draws exactly what the loader drew before views had
 * a geometry.
 *
 * @param geometric      the geometric augmentation with the geometry it applied (e.g.
 *                       {@link org.semiseg.augment.Augmentations#geometricView}); it must give every view of a sample
 *                       the same size (a fixed crop, or a crop back to the original size); its geometry may be null
 *                       when unknown
 * @param photometric    the photometric augmentation of a strong view (must not change the size)
 * @param count          how many strong views (at least 1)
 * @param sharedGeometry true: strong views reuse the weak view's pixels; false: each draws its own geometry
 */
public record UnlabeledViews(BatchLoader.ViewTransform geometric, BatchLoader.Transform photometric, int count,
                             boolean sharedGeometry) {
    public UnlabeledViews {
        if (geometric == null || photometric == null) {
            throw new IllegalArgumentException("unlabeled views need a geometric and a photometric transform");
        }
        if (count < 1) {
            throw new IllegalArgumentException("at least one strong view, got " + count);
        }
    }

    /** Strong views with their own geometry (the training default). */
    public static UnlabeledViews independent(BatchLoader.ViewTransform geometric, BatchLoader.Transform photometric, int count) {
        return new UnlabeledViews(geometric, photometric, count, false);
    }

    /** Strong views that are photometric changes of the weak view's pixels. */
    public static UnlabeledViews shared(BatchLoader.ViewTransform geometric, BatchLoader.Transform photometric, int count) {
        return new UnlabeledViews(geometric, photometric, count, true);
    }
}
