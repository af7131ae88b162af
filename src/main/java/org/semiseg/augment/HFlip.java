package org.semiseg.augment;

import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

/**
 * Horizontal flip of the image and its mask together, with probability {@code probability} (0.5 for both set-ups,
 * Table 1 of Alonso et al., ICCV 2021). Consumes one value of the generator.
 */
public record HFlip(double probability) implements BatchLoader.Transform {
    public HFlip {
        Checks.probability("flip probability", probability);
    }

    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        return draw(rng) ? flip(s) : s;
    }

    /** Draws whether to flip, as {@link #apply} does (one value of the generator). */
    public boolean draw(SplittableRandom rng) {
        return Checks.chance(rng, probability);
    }

    /** The sample mirrored left to right (image and mask); the input is not modified. */
    public static Sample flip(Sample s) {
        int h = s.height();
        int w = s.width();
        float[] src = s.image();
        float[] image = new float[src.length];
        for (int row = 0; row < 3 * h; row++) {
            int base = row * w;
            for (int x = 0, r = base + w - 1; x < w; x++, r--) {
                image[base + x] = src[r];
            }
        }
        int[] mask = null;
        if (s.mask() != null) {
            int[] m = s.mask();
            mask = new int[m.length];
            for (int y = 0; y < h; y++) {
                int base = y * w;
                for (int x = 0, r = base + w - 1; x < w; x++, r--) {
                    mask[base + x] = m[r];
                }
            }
        }
        return new Sample(s.id(), image, mask, h, w);
    }
}
