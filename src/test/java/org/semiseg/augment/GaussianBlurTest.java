package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianBlurTest {
    @Test
    void kernelIsNormalisedGaussian() {
        float[] k = GaussianBlur.kernel(3, 1.0);
        double e = Math.exp(-0.5);
        assertArrayEquals(new float[] {(float) (e / (1 + 2 * e)), (float) (1 / (1 + 2 * e)), (float) (e / (1 + 2 * e))}, k, 1e-7f);
        float sum = 0;
        for (float v : GaussianBlur.kernel(23, 1.5)) {
            sum += v;
        }
        assertEquals(1f, sum, 1e-6f);
    }

    @Test
    void impulseGivesOuterProductOfKernel() {
        int n = 7;
        float[] img = new float[n * n];
        img[3 * n + 3] = 1f;
        float[] out = GaussianBlur.blur(img, 1, n, n, 1.0, 3);
        float[] k = GaussianBlur.kernel(3, 1.0);
        float total = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int dy = y - 3;
                int dx = x - 3;
                float expected = Math.abs(dy) <= 1 && Math.abs(dx) <= 1 ? k[dy + 1] * k[dx + 1] : 0f;
                assertEquals(expected, out[y * n + x], 1e-7f);
                total += out[y * n + x];
            }
        }
        assertEquals(1f, total, 1e-6f, "sum preserved away from the border");
    }

    @Test
    void constantImageUnchanged() {
        float[] img = new float[3 * 9 * 5];
        java.util.Arrays.fill(img, 0.37f);
        float[] out = GaussianBlur.blur(img, 3, 9, 5, 1.5, 23);
        assertArrayEquals(img, out, 1e-6f);
    }

    @Test
    void sumApproximatelyPreserved() {
        Sample s = Fixtures.sample("a", 40, 50, 3, 21);
        float[] out = GaussianBlur.blur(s.image(), 3, 40, 50, 1.2, 23);
        double a = 0;
        double b = 0;
        for (int i = 0; i < out.length; i++) {
            a += s.image()[i];
            b += out[i];
        }
        assertEquals(a, b, a * 0.01);
    }

    @Test
    void matchesTorchvisionWithReflectBorders() {
        // torchvision 0.14 gaussian_blur(x, [5, 5], [1.0, 1.0]) with x = (arange(20) % 7 / 7).view(4, 5).
        float[] x = new float[20];
        for (int i = 0; i < 20; i++) {
            x[i] = (i % 7) / 7f;
        }
        float[] expected = {
                0.44324711f, 0.40810806f, 0.33281830f, 0.32016426f, 0.33380488f,
                0.49004176f, 0.46083960f, 0.39078128f, 0.36011562f, 0.35403949f,
                0.47951508f, 0.49070403f, 0.49476543f, 0.47570074f, 0.44749722f,
                0.43370578f, 0.47054851f, 0.52734870f, 0.53536892f, 0.50957602f};
        assertArrayEquals(expected, GaussianBlur.blur(x, 1, 4, 5, 1.0, 5), 1e-6f);
    }

    @Test
    void reflectionFoldsForLargeKernels() {
        assertArrayEquals(new int[] {2, 1, 0, 1, 2, 1, 0}, GaussianBlur.reflected(3, 2));
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1}, GaussianBlur.reflected(2, 2));
        assertArrayEquals(new int[] {0, 0, 0}, GaussianBlur.reflected(1, 1));
        // A 2x2 image with a 23-tap kernel still works.
        float[] out = GaussianBlur.blur(new float[] {0, 1, 0, 1}, 1, 2, 2, 1.5, 23);
        assertEquals(0.5f, out[0], 0.1f);
    }

    @Test
    void transformBlursImageOnly() {
        Sample s = Fixtures.sample("a", 12, 12, 3, 22);
        assertSame(s, new GaussianBlur(0).apply(s, new SplittableRandom(1)));
        Sample b = new GaussianBlur(1).apply(s, new SplittableRandom(1));
        assertSame(s.mask(), b.mask());
        assertNotEquals(s.image()[50], b.image()[50]);
        for (float v : b.image()) {
            assertTrue(v >= 0f && v <= 1f);
        }
        assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(0.2, 0.1, 1.5, 4));
        assertThrows(IllegalArgumentException.class, () -> new GaussianBlur(0.2, 0, 1.5, 3));
    }
}
