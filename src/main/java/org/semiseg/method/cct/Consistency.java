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
     * The fixed side of d, made once per step: the main decoder's softmax and the pixels kept.
     *
     * @param probabilities softmax of the main decoder's logits, detached (N, C, H, W)
     * @param keep          1 where a pixel is kept, else 0 (N, 1, H, W) float32
     * @param count         C · (kept pixels), at least 1: the divisor of each decoder's sum (a scalar)
     */
    public record Target(NDArray probabilities, NDArray keep, NDArray count) {
    }

    /**
     * The target of {@link #perDecoder}. Kept: valid, and with {@code confidence} set, max softmax(main) >
     * confidence (the authors' optional confidence masking).
     *
     * @param main       the main decoder's logits (N, C, H, W); detached here
     * @param valid      (N, H, W) boolean, the pixels that take part (not padded)
     * @param confidence null: off
     */
    public static Target target(NDArray main, NDArray valid, Double confidence) {
        long classes = main.getShape().get(1);
        NDArray probabilities = main.stopGradient().softmax(1);                // (N, C, H, W)
        NDArray kept = valid;
        if (confidence != null) {
            kept = kept.logicalAnd(probabilities.max(new int[] {1}).gt(confidence)); // graph-safe: detached target
        }
        NDArray keep = kept.toType(DataType.FLOAT32, false).expandDims(1);   // (N, 1, H, W)
        NDArray count = keep.sum().mul(classes).maximum(1f);                // graph-safe: a count, no gradient
        return new Target(probabilities, keep, count);
    }

    /**
     * d for each auxiliary decoder: Σ over the kept pixels and the C classes of (softmax(aux_k) − softmax(main))²,
     * divided by C · (kept pixels), i.e. the authors' {@code F.mse_loss} (mean over N·C·H·W) restricted to the kept
     * pixels; 0 for a decoder when no pixel is kept.
     *
     * @param aux    auxiliary logits (N, K, C, H, W), any K (a step may pass its decoders a few at a time)
     * @param target from {@link #target}
     * @return (K)
     */
    public static NDArray perDecoder(NDArray aux, Target target) {
        NDArray squared = aux.softmax(2).sub(target.probabilities().expandDims(1)).square()
                .sum(new int[] {2});                                               // (N, K, H, W)
        NDArray sums = squared.mul(target.keep()).sum(new int[] {0, 2, 3});        // (K)
        return sums.div(target.count());
    }
}
