package org.semiseg.weak;

import java.util.List;

/**
 * Pseudo-masks from normalised class activation maps (CCT, Ouali et al., CVPR 2020, "Using image-level labels":
 * "considering only positions with high confidence"; the thresholds are the authors', {@code conf_fg_thres} 0.30 and
 * {@code conf_bg_thres} 0.05 of their {@code pseudo_labels/run.py}): a pixel becomes class c where c's CAM exceeds
 * the foreground threshold (the strongest such c), background where every CAM is below the background threshold,
 * and is ignored otherwise. As the authors' {@code cam_to_pseudo_labels.py}, the decision goes through two label maps
 * over the image's own tags, {@code 0} = none and {@code k} = its k-th tag ({@link #labelMaps}), which a dense CRF may
 * refine before they are combined ({@link #combine}).
 */
public final class CamThresholds {
    private CamThresholds() {
    }

    /**
     * The foreground and background label maps of one image.
     *
     * @param foreground per pixel: k (1-based position among the tags) where the strongest CAM, tag k's, exceeds the
     *                   foreground threshold; 0 elsewhere
     * @param background per pixel: 0 where every CAM is below the background threshold; else k, the strongest
     */
    public record LabelMaps(int[] foreground, int[] background) {
    }

    /**
     * @param cams       the image's CAMs, one (H·W) map per tag in the order of {@code tags}, normalised to [0, 1]
     * @param foreground threshold above which a pixel is its strongest class
     * @param background threshold below which every CAM must be for background
     */
    public static LabelMaps labelMaps(List<float[]> cams, int pixels, double foreground, double background) {
        // compared in float, the CAMs' type: 0.30f is not above a threshold of 0.30
        float fgThreshold = (float) foreground;
        float bgThreshold = (float) background;
        int[] fg = new int[pixels];
        int[] bg = new int[pixels];
        for (int i = 0; i < pixels; i++) {
            int best = 0;
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < cams.size(); k++) {
                if (cams.get(k)[i] > max) {
                    max = cams.get(k)[i];
                    best = k + 1;
                }
            }
            fg[i] = max > fgThreshold ? best : 0;
            bg[i] = cams.isEmpty() || max < bgThreshold ? 0 : best;
        }
        return new LabelMaps(fg, bg);
    }

    /**
     * The pseudo-mask: tag k's class where {@code foreground} is k; {@code backgroundClass} where both maps are 0;
     * {@code ignoreIndex} elsewhere (and where both are 0 but there is no background class).
     *
     * @param tags            the image's tags (class indices), in the order of the maps' labels 1..
     * @param backgroundClass the class of confident background, or -1 when the dataset has none
     */
    public static int[] combine(LabelMaps maps, List<Integer> tags, int backgroundClass, int ignoreIndex) {
        int[] out = new int[maps.foreground().length];
        for (int i = 0; i < out.length; i++) {
            int fg = maps.foreground()[i];
            if (fg > 0) {
                out[i] = tags.get(fg - 1);
            } else if (maps.background()[i] == 0 && backgroundClass >= 0) {
                out[i] = backgroundClass;
            } else {
                out[i] = ignoreIndex;
            }
        }
        return out;
    }

    /** {@link #combine} of {@link #labelMaps}: the pseudo-mask without a CRF. */
    public static int[] pseudoMask(List<float[]> cams, List<Integer> tags, int pixels, double foreground, double background,
                                   int backgroundClass, int ignoreIndex) {
        return combine(labelMaps(cams, pixels, foreground, background), tags, backgroundClass, ignoreIndex);
    }
}
