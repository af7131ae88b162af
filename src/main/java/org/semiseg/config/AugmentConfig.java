package org.semiseg.config;

import java.util.List;

/**
 * Training-time augmentation. The presets are those of Table 1 of Alonso et al. (ICCV 2021): {@code weak} for
 * labeled images and {@code strong} for unlabeled ones; {@code none} turns augmentation off.
 *
 * @param labeled   preset applied to labeled images (image and mask together)
 * @param unlabeled preset applied to unlabeled images: its geometric part gives the view the teacher labels, its
 *                  photometric part (colour jitter, blur) the strong view the student learns from
 * @param crop      random crop {@code [height, width]} after scaling (padded with the ignore index when the image is
 *                  smaller); null trains on whole images, which must then share one size
 */
public record AugmentConfig(String labeled, String unlabeled, List<Integer> crop) {
    public static final List<String> PRESETS = List.of("none", "weak", "strong");

    public AugmentConfig {
        Check.oneOf("augment.labeled", labeled, PRESETS);
        Check.oneOf("augment.unlabeled", unlabeled, PRESETS);
        if (crop != null && (crop.size() != 2 || crop.get(0) == null || crop.get(1) == null || crop.get(0) < 8 || crop.get(1) < 8)) {
            throw ConfigException.key("augment.crop", "must be [height, width] with each at least 8, or null (got " + crop + ")");
        }
    }

    public int cropHeight() {
        return crop == null ? 0 : crop.get(0);
    }

    public int cropWidth() {
        return crop == null ? 0 : crop.get(1);
    }
}
