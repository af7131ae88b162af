package org.semiseg.method.pc2seg;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PC2Seg's contrast l^ce (Zhong et al., ICCV 2021, Sec. 3, contrastive loss: InfoNCE with cos / τ, anchor z_i from the
 * weak view, positive z_i⁺ from the strong view, N sampled negatives) on hand-set projections.
 */
class PixelContrastTest {
    private static final double ROOT2 = Math.sqrt(2);

    /**
     * Two images of one pixel, D = 2: weak z_0 = (1, 0), z_1 = (0, 1); strong z_0⁺ = (1, 1), z_1⁺ = (0, 2). With
     * {@code other_image} each anchor's N = 3 negatives are all the other image's strong pixel, so at τ = 0.5
     * <ul>
     *   <li>anchor 0: cos with its positive 1/√2, with the negative (0, 2) 0: l_0 = −log(e^√2 / (e^√2 + 3));</li>
     *   <li>anchor 1: cos with (0, 2) 1, with the negative (1, 1) 1/√2: l_1 = −log(e² / (e² + 3 e^√2)).</li>
     * </ul>
     * The term is their mean. Pseudo-labels: both class 0 makes every negative a false one, classes 0 and 1 none.
     */
    @Test
    void infoNceOfEachAnchorWithItsKnownNegatives() {
        double l0 = -Math.log(Math.exp(ROOT2) / (Math.exp(ROOT2) + 3));
        double l1 = -Math.log(Math.exp(2) / (Math.exp(2) + 3 * Math.exp(ROOT2)));
        float[][] probs = {{1, 0, 1, 0}, {1, 0, 0, 1}};
        double[] falseShares = {1, 0};
        for (int k = 0; k < 2; k++) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray weak = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2, 1, 1));
                NDArray strong = m.create(new float[] {1, 1, 0, 2}, new Shape(2, 2, 1, 1));
                NDArray prob = m.create(probs[k], new Shape(2, 2, 1, 1));
                NDArray valid = m.create(new boolean[] {true, true}, new Shape(2, 1, 1));
                PixelContrast.Result r = PixelContrast.of(weak, strong, prob, valid, NegativeRule.OTHER_IMAGE, 4, 3,
                        0.5, new SplittableRandom(1));
                assertEquals((l0 + l1) / 2, r.loss().getFloat(), 1e-5);
                assertEquals(2, r.anchors());
                assertEquals(6, r.negatives());
                assertEquals(falseShares[k], r.falseNegativeShare().doubleValue(), 0);
            }
        }
    }

    /**
     * With one-hot pseudo-labels of one class everywhere the debiased rule allows no negative: no term, 0, and no
     * false-negative share (left out of the log, not a 0 that would pull its mean down).
     */
    @Test
    void noAllowedNegativeGivesNoTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2, 1, 1));
            NDArray prob = m.create(new float[] {1, 0, 1, 0}, new Shape(2, 2, 1, 1));
            NDArray valid = m.create(new boolean[] {true, true}, new Shape(2, 1, 1));
            PixelContrast.Result r = PixelContrast.of(z, z, prob, valid, NegativeRule.DEBIASED, 4, 3, 0.5,
                    new SplittableRandom(1));
            assertEquals(0, r.loss().getFloat(), 0);
            assertEquals(0, r.anchors());
            assertNull(r.falseNegativeShare());
        }
    }

    /**
     * Where the gradient goes: nowhere on the weak (anchor) side; on the strong side to the positives and to the
     * negatives. Two images of 1 x 2 pixels, one anchor per image, {@code other_image}: the strong pixel of image 1
     * that is not its anchor is only ever a negative (of image 0's anchor); its gradient is non-zero and has a
     * positive component along that anchor, so a descent step moves it away from the anchor.
     */
    @Test
    void theWeakSideGetsNoGradientAndNegativesArePushedAway() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = {1, 0.2f, -0.5f, 1, 0.3f, 0.1f, 0.7f, -0.4f, 0.2f, 0.9f, -0.6f, 0.5f};
            float[] s = {0.8f, 0.4f, -0.2f, 1.1f, 0.5f, -0.3f, 0.6f, 0.1f, 0.4f, 0.7f, -0.2f, 0.9f};
            NDArray weak = m.create(w, new Shape(2, 3, 1, 2));
            NDArray strong = m.create(s, new Shape(2, 3, 1, 2));
            weak.setRequiresGradient(true);
            strong.setRequiresGradient(true);
            NDArray prob = m.create(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, new Shape(2, 2, 1, 2));
            NDArray valid = m.create(new boolean[] {true, true, true, true}, new Shape(2, 1, 2));
            boolean[] all = {true, true, true, true};
            int[] anchors = PixelDraws.anchors(all, 2, 2, 1, new SplittableRandom(5));
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                PixelContrast.Result r = PixelContrast.of(weak, strong, prob, valid, NegativeRule.OTHER_IMAGE, 1, 50,
                        0.5, new SplittableRandom(5));
                assertEquals(2, r.anchors());
                c.backward(r.loss());
            }
            assertEquals(0, Gradients.absSum(weak), 0, "the weak branch is under stop-gradient");
            NDArray g = strong.getGradient();
            int onlyNegative = anchors[1] == 2 ? 3 : 2;     // image 1's other pixel
            NDArray rows = PixelContrast.rows(g);
            NDArray anchor0 = PixelContrast.rows(weak.stopGradient()).get(anchors[0]);
            NDArray push = rows.get(onlyNegative).mul(anchor0).sum();
            assertTrue(push.getFloat() > 1e-4, "gradient of a negative along its anchor: " + push.getFloat());
            for (int a : anchors) {
                assertTrue(rows.get(a).abs().sum().getFloat() > 1e-4, "the positive " + a + " gets a gradient");
            }
        }
    }
}
