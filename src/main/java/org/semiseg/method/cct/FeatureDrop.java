package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

import java.util.SplittableRandom;

/**
 * F-Drop (Ouali et al., CVPR 2020, Sec. 3.2, feature-based perturbations): drop the most active region of the
 * encoder's output. For image n and decoder k, the attention map a = mean over channels of z_n (1, h, w); the mask
 * keeps the positions where a < γ_nk · max a, γ_nk ~ U(lo, hi); the decoder sees z_n ⊙ mask.
 *
 * <p>γ is drawn per image and decoder (the paper draws one per perturbed map; the authors' code one per batch), on
 * the host from the step's generator. The authors' code uses the channel mean and the maximum, as here; the paper
 * says the channel sum normalised, which gives the same mask.
 */
public final class FeatureDrop {
    private FeatureDrop() {
    }

    /** γ for {@code n} images × {@code k} decoders, row-major (n, k), each uniform in [lo, hi). */
    public static float[] draw(SplittableRandom random, int n, int k, double lo, double hi) {
        float[] gamma = new float[n * k];
        for (int i = 0; i < gamma.length; i++) {
            gamma[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return gamma;
    }

    /**
     * @param z     encoder output (N, F, h, w); the mask is computed from it detached, the product keeps its graph
     * @param gamma (N, k) thresholds relative to each image's attention maximum
     * @return (N, k, F, h, w): decoder k's copy of z with its dropped positions zeroed
     */
    public static NDArray apply(NDArray z, NDArray gamma) {
        long n = z.getShape().get(0);
        long k = gamma.getShape().get(1);
        NDArray detached = z.stopGradient();
        NDArray attention = detached.mean(new int[] {1}, true);                       // (N, 1, h, w)
        NDArray max = attention.reshape(n, -1).max(new int[] {1}, true);              // (N, 1)
        NDArray threshold = max.reshape(n, 1, 1, 1, 1).mul(gamma.reshape(n, k, 1, 1, 1)); // (N, k, 1, 1, 1)
        NDArray keep = attention.expandDims(1).lt(threshold).toType(DataType.FLOAT32, false); // (N, k, 1, h, w)
        return z.expandDims(1).mul(keep);
    }
}
