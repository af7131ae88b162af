package org.semiseg.method.cct;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CCT's feature-based perturbations (Ouali et al., CVPR 2020, Sec. 3.2) on hand-computed 2x2 feature maps. */
class FeaturePerturbationsTest {

    /**
     * F-Drop: mask = [mean_c z < γ · max mean_c z]. Image 0: channel mean [[0, 1], [3, 6]] (max 6); image 1: [[5, 1],
     * [1, 2]] (max 5). γ = 0.75 keeps below 4.5, γ = 0.4 below 2.4, γ = 0.3 below 1.5, γ = 0.9 below 4.5.
     */
    @Test
    void featureDropKeepsWhatLiesBelowGammaTimesTheAttentionMaximum() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {
                    0, 2, 4, 8, /* ch1 */ 0, 0, 2, 4,      // image 0: mean [[0, 1], [3, 6]]
                    5, 1, 1, 1, /* ch1 */ 5, 1, 1, 3},     // image 1: mean [[5, 1], [1, 2]]
                    new Shape(2, 2, 2, 2));
            NDArray gamma = m.create(new float[] {0.75f, 0.4f, 0.3f, 0.9f}, new Shape(2, 2));
            NDArray out = FeatureDrop.apply(z, gamma);
            assertEquals(new Shape(2, 2, 2, 2, 2), out.getShape());
            float[] expected = {
                    0, 2, 4, 0, 0, 0, 2, 0,   // image 0, γ 0.75: keep [[1, 1], [1, 0]]
                    0, 2, 0, 0, 0, 0, 0, 0,   // image 0, γ 0.4: keep [[1, 1], [0, 0]]
                    0, 1, 1, 0, 0, 1, 1, 0,   // image 1, γ 0.3: keep [[0, 1], [1, 0]]
                    0, 1, 1, 1, 0, 1, 1, 3};  // image 1, γ 0.9: keep [[0, 1], [1, 1]]
            assertArrayEquals(expected, out.toFloatArray(), 0f);
        }
    }

    @Test
    void featureDropDrawsOneGammaPerImageAndDecoderFromTheGenerator() {
        float[] gamma = FeatureDrop.draw(new SplittableRandom(5), 2, 3, 0.7, 0.9);
        SplittableRandom same = new SplittableRandom(5);
        assertEquals(6, gamma.length);
        for (float g : gamma) {
            assertEquals((float) (0.7 + 0.2 * same.nextDouble()), g, 0f);
            assertTrue(g >= 0.7f && g <= 0.9f, "gamma " + g);
        }
        assertNotEquals(gamma[0], gamma[1], "each decoder draws its own");
        assertNotEquals(gamma[0], FeatureDrop.draw(new SplittableRandom(6), 2, 3, 0.7, 0.9)[0]);
    }

    /** F-Noise: z̃ = z + z ⊙ N_k, the same N_k (F, h, w) for every image of the batch. */
    @Test
    void featureNoiseScalesEachActivationByOnePlusTheSharedNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {1, -2, 3, 0.5f}, new Shape(2, 1, 1, 2));
            NDArray noise = m.create(new float[] {0.1f, -0.3f, 0.2f, 0f}, new Shape(2, 1, 1, 2));
            NDArray out = FeatureNoise.apply(z, noise);
            assertEquals(new Shape(2, 2, 1, 1, 2), out.getShape());
            // image 0: decoder 0 (1.1, -1.4), decoder 1 (1.2, -2); image 1: (3.3, 0.35), (3.6, 0.5)
            assertArrayEquals(new float[] {1.1f, -1.4f, 1.2f, -2f, 3.3f, 0.35f, 3.6f, 0.5f}, out.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void featureNoiseDrawnByTheEngineIsInRangeAndSharedAcrossTheBatch() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray one = m.randomUniform(0.5f, 2f, new Shape(1, 3, 2, 2));
            NDArray z = one.concat(one.mul(2f), 0);                     // image 1 = 2 × image 0
            NDArray noise = FeatureNoise.draw(m, 4, z.getShape(), 0.3);
            assertEquals(new Shape(4, 3, 2, 2), noise.getShape());
            for (float v : noise.toFloatArray()) {
                assertTrue(v >= -0.3f && v <= 0.3f, "noise " + v);
            }
            NDArray out = FeatureNoise.apply(z, noise);                 // (2, 4, 3, 2, 2)
            assertArrayEquals(out.get("0").mul(2f).toFloatArray(), out.get("1").toFloatArray(), 1e-5f,
                    "the same noise multiplies both images");
            NDArray ratio = out.get("0").div(z.get("0").expandDims(0)).sub(1f);
            assertArrayEquals(noise.toFloatArray(), ratio.toFloatArray(), 1e-5f);
        }
    }
}
