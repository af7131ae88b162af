package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.WeightedCrossEntropy;

/**
 * CCT's weak-label term (Ouali et al., CVPR 2020, "Using image-level labels"): the auxiliary decoders also learn the
 * pseudo-masks y_p made from the tagged images' class activation maps,
 * L_w = (1/|D_w|) (1/K) Σ_{x_i ∈ D_w} Σ_k H(y_p, g_a^k(z_i)), and L = L_s + ω_u L_u + ω_w L_w. The authors' code
 * (yassouali/CCT, {@code models/model.py}, {@code use_weak_lables}) takes the same auxiliary predictions as L_u, a
 * plain cross-entropy over the pixels the pseudo-mask labels (their {@code CE_loss} with the ignore index) averaged
 * over the decoders, and ω_w = {@code weakly_loss_w} (0.4) times the ramp of ω_u ({@code weight_u / final_w}); the
 * poster says no more, so both are taken from there.
 */
public final class WeakLabels {
    private WeakLabels() {
    }

    /**
     * ω_w at {@code iteration} (0-based) of a run of {@code iterations}: {@code weight} times ω_u's ramp
     * exp(−5 (1 − t)²) ({@link Consistency#weight} with weight 1).
     */
    public static double weight(double weight, double rampUp, int iteration, int iterations) {
        return weight * Consistency.weight(1.0, rampUp, iteration, iterations);
    }

    /**
     * L_w, unweighted: the cross-entropy of every auxiliary decoder's prediction with the pseudo-mask, over the
     * pixels the pseudo-mask labels, a mean over those pixels and the decoders (every decoder sees the same pixels,
     * so this is (1/K) Σ_k of each decoder's mean). 0 when no pixel is labeled (no tagged image in the batch).
     *
     * @param aux         auxiliary logits (N, K, C, H, W)
     * @param pseudo      pseudo-masks (N, H, W) int64, {@code ignoreIndex} where none
     * @return a scalar
     */
    public static NDArray loss(NDArray aux, NDArray pseudo, int ignoreIndex) {
        Shape s = aux.getShape();
        long n = s.get(0);
        long k = s.get(1);
        NDArray logits = aux.reshape(n * k, s.get(2), s.get(3), s.get(4));                       // (N·K, C, H, W)
        NDArray labels = pseudo.expandDims(1).broadcast(n, k, s.get(3), s.get(4)).reshape(n * k, s.get(3), s.get(4));
        return WeightedCrossEntropy.hard(logits, labels, ignoreIndex, null, null);
    }
}
