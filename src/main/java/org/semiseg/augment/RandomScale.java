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
        return scale(s, draw(rng));
    }

    /**
     * Draws this op's choice as {@link #apply} does (two values of the generator): the resize factor, or 1 when it
     * does not resize.
     */
    public double draw(SplittableRandom rng) {
        boolean apply = Checks.chance(rng, probability);
        double factor = Checks.uniform(rng, min, max);
        return apply ? factor : 1.0;
    }

    /** The sample resized by {@code factor}; {@code s} itself when the size does not change. */
    public static Sample scale(Sample s, double factor) {
        return Resampling.resize(s, scaledSize(s.height(), factor), scaledSize(s.width(), factor));
    }

    /** A side of {@code size} pixels after a resize by {@code factor}: {@code floor(size * factor)}, at least 1. */
    public static int scaledSize(int size, double factor) {
        return Math.max(1, (int) Math.floor(size * factor));
    }
}
