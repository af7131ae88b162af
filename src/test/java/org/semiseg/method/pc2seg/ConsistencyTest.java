package org.semiseg.method.pc2seg;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PC2Seg's consistency l^cy_i = 1 − cos(ŷ_i, ŷ_i⁺) (Zhong et al., ICCV 2021, Sec. 3, consistency loss), by hand on one
 * image of 1 x 3 pixels and two classes, logits ln p (the weak ones shifted by 3, which softmax removes):
 * <ul>
 *   <li>pixel 0: weak (0.8, 0.2), strong (0.2, 0.8): cos = 0.32 / 0.68, 1 − cos = 9/17;</li>
 *   <li>pixel 1: both (0.5, 0.5): 1 − cos = 0;</li>
 *   <li>pixel 2, padded: weak (0.9, 0.1), strong (0.1, 0.9): 1 − cos = 1 − 0.18 / 0.82, left out of the mean.</li>
 * </ul>
 */
class ConsistencyTest {
    private static final float[][] WEAK = {{0.8f, 0.5f, 0.9f}, {0.2f, 0.5f, 0.1f}};
    private static final float[][] STRONG = {{0.2f, 0.5f, 0.1f}, {0.8f, 0.5f, 0.9f}};

    private static NDArray logits(NDManager m, float[][] p, float shift) {
        float[] x = new float[6];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                x[c * 3 + i] = (float) Math.log(p[c][i]) + shift;
            }
        }
        return m.create(x, new Shape(1, 2, 1, 3));
    }

    @Test
    void oneMinusCosinePerPixelAndItsMeanOverValidPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weak = logits(m, WEAK, 3);
            NDArray strong = logits(m, STRONG, 0);
            assertArrayEquals(new float[] {9 / 17f, 0, 1 - 0.18f / 0.82f},
                    Consistency.perPixel(weak, strong).toFloatArray(), 1e-6f);
            NDArray valid = m.create(new boolean[] {true, true, false}, new Shape(1, 1, 3));
            assertEquals(9 / 34.0, Consistency.loss(weak, strong, valid).getFloat(), 1e-6, "(9/17 + 0) / 2");
            NDArray none = m.create(new boolean[] {false, false, false}, new Shape(1, 1, 3));
            assertEquals(0, Consistency.loss(weak, strong, none).getFloat(), 0, "no valid pixel: 0");
        }
    }

    /**
     * Stop-gradient on the weak view: its logits get no gradient; the strong ones get one at pixel 0 only (pixel 1
     * sits at the maximum of cos, pixel 2 is padded).
     */
    @Test
    void onlyTheStrongViewGetsAGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weak = logits(m, WEAK, 3);
            NDArray strong = logits(m, STRONG, 0);
            weak.setRequiresGradient(true);
            strong.setRequiresGradient(true);
            NDArray valid = m.create(new boolean[] {true, true, false}, new Shape(1, 1, 3));
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(Consistency.loss(weak, strong, valid));
            }
            assertEquals(0, Gradients.absSum(weak), 0, "no gradient reaches the weak view");
            float[] g = strong.getGradient().toFloatArray();
            for (int ch = 0; ch < 2; ch++) {
                assertTrue(Math.abs(g[ch * 3]) > 1e-3, "pixel 0, class " + ch + ": " + g[ch * 3]);
                assertEquals(0, g[ch * 3 + 1], 1e-7, "pixel 1: equal predictions, cos at its maximum");
                assertEquals(0, g[ch * 3 + 2], 0, "pixel 2: padded");
            }
        }
    }
}
