package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.semiseg.method.contrast.BankSelection;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Nearest-neighbour resizing on the device, as torch's interpolate(mode='nearest'). */
class NearestTest {

    @Test
    void everyFourthPixelOfAFourTimesLargerMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(0, 64, 1, DataType.INT64).reshape(1, 8, 8);
            // rows and columns 0 and 4
            assertArrayEquals(new long[] {0, 4, 32, 36}, Nearest.resize(x, 2, 2).toLongArray());
            assertSame(x, Nearest.resize(x, 8, 8));
        }
    }

    /** Odd sizes and channels: the same pixels as the host table of the memory bank's downsampling. */
    @Test
    void agreesWithTheHostTableOnOddSizesAndChannels() {
        try (NDManager m = NDManager.newBaseManager()) {
            SplittableRandom rng = new SplittableRandom(2);
            int n = 2;
            int c = 3;
            int h = 11;
            int w = 7;
            float[] v = new float[n * c * h * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) rng.nextDouble();
            }
            float[] out = Nearest.resize(m.create(v, new Shape(n, c, h, w)), 3, 2).toFloatArray();
            float[] expected = BankSelection.downsampleNearest(v, n * c, h, w, 3, 2);
            assertArrayEquals(expected, out, 0f);
            boolean[] mask = new boolean[n * h * w];
            mask[3] = true;
            mask[h * w + 5 * w + 3] = true;
            NDArray small = Nearest.resize(m.create(mask, new Shape(n, h, w)), 6, 4);
            int[] rows = BankSelection.nearestIndex(h, 6);
            int[] cols = BankSelection.nearestIndex(w, 4);
            boolean[] got = small.toBooleanArray();
            for (int b = 0; b < n; b++) {
                for (int y = 0; y < 6; y++) {
                    for (int x = 0; x < 4; x++) {
                        org.junit.jupiter.api.Assertions.assertEquals(mask[(b * h + rows[y]) * w + cols[x]],
                                got[(b * 6 + y) * 4 + x]);
                    }
                }
            }
        }
    }
}
