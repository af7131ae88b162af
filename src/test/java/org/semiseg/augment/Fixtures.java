package org.semiseg.augment;

import org.semiseg.data.Sample;

import java.util.SplittableRandom;

/** Random test inputs. */
final class Fixtures {
    static final int IGNORE = 255;

    private Fixtures() {
    }

    /** An image with values in [0, 1] and a mask with classes in [0, classes) plus some ignore pixels. */
    static Sample sample(String id, int h, int w, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] image = new float[3 * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = rng.nextFloat();
        }
        int[] mask = new int[h * w];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextInt(10) == 0 ? IGNORE : rng.nextInt(classes);
        }
        return new Sample(id, image, mask, h, w);
    }

    /** Pixel values that identify their position: channel c, row y, column x. */
    static float code(int c, int y, int x) {
        return c * 1_000_000f + y * 1_000f + x;
    }

    static Sample coded(int h, int w) {
        float[] image = new float[3 * h * w];
        int[] mask = new int[h * w];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    image[(c * h + y) * w + x] = code(c, y, x);
                    if (c == 0) {
                        mask[y * w + x] = y * 1_000 + x;
                    }
                }
            }
        }
        return new Sample("coded", image, mask, h, w);
    }
}
