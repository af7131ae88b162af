package org.semiseg.config;

import java.util.List;

/**
 * {@code weak:}: how {@code semiseg weak} turns image-level labels (tags) into pseudo-masks, CCT's weak labels (Ouali
 * et al., CVPR 2020, "Using image-level labels"): a classifier on the segmentation encoder learns the tags, its class
 * activation maps at several scales are normalised per class and thresholded, and a dense CRF may refine them.
 *
 * @param iterations      training steps of the classifier (batches of {@code train.batch_size})
 * @param scales          image scales whose CAMs are summed (the authors' 1, 0.5, 1.5, 2)
 * @param foreground      a pixel is class c where c's normalised CAM exceeds this (0.30)
 * @param background      a pixel is background where every CAM is below this (0.05); between the two it is ignored
 * @param backgroundClass the class no tag names and low CAMs stand for; null: the dataset has none (CamVid,
 *                        Cityscapes), and pixels where every CAM is low are ignored
 * @param crf             mean-field iterations of the dense CRF that refines the thresholded maps (the authors' 10);
 *                        0: no CRF
 * @param init            a checkpoint folder of the same {@code model.*} (e.g. a supervised run's
 *                        {@code checkpoints/best} on the same labeled split) whose weights start the classifier's
 *                        encoder; null: {@code model.pretrained} or random, as a run starts
 */
public record WeakConfig(int iterations, List<Double> scales, double foreground, double background,
                         String backgroundClass, int crf, String init) {
    public WeakConfig {
        Check.atLeast("weak.iterations", iterations, 1);
        if (scales == null || scales.isEmpty()) {
            throw ConfigException.key("weak.scales", "needs at least one scale, e.g. [1.0, 0.5, 1.5, 2.0]");
        }
        for (Double s : scales) {
            Check.inRange("weak.scales", s == null ? Double.NaN : s, 0.1, 4.0);
        }
        scales = List.copyOf(scales);
        Check.inRange("weak.foreground", foreground, 0, 1);
        Check.inRange("weak.background", background, 0, 1);
        if (background > foreground) {
            throw ConfigException.key("weak.background", "must not exceed weak.foreground (" + foreground + "), got " + background);
        }
        if (backgroundClass != null && backgroundClass.isBlank()) {
            backgroundClass = null;
        }
        Check.atLeast("weak.crf", crf, 0);
        init = DataConfig.absolute(init);
    }
}
