package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

/**
 * With probability {@code probability}, resizes the sample by a factor drawn uniformly from [{@code min},
 * {@code max}]: image bilinear, mask nearest ({@link Resampling}). The new size is {@code floor(h * factor)} by
 * {@code floor(w * factor)} (at least 1), as {@code F.interpolate(scale_factor=...)} computes it.
 *
 * <p>Table 1 of Alonso et al. (ICCV 2021): factor in [0.75, 1.75], probability 0.5 (weak) and 0.8 (strong); the
 * authors' code draws it with {@code random.uniform(0.75, 1.75)} ({@code augment_samples} in {@code trainSSL.py} of
 * Shathe/SemiSeg-Contrastive). The size change is undone by the crop that follows in
 * {@link Augmentations#geometric}.
 *
 * <p>Consumes two values of the generator (whether or not it scales).
 */
public record RandomScale(double probability, double min, double max) implements BatchLoader.Transform {
    public RandomScale {
        Checks.probability("scale probability", probability);
        if (!(min > 0) || !(max >= min) || Double.isInfinite(max)) {
            throw new IllegalArgumentException("scale range must satisfy 0 < min <= max, got [" + min + ", " + max + "]");
        }
    }

    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        boolean apply = Checks.chance(rng, probability);
        double factor = Checks.uniform(rng, min, max);
        return apply ? scale(s, factor) : s;
    }

    /** The sample resized by {@code factor}; {@code s} itself when the size does not change. */
    public static Sample scale(Sample s, double factor) {
        int h = Math.max(1, (int) Math.floor(s.height() * factor));
        int w = Math.max(1, (int) Math.floor(s.width() * factor));
        return Resampling.resize(s, h, w);
    }
}
