package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.Sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reference values from torch 1.13 {@code F.interpolate} (align_corners=False for bilinear). */
class ResamplingTest {
    @Test
    void bilinearIdentityWhenSizeUnchanged() {
        Sample s = Fixtures.sample("a", 7, 9, 4, 1);
        float[] out = Resampling.bilinear(s.image(), 3, 7, 9, 7, 9);
        assertArrayEquals(s.image(), out);
        assertNotSame(s.image(), out);
        assertArrayEquals(s.mask(), Resampling.nearest(s.mask(), 7, 9, 7, 9));
        assertSame(s, Resampling.resize(s, 7, 9));
    }

    @Test
    void bilinearUpsample2x2To4x4MatchesTorch() {
        // Source x = (dst + 0.5) / 2 - 0.5: -0.25 (clamped to 0), 0.25, 0.75, 1.25 (upper neighbour clamped).
        float[] out = Resampling.bilinear(new float[] {0, 1, 2, 3}, 1, 2, 2, 4, 4);
        assertArrayEquals(new float[] {
                0.0f, 0.25f, 0.75f, 1.0f,
                0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f,
                2.0f, 2.25f, 2.75f, 3.0f}, out, 1e-6f);
    }

    @Test
    void bilinearNonIntegerScalesMatchTorch() {
        float[] in = new float[15];
        for (int i = 0; i < 15; i++) {
            in[i] = i;
        }
        assertArrayEquals(new float[] {1.5833333f, 3.25f, 4.9166665f, 9.083333f, 10.75f, 12.416667f},
                Resampling.bilinear(in, 1, 3, 5, 2, 3), 1e-5f);
        float[] up = Resampling.bilinear(in, 1, 3, 5, 4, 7);
        assertArrayEquals(new float[] {0.0f, 0.5714286f, 1.2857144f, 2.0f, 2.7142859f, 3.4285715f, 4.0f},
                java.util.Arrays.copyOfRange(up, 0, 7), 1e-5f);
        assertArrayEquals(new float[] {3.125f, 3.6964285f, 4.410714f, 5.125f, 5.839286f, 6.5535717f, 7.125f},
                java.util.Arrays.copyOfRange(up, 7, 14), 1e-5f);
    }

    @Test
    void bilinearKeepsChannelsApart() {
        float[] in = {0, 1, 2, 3, 10, 11, 12, 13};
        float[] out = Resampling.bilinear(in, 2, 2, 2, 4, 4);
        for (int i = 0; i < 16; i++) {
            assertEquals(out[i] + 10f, out[16 + i], 1e-5f);
        }
    }

    @Test
    void nearestMatchesTorch() {
        int[] m = new int[15];
        for (int i = 0; i < 15; i++) {
            m[i] = i;
        }
        assertArrayEquals(new int[] {
                0, 0, 1, 2, 2, 3, 4,
                0, 0, 1, 2, 2, 3, 4,
                5, 5, 6, 7, 7, 8, 9,
                5, 5, 6, 7, 7, 8, 9,
                10, 10, 11, 12, 12, 13, 14}, Resampling.nearest(m, 3, 5, 5, 7));
        assertArrayEquals(new int[] {0, 1, 3, 5, 6, 8}, Resampling.nearest(m, 3, 5, 2, 3));
    }

    @Test
    void resizeScalesImageAndMask() {
        Sample s = Fixtures.sample("a", 6, 8, 3, 2);
        Sample r = Resampling.resize(s, 9, 12);
        assertEquals(9, r.height());
        assertEquals(12, r.width());
        assertArrayEquals(Resampling.nearest(s.mask(), 6, 8, 9, 12), r.mask());
        assertArrayEquals(Resampling.bilinear(s.image(), 3, 6, 8, 9, 12), r.image());
        Sample unlabeled = new Sample("u", s.image(), null, 6, 8);
        assertNull(Resampling.resize(unlabeled, 3, 4).mask());
    }

    @Test
    void refusesBadSizes() {
        assertThrows(IllegalArgumentException.class, () -> Resampling.bilinear(new float[4], 1, 2, 2, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Resampling.bilinear(new float[5], 1, 2, 2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> Resampling.nearest(new int[4], 2, 2, 3, -1));
    }
}
