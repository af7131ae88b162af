package org.semiseg.method.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * CutMix boxes: UniMatch's ({@code obtain_cutmix_box}, LiheYoung/UniMatch {@code dataset/transform.py}) and U2PL's
 * ({@code generate_cutout_mask(img_size, ratio=2)}, Haochen-Wang409/U2PL {@code u2pl/dataset/augmentation.py}).
 */
class CutMixTest {
    @Test
    void uniMatchBoxesHaveTheirAreaAndAspect() {
        SplittableRandom rng = new SplittableRandom(11);
        int h = 200;
        int w = 300;
        double minFrac = 1;
        double maxFrac = 0;
        double minRatio = 10;
        double maxRatio = 0;
        for (int k = 0; k < 3000; k++) {
            int[] b = CutMix.Box.UNIMATCH.draw(h, w, rng);
            assertInside(b, h, w);
            double frac = b[2] * (double) b[3] / (h * w);
            double ratio = b[2] / (double) b[3];
            // Area in [2 %, 40 %], less the truncation of each side to an integer (under one pixel per side).
            assertTrue(frac <= CutMix.AREA_MAX && frac >= 0.017, "area " + frac);
            assertTrue(ratio >= CutMix.RATIO_MIN * 0.9 && ratio <= CutMix.RATIO_MAX * 1.1, "aspect " + ratio);
            minFrac = Math.min(minFrac, frac);
            maxFrac = Math.max(maxFrac, frac);
            minRatio = Math.min(minRatio, ratio);
            maxRatio = Math.max(maxRatio, ratio);
        }
        assertTrue(minFrac < 0.03 && maxFrac > 0.38, minFrac + " .. " + maxFrac);
        assertTrue(minRatio < 0.35 && maxRatio > 3.0, minRatio + " .. " + maxRatio);
        for (int[] s : new int[][] {{1, 1}, {1, 1000}, {1000, 1}, {2, 3}, {17, 5}}) {
            for (int k = 0; k < 200; k++) {
                assertInside(CutMix.Box.UNIMATCH.draw(s[0], s[1], rng), s[0], s[1]);
            }
        }
    }


