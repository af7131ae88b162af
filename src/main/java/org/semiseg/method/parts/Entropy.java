package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Entropy minimisation (Alonso et al. Eq. 7) and the per-pixel entropy U2PL partitions pixels by. */
public final class Entropy {
    private Entropy() {
    }

    /**
     * Eq. 7 for one view: −(1/N) Σ_n Σ_c p log p over the pixels where {@code valid} holds, in nats (the authors'
     * code divides by log C; the paper does not, and λ_ent = 0.01 is the paper's value for this form).
     *
     * @param logP  log-probabilities (N, C, H, W)
     * @param valid (N, H, W) boolean
     */
    public static NDArray mean(NDArray logP, NDArray valid) {
        NDArray perPixel = perPixel(logP);
        NDArray mask = valid.toType(DataType.FLOAT32, false);
        return perPixel.mul(mask).sum().div(mask.sum().maximum(1f)); // graph-safe: the count carries no gradient
    }

    /**
     * H(p) = −Σ_c p(c) log p(c) of every pixel, in nats, from log-probabilities (N, C, H, W): (N, H, W). Computed
     * from log p, so a probability that underflows to 0 contributes 0 (not 0 · log 0).
     */
    public static NDArray perPixel(NDArray logP) {
        // the (N, C, H, W) product is freed here, not at the step's end: autograd keeps p and log p (the product's
        // inputs), never the product itself
        try (NDArray p = logP.exp(); NDArray product = p.mul(logP); NDArray sum = product.sum(new int[] {1})) {
            return sum.neg();
        }
    }
}
