package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * CCT's unsupervised term (Ouali et al., CVPR 2020, Sec. 3.1): L_u = (1/|D_u|) (1/K) Σ_i Σ_k d(g(z_i), g_a^k(z_i)),
 * d the mean squared error between the softmax outputs, the main decoder's g(z) a fixed target (detached: L_u trains
 * the encoder through the auxiliary decoders only), and its weight ω_u ramped up as the authors do.
 */
public final class Consistency {
    private Consistency() {
    }

    /**
     * ω_u at {@code iteration} (0-based) of a run of {@code iterations}: {@code weight · exp(−5 (1 − t)²)} with
     * t = min(1, iteration / (rampUp · iterations)) (the authors' {@code sigmoid_rampup} over the first
     * {@code rampUp} of training); {@code weight} when the ramp is empty.
     */
    public static double weight(double weight, double rampUp, int iteration, int iterations) {
        double length = rampUp * iterations;
        if (length <= 0) {
            return weight;
        }
        double t = Math.min(1.0, Math.max(0.0, iteration / length));
        return weight * Math.exp(-5 * (1 - t) * (1 - t));
    }

    /**
     * d for each auxiliary decoder: Σ over the kept pixels and the C classes of (softmax(aux_k) − softmax(main))²,
     * divided by C · (kept pixels), i.e. the authors' {@code F.mse_loss} (mean over N·C·H·W) restricted to the kept
     * pixels. Kept: valid, and with {@code confidence} set, max softmax(main) > confidence (the authors' optional
     * confidence masking); 0 for a decoder when no pixel is kept.
     *
     * @param aux        auxiliary logits (N, K, C, H, W)
     * @param main       the main decoder's logits (N, C, H, W); detached here
     * @param valid      (N, H, W) boolean, the pixels that take part (not padded)
     * @param confidence null: off
     * @return (K)
     */
    public static NDArray perDecoder(NDArray aux, NDArray main, NDArray valid, Double confidence) {
        long classes = main.getShape().get(1);
        NDArray target = main.stopGradient().softmax(1);                    // (N, C, H, W)
        NDArray kept = valid;
        if (confidence != null) {
            kept = kept.logicalAnd(target.max(new int[] {1}).gt(confidence)); // graph-safe: detached target
        }
        NDArray keep = kept.toType(DataType.FLOAT32, false).expandDims(1);   // (N, 1, H, W)
        NDArray squared = aux.softmax(2).sub(target.expandDims(1)).square().sum(new int[] {2}); // (N, K, H, W)
        NDArray sums = squared.mul(keep).sum(new int[] {0, 2, 3});          // (K)
        NDArray count = keep.sum().mul(classes).maximum(1f);                // graph-safe: a count, no gradient
        return sums.div(count);
    }
}