    @Test
    void halfAreaBoxIsHalfTheImageAndWiderThanHalf() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] s : new int[][] {{24, 40}, {33, 17}, {512, 512}, {321, 481}, {5, 3}}) {
            int h = s[0];
            int w = s[1];
            int minW = Integer.MAX_VALUE;
            int maxW = 0;
            boolean[] tops = new boolean[h];
            boolean[] lefts = new boolean[w];
            for (int k = 0; k < 4000; k++) {
                int[] b = CutMix.Box.HALF_AREA.draw(h, w, rng);
                assertInside(b, h, w);
                // U2PL: width an integer in [floor(w / 2) + 1, w - 1], height round(h * w / 2 / width).
                assertTrue(b[3] >= w / 2 + 1 && b[3] <= w - 1, "width " + b[3] + " of " + w);
                assertEquals(Math.rint(h * (double) w / 2 / b[3]), b[2], 0.0);
                // So the area is half the image up to rounding of the height: within half a row of the box.
                assertEquals(h * w / 2.0, b[2] * (double) b[3], b[3] / 2.0, Arrays.toString(b));
                minW = Math.min(minW, b[3]);
                maxW = Math.max(maxW, b[3]);
                tops[b[0]] = true;
                lefts[b[1]] = true;
            }
            if (w <= 40) {
                assertEquals(w / 2 + 1, minW, "smallest width of " + w);
                assertEquals(w - 1, maxW, "largest width of " + w);
            }
            assertTrue(tops[0] && lefts[0], "placed at the border sometimes");
            assertTrue(h < 4 || countTrue(tops) > 1, "placement varies");
        }
        // Too narrow for U2PL's width draw: the full width, half the height.
        int[] one = CutMix.Box.HALF_AREA.draw(8, 1, rng);
        assertEquals(1, one[3]);
        assertEquals(4, one[2]);
        int[] narrow = CutMix.Box.HALF_AREA.draw(8, 2, rng);
        assertEquals(2, narrow[3]);
        assertEquals(4, narrow[2]);
    }

    @Test
    void maskIsOneBoxPerMixedOutputPastedFromTheNext() {
        try (NDManager m = NDManager.newBaseManager()) {
            int h = 16;
            int w = 20;
            Mix mix = CutMix.choose(m, 3, h, w, 1.0, CutMix.Box.HALF_AREA, new SplittableRandom(2));
            assertTrue(mix.anyMixed());
            assertArrayEquals(new int[] {1, 2, 0}, mix.sourceIndex());
            assertArrayEquals(new int[] {0, 1, 2}, mix.targetIndex());
            assertEquals(new Shape(3, 1, h, w), mix.mask().getShape());
            float[] mask = mix.mask().toFloatArray();
            for (int i = 0; i < 3; i++) {
                int top = h;
                int left = w;
                int bottom = -1;
                int right = -1;
                int ones = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float v = mask[i * h * w + y * w + x];
                        assertTrue(v == 0 || v == 1);
                        if (v == 1) {
                            ones++;
                            top = Math.min(top, y);
                            bottom = Math.max(bottom, y);
                            left = Math.min(left, x);
                            right = Math.max(right, x);
                        }
                    }
                }
                assertEquals((bottom - top + 1) * (right - left + 1), ones, "a filled rectangle");
                assertEquals(h * w / 2.0, ones, (right - left + 1) / 2.0, "half the image");
            }
        }
    }

    @Test
    void probabilityIsPerSampleAndZeroGivesNone() {
        try (NDManager m = NDManager.newBaseManager()) {
            Mix none = CutMix.choose(m, 4, 8, 8, 0.0, CutMix.Box.UNIMATCH, new SplittableRandom(1));
            assertFalse(none.anyMixed());
            assertArrayEquals(new int[] {0, 1, 2, 3}, none.sourceIndex());
            assertEquals(0f, none.mask().sum().getFloat());
            NDArray x = m.ones(new Shape(4, 3, 8, 8));
            assertSame(x, none.apply(x));
            int boxed = 0;
            for (long seed = 0; seed < 100; seed++) {
                Mix mix = CutMix.choose(m, 8, 16, 16, 0.5, CutMix.Box.HALF_AREA, new SplittableRandom(seed));
                float[] mask = mix.mask().toFloatArray();
                for (int i = 0; i < 8; i++) {
                    boolean any = false;
                    for (int p = 0; p < 256 && !any; p++) {
                        any = mask[i * 256 + p] == 1;
                    }
                    boxed += any ? 1 : 0;
                }
                mix.mask().close();
            }
            assertEquals(400, boxed, 60);
            float[] a = CutMix.choose(m, 4, 9, 9, 0.5, CutMix.Box.UNIMATCH, new SplittableRandom(7)).mask().toFloatArray();
            float[] b = CutMix.choose(m, 4, 9, 9, 0.5, CutMix.Box.UNIMATCH, new SplittableRandom(7)).mask().toFloatArray();
            assertArrayEquals(a, b);
            assertThrows(IllegalArgumentException.class,
                    () -> CutMix.choose(m, 4, 9, 9, -0.1, CutMix.Box.UNIMATCH, new SplittableRandom(7)));
        }
    }

    private static void assertInside(int[] b, int h, int w) {
        assertTrue(b[0] >= 0 && b[1] >= 0 && b[2] >= 0 && b[3] >= 0, Arrays.toString(b));
        assertTrue(b[0] + b[2] <= h && b[1] + b[3] <= w, Arrays.toString(b) + " in " + h + "x" + w);
    }

    private static int countTrue(boolean[] a) {
        int n = 0;
        for (boolean v : a) {
            n += v ? 1 : 0;
        }
        return n;
    }
}
