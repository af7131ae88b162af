package org.semiseg.train;

import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Augmentations;
import org.semiseg.config.AugmentConfig;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

/**
 * The per-sample augmentation of a run, from {@code augment.*}: labeled images get their preset in full (image and
 * mask together); unlabeled images get their preset's geometric part (the view a teacher labels) and, as a second
 * view of the same pixels, its photometric part.
 *
 * <p>Without {@code augment.crop}, a rescaled image is cropped (or padded with the ignore index) back to its size on
 * load, so images of one size still batch together (as the authors' {@code random_scale_crop} does).
 */
final class TrainAugment {
    private TrainAugment() {
    }

    static BatchLoader.Transform labeled(AugmentConfig augment, int ignoreIndex) {
        AugmentPreset preset = AugmentPreset.named(augment.labeled());
        BatchLoader.Transform geometric = geometric(preset, augment, ignoreIndex);
        BatchLoader.Transform photometric = Augmentations.photometric(preset);
        return (s, rng) -> photometric.apply(geometric.apply(s, rng), rng);
    }

    /**
     * The teacher's view of an unlabeled image. Its mask is replaced by a padding mask (0 everywhere, so the ignore
     * index marks exactly the pixels the crop padded): pseudo-labels leave those out, and a mask the file may have is
     * never seen.
     */
    static BatchLoader.Transform unlabeledWeak(AugmentConfig augment, int ignoreIndex) {
        BatchLoader.Transform geometric = geometric(AugmentPreset.named(augment.unlabeled()), augment, ignoreIndex);
        return (s, rng) -> geometric.apply(new Sample(s.id(), s.image(), new int[s.height() * s.width()], s.height(), s.width()), rng);
    }

    static BatchLoader.Transform unlabeledStrong(AugmentConfig augment) {
        return Augmentations.photometric(AugmentPreset.named(augment.unlabeled()));
    }

    private static BatchLoader.Transform geometric(AugmentPreset preset, AugmentConfig augment, int ignoreIndex) {
        return Augmentations.geometric(preset, augment.cropHeight(), augment.cropWidth(), ignoreIndex);
    }
}
