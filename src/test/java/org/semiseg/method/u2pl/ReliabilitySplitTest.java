package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * U2PL's reliable / unreliable split (Wang et al., CVPR 2022, Sec. 3.2): γ_t is the 100 (1 − α_t) percentile of the
 * entropies of the valid pixels, unreliable means H &gt; γ_t, and α_t = α_0 (1 − t / T). Two classes, so a pixel with
 * p(0) = q has H = −q ln q − (1 − q) ln(1 − q), which grows as q goes to 0.5.
 */
class ReliabilitySplitTest {
    /** p(0) of the six pixels of one 1 x 6 image; the last is padded. Entropies rise from the first to the fifth. */
    private static final double[] P0 = {0.99, 0.9, 0.8, 0.7, 0.5, 0.6};
    private static final boolean[] VALID = {true, true, true, true, true, false};
    private static final int IGNORE = 255;

    private static double entropy(double q) {
        return -q * Math.log(q) - (1 - q) * Math.log(1 - q);
    }

    private static ReliabilitySplit split(NDManager m, double alpha) {
        float[] logits = new float[12];
        for (int i = 0; i < 6; i++) {
            logits[i] = (float) Math.log(P0[i]);
            logits[6 + i] = (float) Math.log(1 - P0[i]);
        }
        NDArray valid = m.create(VALID, new Shape(1, 1, 6));
        return ReliabilitySplit.of(m.create(logits, new Shape(1, 2, 1, 6)), valid, alpha);
    }

    @Test
    void aPercentileOnAnOrderStatisticLeavesTheLargestEntropyUnreliable() {
        try (NDManager m = NDManager.newBaseManager()) {
            // alpha 0.25: the 75th percentile of 5 values sits at position 0.75 * 4 = 3, the fourth smallest: H(0.7)
            ReliabilitySplit s = split(m, 0.25);
            assertEquals(entropy(0.7), s.threshold().getFloat(), 1e-5);
            assertArrayEquals(new boolean[] {false, false, false, false, true, false}, s.unreliable().toBooleanArray());
            assertArrayEquals(new boolean[] {true, true, true, true, false, false}, s.reliable().toBooleanArray(),
                    "the padded pixel is neither");
            assertEquals(0.8, s.reliableShare().getFloat(), 1e-6, "4 of the 5 valid pixels");
            NDArray labels = m.create(new long[] {0, 0, 1, 0, 1, IGNORE}, new Shape(1, 1, 6));
            assertArrayEquals(new long[] {0, 0, 1, 0, IGNORE, IGNORE}, s.reliableLabels(labels, IGNORE).toLongArray());
            for (int i = 0; i < 5; i++) {
                assertEquals(entropy(P0[i]), s.entropy().toFloatArray()[i], 1e-5, "H of pixel " + i);
            }
        }
    }

    @Test
    void aPercentileBetweenOrderStatisticsInterpolates() {
        try (NDManager m = NDManager.newBaseManager()) {
            // alpha 0.3: position 0.7 * 4 = 2.8, so gamma = H(0.8) + 0.8 (H(0.7) - H(0.8)); H(0.7) and H(0.5) lie above
            ReliabilitySplit s = split(m, 0.3);
            assertEquals(entropy(0.8) + 0.8 * (entropy(0.7) - entropy(0.8)), s.threshold().getFloat(), 1e-5);
            assertArrayEquals(new boolean[] {false, false, false, true, true, false}, s.unreliable().toBooleanArray());
            assertEquals(0.6, s.reliableShare().getFloat(), 1e-6);
        }
    }

    @Test
    void atAlphaZeroEveryValidPixelIsReliable() {
        try (NDManager m = NDManager.newBaseManager()) {
            ReliabilitySplit s = split(m, 0);
            assertEquals(entropy(0.5), s.threshold().getFloat(), 1e-5, "the largest entropy");
            assertArrayEquals(new boolean[6], s.unreliable().toBooleanArray());
            assertEquals(1.0, s.reliableShare().getFloat(), 0);
        }
    }

    @Test
    void percentileIsNumpysLinearOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(new float[] {3, 1, 2, 4});
            assertEquals(2.5, ReliabilitySplit.percentile(v, 50).getFloat(), 1e-6, "numpy.percentile([3,1,2,4], 50)");
            assertEquals(1.0, ReliabilitySplit.percentile(v, 0).getFloat(), 0);
            assertEquals(4.0, ReliabilitySplit.percentile(v, 100).getFloat(), 0);
            assertEquals(3.4, ReliabilitySplit.percentile(v, 80).getFloat(), 1e-6, "position 2.4: 3 + 0.4");
            assertEquals(0, ReliabilitySplit.percentile(m.create(new float[0]), 80).getFloat(), 0, "no values");
        }
    }

    /** α_t = α_0 (1 − t / T): 20 % at the start, falling linearly to 0 at the end. */
    @Test
    void theUnreliableShareFallsLinearly() {
        assertEquals(0.2, ReliabilitySplit.unreliableShare(0.2, 0, 100), 1e-12);
        assertEquals(0.15, ReliabilitySplit.unreliableShare(0.2, 25, 100), 1e-12);
        assertEquals(0.1, ReliabilitySplit.unreliableShare(0.2, 50, 100), 1e-12);
        assertEquals(0.002, ReliabilitySplit.unreliableShare(0.2, 99, 100), 1e-12);
        assertEquals(0.0, ReliabilitySplit.unreliableShare(0.2, 100, 100), 0);
    }

    /**
     * After a supervised warm-up of W = 20 of T = 100 iterations α_t falls over the 80 that train on unlabeled pixels
     * (Sec. 3.2's α_t = α_0 (1 − t / total), t counted from the first unlabeled step): 20 % at iteration 20, 10 % at
     * 60, 0.2 · 1/80 = 0.25 % at 99.
     */
    @Test
    void theUnreliableShareStartsAtAlpha0WhenTheWarmUpEnds() {
        assertEquals(0.2, ReliabilitySplit.unreliableShare(0.2, 20, 100, 20), 1e-12);
        assertEquals(0.1, ReliabilitySplit.unreliableShare(0.2, 60, 100, 20), 1e-12);
        assertEquals(0.0025, ReliabilitySplit.unreliableShare(0.2, 99, 100, 20), 1e-12);
        assertEquals(0.2, ReliabilitySplit.unreliableShare(0.2, 0, 100, 0), 1e-12, "no warm-up: as before");
    }
}
