package org.semiseg.weak;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The small dense CRF (Krähenbühl and Koltun, NIPS 2011) the pseudo-masks are refined with, on tiny images. */
class DenseCrfTest {
    /**
     * A sampled window stands for the dense one: on a uniform 13x13 image with σ = 3 (radius 6, stride 2: offsets
     * -6, -4, ..., 6 per axis) the centre pixel's kernel sum is 1 + 4 Σ_{(dy,dx) ≠ 0} exp(-(dy² + dx²) / 18) = 51.6,
     * against the dense filter's (Σ_{d=-6..6} exp(-d² / 18))² = 53.3; without the stride² weight it was 13.65, so
     * the pixel's own share of the message was four times too large.
     */
    @Test
    void aStridedWindowWeighsEachSampleForTheStrideSquaredPixelsItStandsFor() {
        int side = 13;
        DenseCrf.Kernel k = DenseCrf.kernel(new float[3 * side * side], side, side, 3, Double.POSITIVE_INFINITY, 1);
        double sampled = 0;
        for (int dy = -6; dy <= 6; dy += 2) {
            for (int dx = -6; dx <= 6; dx += 2) {
                sampled += (dy == 0 && dx == 0 ? 1 : 4) * Math.exp(-(dy * dy + dx * dx) / 18.0);
            }
        }
        double dense = 0;
        for (int dy = -6; dy <= 6; dy++) {
            for (int dx = -6; dx <= 6; dx++) {
                dense += Math.exp(-(dy * dy + dx * dx) / 18.0);
            }
        }
        int centre = 6 * side + 6;
        double sum = 1 / ((double) k.norm()[centre] * k.norm()[centre]);
        assertEquals(51.6, sampled, 0.05, "the hand value");
        assertEquals(sampled, sum, 1e-3 * sampled);
        assertEquals(1, sum / dense, 0.05, "within 5 % of the dense sum " + dense);
    }

    /**
     * pydensecrf's {@code unary_from_labels(gt_prob=0.7, zero_unsure=False)} with 3 labels: −log 0.7 = 0.3567 for the
     * given label, −log(0.3 / 2) = 1.8971 for each other.
     */
    @Test
    void theUnaryGivesTheLabelProbabilityGtProb() {
        float[][] u = DenseCrf.unary(new int[] {0, 2}, 3, 0.7);
        assertEquals(0.35667, u[0][0], 1e-4);
        assertEquals(1.89712, u[1][0], 1e-4);
        assertEquals(1.89712, u[0][1], 1e-4);
        assertEquals(0.35667, u[2][1], 1e-4);
        float[][] q = DenseCrf.softmax(new float[][] {{-u[0][0]}, {-u[1][0]}, {-u[2][0]}});
        assertEquals(0.7, q[0][0], 1e-6, "softmax(−U) gives back gt_prob");
        assertEquals(0.15, q[1][0], 1e-6);
    }

    /** An isolated wrong label in a region of one colour takes its neighbours' label. */
    @Test
    void aLonePixelInAUniformRegionJoinsItsNeighbours() {
        int h = 9;
        int w = 9;
        float[] rgb = new float[3 * h * w];
        Arrays.fill(rgb, 0.5f);
        int[] labels = new int[h * w];
        labels[4 * w + 4] = 1;
        int[] out = DenseCrf.refine(labels, 2, rgb, h, w, DenseCrf.Settings.authors(10));
        assertArrayEquals(new int[h * w], out);
    }

    /** Labels that follow a colour edge stay where they are; without iterations nothing changes. */
    @Test
    void labelsAlongAColourEdgeStay() {
        int h = 8;
        int w = 8;
        float[] rgb = new float[3 * h * w];
        int[] labels = new int[h * w];
        for (int i = 0; i < h * w; i++) {
            boolean right = i % w >= w / 2;
            labels[i] = right ? 1 : 0;
            for (int c = 0; c < 3; c++) {
                rgb[c * h * w + i] = right ? 0.9f : 0.1f;
            }
        }
        assertArrayEquals(labels, DenseCrf.refine(labels, 2, rgb, h, w, DenseCrf.Settings.authors(10)));
        int[] noisy = labels.clone();
        noisy[3] = 1;
        assertArrayEquals(noisy, DenseCrf.refine(noisy, 2, rgb, h, w, DenseCrf.Settings.authors(0)));
    }
}
