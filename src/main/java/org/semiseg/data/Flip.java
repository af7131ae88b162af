package org.semiseg.data;

import java.util.SplittableRandom;

/** Horizontal flip of an image and its mask together, with probability 1/2. */
public final class Flip implements BatchLoader.Transform {
    @Override
    public Sample apply(Sample s, SplittableRandom rng) {
        if (!rng.nextBoolean()) {
            return s;
        }
        int h = s.height();
        int w = s.width();
        float[] image = new float[s.image().length];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                int row = (c * h + y) * w;
                for (int x = 0; x < w; x++) {
                    image[row + x] = s.image()[row + w - 1 - x];
                }
            }
        }
        int[] mask = null;
        if (s.mask() != null) {
            mask = new int[s.mask().length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    mask[y * w + x] = s.mask()[y * w + w - 1 - x];
                }
            }
        }
        return new Sample(s.id(), image, mask, h, w);
    }
}
