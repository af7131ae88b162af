package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CCT's weak-label term (Ouali et al., CVPR 2020, "Using image-level labels"):
 * L_w = (1/|D_w|) (1/K) Σ_i Σ_k H(y_p, g_a^k(z_i)) and its weight ω_w, on small tensors computed by hand.
 */
class WeakLabelsTest {
    private static final int IGNORE = 255;

    /**
     * One image, K = 2 decoders, C = 2 classes, two pixels; the pseudo-mask labels pixel 0 with class 1 and ignores
     * pixel 1. Decoder 0 gives pixel 0 the logits (0, 0): H = log 2 = 0.693147; decoder 1 gives (2, 0):
     * H = log(1 + e²) = 2.126928. L_w is their mean, 1.410038; pixel 1's logits do not count.
     */
    @Test
    void theMeanCrossEntropyOverDecodersAndLabeledPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (N, K, C, H, W) = (1, 2, 2, 1, 2): decoder k, class c, pixels 0 and 1
            NDArray aux = m.create(new float[] {0, 1, 0, 0, 2, 0, 0, 3}, new Shape(1, 2, 2, 1, 2));
            NDArray pseudo = m.create(new long[] {1, IGNORE}, new Shape(1, 1, 2));
            assertEquals(1.410038, WeakLabels.loss(aux, pseudo, IGNORE).getFloat(), 1e-5);
            NDArray none = m.full(new Shape(1, 1, 2), IGNORE, DataType.INT64);
            assertEquals(0, WeakLabels.loss(aux, none, IGNORE).getFloat(), 0, "no labeled pixel: no term");
        }
    }

    /**
     * ω_w = 0.4 times the ramp of ω_u (the authors' {@code weight_u / final_w · weakly_loss_w}): with the ramp over
     * the first 10 % of 100 iterations, exp(−5) · 0.4 at iteration 0, exp(−5 · 0.25) · 0.4 = 0.114602 at iteration
     * 5, and 0.4 from iteration 10 on.
     */
    @Test
    void theWeightIsPointFourTimesTheRampOfTheConsistencyWeight() {
        assertEquals(0.4 * Math.exp(-5), WeakLabels.weight(0.4, 0.1, 0, 100), 1e-12);
        assertEquals(0.114602, WeakLabels.weight(0.4, 0.1, 5, 100), 1e-6);
        assertEquals(0.4, WeakLabels.weight(0.4, 0.1, 10, 100), 1e-12);
        assertEquals(0.4, WeakLabels.weight(0.4, 0.1, 99, 100), 1e-12);
        assertEquals(0.4 * Consistency.weight(30, 0.1, 3, 100) / 30, WeakLabels.weight(0.4, 0.1, 3, 100), 1e-12);
    }
}
