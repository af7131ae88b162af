package org.semiseg.augment;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CutMixTest {
    @Test
    void pixelsComeFromTheImageTheMaskNames() {
        for (long seed = 0; seed < 30; seed++) {
            MixBatch b = MixFixtures.batch(3, 20, 30, 5, 255, seed);
            Mixed m = CutMix.apply(b, new SplittableRandom(seed));
            assertArrayEquals(new int[] {1, 2, 0}, m.sourceIndex());
            assertArrayEquals(new int[] {0, 1, 2}, m.targetIndex());
            MixFixtures.assertProvenance(b, m);
        }
    }

    @Test
    void maskIsOneBoxInsideTheImage() {
        int h = 24;
        int w = 40;
        double minFrac = 1;
        double maxFrac = 0;
        for (long seed = 0; seed < 300; seed++) {
            MixBatch b = new MixBatch(new float[2 * 3 * h * w], null, null, 2, 3, h, w);
            Mixed m = CutMix.apply(b, new SplittableRandom(seed));
            for (int i = 0; i < 2; i++) {
                int top = h;
                int left = w;
                int bottom = -1;
                int right = -1;
                int ones = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        if (m.masks()[i * h * w + y * w + x] == 1) {
                            ones++;
                            top = Math.min(top, y);
                            bottom = Math.max(bottom, y);
                            left = Math.min(left, x);
                            right = Math.max(right, x);
                        }
                    }
                }
                if (ones == 0) {
                    continue;
                }
                assertEquals((bottom - top + 1) * (right - left + 1), ones, "a filled rectangle");
                double frac = ones / (double) (h * w);
                assertTrue(frac <= 0.4 + 1e-9, "area " + frac);
                minFrac = Math.min(minFrac, frac);
                maxFrac = Math.max(maxFrac, frac);
            }
        }
        assertTrue(minFrac < 0.05 && maxFrac > 0.3, minFrac + " .. " + maxFrac);
    }

    @Test
    void boxStaysInsideForManySizes() {
        SplittableRandom rng = new SplittableRandom(3);
        int[][] sizes = {{1, 1}, {1, 1000}, {1000, 1}, {2, 3}, {17, 5}, {64, 64}};
        for (int[] s : sizes) {
            for (int k = 0; k < 200; k++) {
                int[] box = CutMix.box(s[0], s[1], rng);
                assertTrue(box[0] >= 0 && box[1] >= 0 && box[2] >= 0 && box[3] >= 0);
                assertTrue(box[0] + box[2] <= s[0] && box[1] + box[3] <= s[1], java.util.Arrays.toString(box));
            }
        }
    }

    @Test
    void probabilityIsPerSampleAndSeedsRepeat() {
        MixBatch b = MixFixtures.batch(8, 16, 16, 4, 255, 4);
        int boxed = 0;
        for (long seed = 0; seed < 200; seed++) {
            Mixed m = CutMix.apply(b, 0.5, new SplittableRandom(seed));
            for (int i = 0; i < 8; i++) {
                boolean any = false;
                for (int p = 0; p < 256 && !any; p++) {
                    any = m.masks()[i * 256 + p] == 1;
                }
                boxed += any ? 1 : 0;
            }
        }
        assertEquals(800, boxed, 80);
        assertFalse(CutMix.apply(b, 0.0, new SplittableRandom(1)).anyMixed());
        assertArrayEquals(CutMix.apply(b, new SplittableRandom(7)).masks(), CutMix.apply(b, new SplittableRandom(7)).masks());
    }
}
