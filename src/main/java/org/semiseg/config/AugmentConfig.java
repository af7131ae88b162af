package org.semiseg.config;

import org.semiseg.augment.AugmentPreset;

import java.util.List;

/**
 * Training-time augmentation, by preset ({@link AugmentPreset}): {@code weak} and {@code strong} are Table 1 of
 * Alonso et al. (ICCV 2021), {@code unimatch-weak} and {@code unimatch-strong} UniMatch's (Yang et al., CVPR 2023);
 * {@code none} turns augmentation off. Null (the default) takes the method's own recipe
 * ({@link org.semiseg.method.Method.Inputs}): Table 1's for Alonso et al.'s methods and supervised, UniMatch's for
 * {@code fixmatch} and {@code unimatch}.
 *
 * @param labeled   preset applied to labeled images (image and mask together), or null for the method's
 * @param unlabeled preset applied to unlabeled images: its geometric part cuts the strong views from the view the
 *                  teacher labels (Alonso et al.'s methods; that view is the image cropped only) or gives both views
 *                  their shared geometry (the other methods), its photometric part (colour jitter, grayscale, blur)
 *                  makes the strong views the student learns from; or null for the method's
 * @param crop      random crop {@code [height, width]} after scaling (padded with the ignore index when the image is
 *                  smaller); null trains on whole images, which must then share one size
 */
public record AugmentConfig(String labeled, String unlabeled, List<Integer> crop) {
    public static final List<String> PRESETS = AugmentPreset.names();

    public AugmentConfig {
        if (labeled != null) {
            Check.oneOf("augment.labeled", labeled, PRESETS);
        }
        if (unlabeled != null) {
            Check.oneOf("augment.unlabeled", unlabeled, PRESETS);
        }
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
