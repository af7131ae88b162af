package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.parts.InnerGradient;

import java.util.function.BiFunction;

/**
 * I-VAT (Ouali et al., CVPR 2020, Sec. 3.2, prediction-based perturbations): the perturbation of the encoder's output
 * z that most changes an auxiliary decoder's own prediction, r_adv = argmax_{‖r‖ ≤ ε} D[g_a(z), g_a(z + r)], found as
 * in VAT (Miyato et al.) by one power iteration: d ~ U(−0.5, 0.5) normalised, g = ∇_d D[g_a(z), g_a(z + ξd)],
 * r_adv = ε · g / ‖g‖. Norms are per image and decoder, over all of its (F, h, w) values; the gradient is taken with
 * {@link InnerGradient} (no parameter gradient, no BN statistic touched).
 *
 * <p>The authors' ξ = 1e-6 and ε = 2.0 are total norms over their encoder output (512 channels at 1/8 of their crop);
 * {@link #scaled} keeps the per-value size for another feature size. The authors divide by ‖g‖ + 1e-8; with ξ = 1e-6 the
 * gradient is of order ξ² and that 1e-8 would shrink r_adv towards 0, so here g / ‖g‖ is taken as the paper writes it
 * (a zero gradient gives r_adv = 0).
 */
public final class IntermediateVat {
    private IntermediateVat() {
    }

    /**
     * r_adv for each block (n, k, ...).
     *
     * @param random     the starting direction (N, k, F, h, w), e.g. U(−0.5, 0.5); normalised here
     * @param xi         ξ, the probe's norm
     * @param eps        ε, r_adv's norm
     * @param divergence D as a function of the perturbation r (the shape of {@code random}) and a parameter store
     *                   from {@link InnerGradient#detached}, which it must read every parameter from; a one-element
     *                   array
     * @return (N, k, F, h, w) of {@code random}'s type, no graph; each (n, k) block of norm ε (0 where g is 0)
     */
    public static NDArray adversarial(NDArray random, double xi, double eps,
                                      BiFunction<NDArray, ParameterStore, NDArray> divergence) {
        NDArray d = normalized(random);
        NDArray g = InnerGradient.gradient(d, (leaf, store) -> divergence.apply(GraphSafe.scale(leaf, xi), store));
        return GraphSafe.scale(normalized(g), eps);
    }

    /** d / ‖d‖ per (n, k) block, the norm over the axes after the second; a zero block stays zero. No gradient. */
    public static NDArray normalized(NDArray d) {
        int[] axes = new int[d.getShape().dimension() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        NDArray norm = d.stopGradient().square().sum(axes, true).sqrt();
        return d.stopGradient().div(norm.maximum(1e-30)); // graph-safe: detached, no gradient
    }

    /**
     * A total norm given at the authors' feature size, for features of {@code elements} values per image: {@code norm ·
     * sqrt(elements / referenceElements)}, which keeps the root-mean-square size per value.
     */
    public static double scaled(double norm, long elements, long referenceElements) {
        return norm * Math.sqrt((double) elements / referenceElements);
    }
}
