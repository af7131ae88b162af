package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

/**
 * The per-sample pipelines of a preset, as {@link BatchLoader.Transform}s. Order as in the authors' code
 * ({@code augmentationTransform} in {@code trainSSL.py} of Shathe/SemiSeg-Contrastive): resize and crop, flip,
 * colour jitter, blur. Unlike the authors' code, which draws one set of choices per batch on the GPU, every sample
 * gets its own choices from its own generator. ClassMix, a batch-level operation, is separate ({@link org.semiseg.method.parts.ClassMix}).
 *
 * <p>No transform modifies its input sample or arrays; an op that does nothing returns its input unchanged. So the
 * views of an unlabeled image can share geometry ({@code g = geometric(STRONG, ...).apply(s, rng)} and
 * {@code photometric(STRONG).apply(g, rng)}: the same pixels, photometrically changed in the second only) or, as
 * Table 1 of Alonso et al. and their code do, each draw its own: {@link #geometricView} reports how a view was cut
 * ({@link ViewGeometry}) so that labels of one view can be carried to another ({@link ViewGeometry#map}).
 */
public final class Augmentations {
    private Augmentations() {
    }

    /**
     * Random resize ({@link RandomScale}), then a random {@code cropH} x {@code cropW} window padded with 0 in the
     * image and {@code ignoreIndex} in the mask where it leaves the image ({@link RandomCrop}), then a horizontal
     * flip ({@link HFlip}).
     *
     * <p>When {@code cropH} and {@code cropW} are 0 the window has the size the sample had before the resize, so the
     * output keeps the input's size (what the authors' {@code random_scale_crop} does, and what keeps the samples
     * of a batch the same size); without a resize that is a no-op.
     */
    public static BatchLoader.Transform geometric(AugmentPreset p, int cropH, int cropW, int ignoreIndex) {
        BatchLoader.ViewTransform view = geometricView(p, cropH, cropW, ignoreIndex);
        return (s, rng) -> view.apply(s, rng).sample();
    }

    /**
     * {@link #geometric}, reporting how the view was cut ({@link ViewGeometry}); it draws from the generator exactly
     * as {@link #geometric} does (scale: two values, crop: two, flip: one), so both give the same sample.
     */
    public static BatchLoader.ViewTransform geometricView(AugmentPreset p, int cropH, int cropW, int ignoreIndex) {
        if (cropH < 0 || cropW < 0 || (cropH == 0) != (cropW == 0)) {
            throw new IllegalArgumentException("crop size must be both positive, or both 0 for none; got " + cropH + "x" + cropW);
        }
        RandomScale scale = new RandomScale(p.scaleProbability(), p.scaleMin(), p.scaleMax());
        HFlip flip = new HFlip(p.flip());
        return (s, rng) -> {
            int h = cropH > 0 ? cropH : s.height();
            int w = cropW > 0 ? cropW : s.width();
            Sample out = RandomScale.scale(s, scale.draw(rng));
            int scaledH = out.height();
            int scaledW = out.width();
            int[] at = new RandomCrop(h, w, ignoreIndex).draw(scaledH, scaledW, rng);
            out = RandomCrop.crop(out, at[0], at[1], h, w, ignoreIndex);
            boolean flipped = flip.draw(rng);
            if (flipped) {
                out = HFlip.flip(out);
            }
            return new BatchLoader.View(out, new ViewGeometry(s.height(), s.width(), scaledH, scaledW, at[0], at[1], h, w, flipped));
        };
    }

    /**
     * Colour jitter ({@link ColorJitter}), grayscale ({@link RandomGrayscale}; only when the preset's probability is
     * above 0, so presets without it draw exactly what they drew before it existed), then Gaussian blur
     * ({@link GaussianBlur}); the mask is untouched. UniMatch's order ({@code dataset/semi.py}).
     */
    public static BatchLoader.Transform photometric(AugmentPreset p) {
        ColorJitter jitter = new ColorJitter(p.jitterProbability(), p.brightness(), p.contrast(), p.saturation(), p.hue());
        GaussianBlur blur = new GaussianBlur(p.blurProbability(), p.blurSigmaMin(), p.blurSigmaMax(),
                GaussianBlur.DEFAULT_KERNEL);
        if (p.grayscaleProbability() == 0) {
            return (s, rng) -> blur.apply(jitter.apply(s, rng), rng);
        }
        RandomGrayscale gray = new RandomGrayscale(p.grayscaleProbability());
        return (s, rng) -> blur.apply(gray.apply(jitter.apply(s, rng), rng), rng);
    }

    /** {@link #geometric} then {@link #photometric}, from the same generator. */
    public static BatchLoader.Transform full(AugmentPreset p, int cropH, int cropW, int ignoreIndex) {
        BatchLoader.Transform geometric = geometric(p, cropH, cropW, ignoreIndex);
        BatchLoader.Transform photometric = photometric(p);
        return (s, rng) -> photometric.apply(geometric.apply(s, rng), rng);
    }
}
