package org.semiseg.train;

import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Augmentations;
import org.semiseg.config.AugmentConfig;
import org.semiseg.data.BatchLoader;

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

    static BatchLoader.Transform unlabeledWeak(AugmentConfig augment, int ignoreIndex) {
        return geometric(AugmentPreset.named(augment.unlabeled()), augment, ignoreIndex);
    }

    static BatchLoader.Transform unlabeledStrong(AugmentConfig augment) {
        return Augmentations.photometric(AugmentPreset.named(augment.unlabeled()));
    }

    private static BatchLoader.Transform geometric(AugmentPreset preset, AugmentConfig augment, int ignoreIndex) {
        return Augmentations.geometric(preset, augment.cropHeight(), augment.cropWidth(), ignoreIndex);
    }
}
