package org.semiseg.method.cct;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * L_u of CCT (Ouali et al., CVPR 2020, Sec. 3.1: L_u = 1/|D_u| 1/K Σ Σ d(g(z), g_a^k(z)), d the MSE of the softmax
 * outputs) and ω_u's ramp, on one image of two pixels and two classes. Main: pixel 0 logits (0, 0) -> p (0.5, 0.5),
 * pixel 1 (ln 3, 0) -> (0.75, 0.25). Decoder 0: (ln 3, 0) -> (0.75, 0.25) and (0, ln 3) -> (0.25, 0.75), squared
 * differences summed over classes 0.125 and 0.5; decoder 1 equals the main decoder.
 */
class ConsistencyTest {
    private static final float LN3 = (float) Math.log(3);

    private static NDArray main(NDManager m) {
        return m.create(new float[] {0, LN3, 0, 0}, new Shape(1, 2, 1, 2));
    }

    private static NDArray aux(NDManager m) {
        return m.create(new float[] {LN3, 0, 0, LN3, /* decoder 1 */ 0, LN3, 0, 0}, new Shape(1, 2, 2, 1, 2));
    }

    private static NDArray valid(NDManager m, boolean a, boolean b) {
        return m.create(new boolean[] {a, b}, new Shape(1, 1, 2));
    }

    @Test
    void mseOfSoftmaxesIsAveragedOverClassesAndKeptPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray all = Consistency.perDecoder(aux(m),
                    Consistency.target(main(m), valid(m, true, true), null));
            assertArrayEquals(new float[] {(0.125f + 0.5f) / 4, 0f}, all.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.125f / 2, 0f},
                    Consistency.perDecoder(aux(m),
                            Consistency.target(main(m), valid(m, true, false), null)).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.5f / 2, 0f},
                    Consistency.perDecoder(aux(m),
                            Consistency.target(main(m), valid(m, false, true), null)).toFloatArray(), 1e-6f);
        }
    }

    /** Confidence masking: 0.6 keeps pixel 1 only (max p 0.75 > 0.6, 0.5 is not); 0.9 keeps none, d = 0. */
    @Test
    void confidenceMaskingKeepsPixelsWhoseMainMaxProbabilityExceedsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {0.25f, 0f},
                    Consistency.perDecoder(aux(m),
                            Consistency.target(main(m), valid(m, true, true), 0.6)).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0f, 0f},
                    Consistency.perDecoder(aux(m),
                            Consistency.target(main(m), valid(m, true, true), 0.9)).toFloatArray(), 0f);
        }
    }

    /**
     * The target is detached: L_u sends no gradient to the main logits. Decoder 0, pixel 0: dL/dp = 2 (±0.25) / 4 = ±0.125,
     * softmax Jacobian ±p0 p1 = ±0.1875, so dL/da = (0.046875, −0.046875); pixel 1: p = (0.25, 0.75) against
     * (0.75, 0.25): dL/dp = (−0.25, 0.25), dL/da = (−0.09375, 0.09375).
     */
    @Test
    void noGradientReachesTheMainDecoder() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray main = main(m);
            NDArray aux = aux(m);
            main.setRequiresGradient(true);
            aux.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                // + Σ main: its gradient is then exactly 1 everywhere if L_u adds nothing to it
                c.backward(Consistency.perDecoder(aux, Consistency.target(main, valid(m, true, true), null)).sum()
                        .add(main.sum()));
            }
            assertArrayEquals(new float[] {1, 1, 1, 1}, main.getGradient().toFloatArray(), 0f);
            float[] g = aux.getGradient().toFloatArray();
            // layout (n, k, c, y, x): decoder 0 class 0 pixels 0, 1; class 1 pixels 0, 1
            assertArrayEquals(new float[] {0.046875f, -0.09375f, -0.046875f, 0.09375f}, java.util.Arrays.copyOf(g, 4),
                    1e-6f);
            assertArrayEquals(new float[4], java.util.Arrays.copyOfRange(g, 4, 8), 1e-7f, "decoder 1 agrees: d = 0");
        }
    }

    /** ω_u = 30 exp(−5 (1 − t)²), t = iteration / (0.1 · iterations), capped at 1. */
    @Test
    void weightRampsUpOverTheFirstTenthOfTraining() {
        assertEquals(30 * Math.exp(-5), Consistency.weight(30, 0.1, 0, 100), 1e-12);
        assertEquals(30 * Math.exp(-1.25), Consistency.weight(30, 0.1, 5, 100), 1e-12);
        assertEquals(30, Consistency.weight(30, 0.1, 10, 100), 1e-12);
        assertEquals(30, Consistency.weight(30, 0.1, 70, 100), 1e-12);
        assertEquals(30, Consistency.weight(30, 0, 0, 100), 0, "no ramp");
    }
}
