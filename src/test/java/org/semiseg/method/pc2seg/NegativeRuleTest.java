package org.semiseg.method.pc2seg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The four negative-sampling rules of PC2Seg (Zhong et al., ICCV 2021, Sec. 3, "negative sampling": p_ij of uniform,
 * different image, pseudo-label debiased and their product) on a tiny batch, by hand. Two images of 1 x 3 pixels,
 * j = 0..5, image I_j = j / 3; ŷ one-hot class 0, 0, 1 in image 0 and 0, 1, (0.5, 0.5) in image 1; pixel 4 is padding.
 * Anchors: pixel 0 (class 0) and pixel 5 (the soft one).
 */
class NegativeRuleTest {
    private static final float[] PROB = {1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0.5f, 0.5f};
    private static final boolean[] VALID = {true, true, true, true, false, true};
    private static final int[] ANCHORS = {0, 5};

    private static float[] weights(NegativeRule rule) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray prob = m.create(PROB, new Shape(6, 2));
            NDArray valid = m.create(VALID);
            NDArray w = rule.weights(ANCHORS, prob, valid, 3);
            assertEquals(new Shape(2, 6), w.getShape());
            return w.toFloatArray();
        }
    }

    /** uniform: every valid pixel but the anchor, p = 1/4 for anchor 0 (pixels 1, 2, 3, 5) and for anchor 5. */
    @Test
    void uniformTakesEveryValidPixelButTheAnchor() {
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0}, weights(NegativeRule.UNIFORM), 0);
    }

    /** other_image: p_ij ∝ 1{I_i ≠ I_j}; nothing of the anchor's own image, padding excluded. */
    @Test
    void otherImageNeverTakesTheAnchorsImage() {
        assertArrayEquals(new float[] {0, 0, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0}, weights(NegativeRule.OTHER_IMAGE), 0);
    }

    /**
     * debiased: p_ij ∝ 1 − ŷ_iᵀŷ_j. Anchor 0 (one-hot class 0): pixels 1 and 3 share its one-hot label and get 0,
     * pixel 2 (class 1) 1, pixel 5 (0.5, 0.5) 0.5: p = (0, 0, 2/3, 0, 0, 1/3). Anchor 5: 1 − 0.5 for every other valid
     * pixel (uniform over 0..3); itself excluded although 1 − ŷ_5ᵀŷ_5 = 0.5.
     */
    @Test
    void debiasedGivesNothingToThePixelsOfTheAnchorsOneHotLabel() {
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0},
                weights(NegativeRule.DEBIASED), 1e-7f);
    }

    /** other_image_debiased: the product, 1{I_i ≠ I_j} (1 − ŷ_iᵀŷ_j) (the paper's choice). */
    @Test
    void theProductRuleMultipliesBoth() {
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0},
                weights(NegativeRule.OTHER_IMAGE_DEBIASED), 1e-7f);
    }

    @Test
    void namesAreTheConfigKeys() {
        assertEquals(List.of("uniform", "other_image", "debiased", "other_image_debiased"), NegativeRule.keys());
        assertEquals(NegativeRule.OTHER_IMAGE_DEBIASED, NegativeRule.named("other_image_debiased"));
        assertThrows(IllegalArgumentException.class, () -> NegativeRule.named("hard"));
    }
}
