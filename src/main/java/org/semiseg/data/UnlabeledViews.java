package org.semiseg.data;

import org.semiseg.augment.ViewGeometry;

/**
 * How a {@link BatchLoader} makes the views of an unlabeled image: a main (weak) view {@code geometric(s)}, the view a
 * teacher labels, and {@code count} strong views.
 * <ul>
 *   <li>shared geometry ({@code strongGeometric} null): strong view v is {@code photometric(weak)}, the same pixels
 *       photometrically changed, and its {@link ViewGeometry} is the weak view's;</li>
 *   <li>independent geometry (Table 1 of Alonso et al. and their code): strong view v is
 *       {@code photometric(strongGeometric(weak))}, its own scale, crop and flip drawn on the weak view's pixels, so
 *       every image pixel of a strong view shows a point of the weak view and the teacher's labels reach it through
 *       {@link ViewGeometry#map} from {@link ViewGeometry#identity} (the loader reports the weak view's frame as
 *       identity then: {@link HostBatch#geometry()}).</li>
 * </ul>
 * All draws come from the slot's generator in a fixed order (weak geometric; then per view: [geometric,] photometric),
 * so a batch depends only on (seed, iteration). Shared geometry draws exactly what the loader drew before views had
 * a geometry.
 *
 * @param geometric       the weak view's geometric augmentation with the geometry it applied (e.g.
 *                        {@link org.semiseg.augment.Augmentations#geometricView}); its geometry may be null when unknown
 * @param strongGeometric each strong view's geometric augmentation of the weak view, which must keep the weak view's
 *                        size (a fixed crop, or a crop back to the input's size); null: shared geometry
 * @param photometric     the photometric augmentation of a strong view (must not change the size)
 * @param count           how many strong views (at least 1)
 */
public record UnlabeledViews(BatchLoader.ViewTransform geometric, BatchLoader.ViewTransform strongGeometric,
                             BatchLoader.Transform photometric, int count) {
    public UnlabeledViews {
        if (geometric == null || photometric == null) {
            throw new IllegalArgumentException("unlabeled views need a geometric and a photometric transform");
        }
        if (count < 1) {
            throw new IllegalArgumentException("at least one strong view, got " + count);
        }
    }

    /** Whether strong views reuse the weak view's pixels (no geometry of their own). */
    public boolean sharedGeometry() {
        return strongGeometric == null;
    }

    /** Strong views with their own geometry, drawn on the weak view (the default of Alonso et al.'s methods). */
    public static UnlabeledViews independent(BatchLoader.ViewTransform weak, BatchLoader.ViewTransform strongGeometric,
                                             BatchLoader.Transform photometric, int count) {
        if (strongGeometric == null) {
            throw new IllegalArgumentException("independent views need their geometric augmentation");
        }
        return new UnlabeledViews(weak, strongGeometric, photometric, count);
    }

    /** Strong views that are photometric changes of the weak view's pixels. */
    public static UnlabeledViews shared(BatchLoader.ViewTransform geometric, BatchLoader.Transform photometric, int count) {
        return new UnlabeledViews(geometric, null, photometric, count);
    }
}
