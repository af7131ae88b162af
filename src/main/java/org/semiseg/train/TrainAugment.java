package org.semiseg.train;

import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Augmentations;
import org.semiseg.config.AugmentConfig;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;
import org.semiseg.data.UnlabeledViews;

import java.util.function.Function;

/**
 * The per-sample augmentation of a run, from {@code augment.*} and the method's presets
 * ({@link org.semiseg.method.Method.Inputs#labeledAugment}): labeled images get their preset in full (image and
 * mask together); unlabeled images get the view a teacher labels and strong views with the preset's photometric
 * part, each its own geometric view of the teacher's view or the teacher's pixels again ({@link #unlabeled}).
 *
 * <p>Without {@code augment.crop}, a rescaled image is cropped (or padded with the ignore index) back to its size on
 * load, so images of one size still batch together (as the authors' {@code random_scale_crop} does).
 */
final class TrainAugment {
    private TrainAugment() {
    }

    static BatchLoader.Transform labeled(AugmentConfig augment, AugmentPreset preset, int ignoreIndex) {
        BatchLoader.Transform geometric = geometric(preset, augment, ignoreIndex);
        BatchLoader.Transform photometric = Augmentations.photometric(preset);
        return (s, rng) -> photometric.apply(geometric.apply(s, rng), rng);
    }

    /**
     * The views of an unlabeled image, the mask replaced by a padding mask (0 everywhere, so the ignore index marks
     * exactly the pixels the crop padded): pseudo-labels leave those out, and a mask the file may have is never seen.
     * <ul>
     *   <li>{@code sharedGeometry}: the teacher's (weak) view is the preset's geometric part, and each of the
     *       {@code count} strong views the preset's photometric part of its pixels;</li>
     *   <li>otherwise (Table 1 of Alonso et al. and their code): the teacher's view is the crop alone, the image as
     *       loaded (Eq. 5 labels the un-augmented image), and each strong view the preset's geometric part (scale,
     *       crop, flip) of the teacher's view, then its photometric part; every image pixel of a strong view then
     *       shows a point the teacher labelled.</li>
     * </ul>
     */
    static UnlabeledViews unlabeled(AugmentConfig augment, AugmentPreset preset, int ignoreIndex, int count,
                                    boolean sharedGeometry) {
        return unlabeled(augment, preset, ignoreIndex, count, sharedGeometry, null);
    }

    /**
     * {@link #unlabeled}, the mask of the weak view carrying the tagged images' pseudo-masks as well: the padding mask's
     * 0 becomes the pseudo-mask's class where it labels the pixel and {@link #NO_WEAK_LABEL} elsewhere (every pixel of
     * an untagged image), so one geometric transform moves both; {@link StepBatches} takes them apart.
     *
     * @param pseudoMask the pseudo-mask of a sample at its size (class indices, the ignore index where none), or
     *                   null for an untagged sample; null: no pseudo-masks
     */
    static UnlabeledViews unlabeled(AugmentConfig augment, AugmentPreset preset, int ignoreIndex, int count,
                                    boolean sharedGeometry, Function<Sample, int[]> pseudoMask) {
        int cropH = augment.cropHeight();
        int cropW = augment.cropWidth();
        BatchLoader.ViewTransform geometric = Augmentations.geometricView(preset, cropH, cropW, ignoreIndex);
        BatchLoader.ViewTransform weak = sharedGeometry ? geometric
                : Augmentations.geometricView(AugmentPreset.NONE, cropH, cropW, ignoreIndex);
        BatchLoader.ViewTransform padded = (s, rng) ->
                weak.apply(new Sample(s.id(), s.image(), loaderMask(s, pseudoMask, ignoreIndex), s.height(), s.width()), rng);
        BatchLoader.Transform photometric = Augmentations.photometric(preset);
        return sharedGeometry ? UnlabeledViews.shared(padded, photometric, count)
                : UnlabeledViews.independent(padded, geometric, photometric, count);
    }

    /** A pixel of the weak view's loader mask that no pseudo-mask labels (not padded: padding is the ignore index). */
    static final int NO_WEAK_LABEL = -1;

    private static int[] loaderMask(Sample s, Function<Sample, int[]> pseudoMask, int ignoreIndex) {
        int[] mask = new int[s.height() * s.width()];
        if (pseudoMask == null) {
            return mask;
        }
        int[] pseudo = pseudoMask.apply(s);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = pseudo == null || pseudo[i] == ignoreIndex ? NO_WEAK_LABEL : pseudo[i];
        }
        return mask;
    }

    private static BatchLoader.Transform geometric(AugmentPreset preset, AugmentConfig augment, int ignoreIndex) {
        return Augmentations.geometric(preset, augment.cropHeight(), augment.cropWidth(), ignoreIndex);
    }
}
