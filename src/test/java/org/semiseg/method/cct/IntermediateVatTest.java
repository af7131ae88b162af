package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.semiseg.loss.GraphSafe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * I-VAT (Ouali et al., CVPR 2020, Sec. 3.2; VAT's power iteration, Miyato et al.): r_adv = ε g / ‖g‖, g = ∇_d D(ξ d)
 * at the normalised start d, on divergences whose gradient is known. Blocks (n, k) of shape (1, 2): two decoders.
 */
class IntermediateVatTest {

    @Test
    void normalisedBlocksHaveUnitNormAndZeroStaysZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray d = m.create(new double[] {3, 4, 0, 0}, new Shape(1, 2, 1, 1, 2));
            assertArrayEquals(new double[] {0.6, 0.8, 0, 0}, IntermediateVat.normalized(d).toDoubleArray(), 1e-15);
        }
    }

    /** D(r) = Σ a ⊙ r: g = ξ a whatever d is, so r_adv = ε a / ‖a‖ per block: ε (1, 2) / √5 and ε (−1, 0). */
    @Test
    void aLinearDivergenceGivesItsCoefficientsDirection() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray random = m.create(new double[] {0.3, -0.1, 0.2, 0.4}, new Shape(1, 2, 1, 1, 2));
            NDArray a = m.create(new double[] {1, 2, -2, 0}, new Shape(1, 2, 1, 1, 2));
            NDArray r = IntermediateVat.adversarial(random, 1e-6, 2.0, (x, store) -> x.mul(a).sum());
            double s = Math.sqrt(5);
            assertArrayEquals(new double[] {2 / s, 4 / s, -2, 0}, r.toDoubleArray(), 1e-12);
            assertEquals(DataType.FLOAT64, r.getDataType());
        }
    }

    /**
     * D(r) = Σ b ⊙ r² / 2: g = ξ² b ⊙ d with d = random / ‖random‖. Block 0: d = (0.6, 0.8), b = (2, 1):
     * b ⊙ d = (1.2, 0.8) -> (1.2, 0.8) / √2.08; block 1: d = (0, 1), b = (5, 3): (0, 1). Times ε = 0.5. ξ = 1e-6 gives
     * a gradient of order 1e-12, still exact in float64.
     */
    @Test
    void aQuadraticDivergencePointsAlongTheCurvatureTimesTheStart() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray random = m.create(new double[] {3, 4, 0, -2}, new Shape(1, 2, 1, 1, 2));
            NDArray b = m.create(new double[] {2, 1, 5, 3}, new Shape(1, 2, 1, 1, 2));
            NDArray r = IntermediateVat.adversarial(random, 1e-6, 0.5,
                    (x, store) -> GraphSafe.divide(x.square().mul(b).sum(), 2.0));
            double n = Math.sqrt(2.08);
            assertArrayEquals(new double[] {0.5 * 1.2 / n, 0.5 * 0.8 / n, 0, -0.5}, r.toDoubleArray(), 1e-9);
        }
    }

    /** ε and ξ keep their size per value: a quarter of the values, half the total norm. */
    @Test
    void normsScaleWithTheSquareRootOfTheFeatureSize() {
        assertEquals(1.0, IntermediateVat.scaled(2.0, 512 * 20 * 20 / 4, 512 * 20 * 20), 1e-12);
        assertEquals(2.0, IntermediateVat.scaled(2.0, 512 * 20 * 20, 512 * 20 * 20), 0);
    }
}
