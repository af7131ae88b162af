package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * F-Noise (Ouali et al., CVPR 2020, Sec. 3.2, feature-based perturbations): z̃ = z + z ⊙ N with N ~ U(−r, r), so the
 * noise scales with the activation. As in the authors' code, one N of the shape of one image's features (F, h, w) is
 * drawn per decoder and shared by every image of the batch; the draws come from the engine's generator (seeded per
 * step by the trainer).
 */
public final class FeatureNoise {
    private FeatureNoise() {
    }

    /** N for {@code k} decoders: (k, F, h, w), uniform in [−range, range), of {@code manager}. */
    public static NDArray draw(NDManager manager, int k, Shape features, double range) {
        Shape shape = new Shape(k, features.get(1), features.get(2), features.get(3));
        return manager.randomUniform((float) -range, (float) range, shape, DataType.FLOAT32);
    }

    /**
     * @param z     encoder output (N, F, h, w)
     * @param noise (k, F, h, w), no gradient
     * @return (N, k, F, h, w): z + z ⊙ N_k for each decoder k, the same N_k for every image
     */
    public static NDArray apply(NDArray z, NDArray noise) {
        NDArray factor = noise.add(1f).expandDims(0); // graph-safe: the noise has no gradient
        return z.expandDims(1).mul(factor);
    }
}
