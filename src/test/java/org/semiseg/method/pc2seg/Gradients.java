package org.semiseg.method.pc2seg;

import ai.djl.ndarray.NDArray;

/** Reads a leaf's gradient for the tests; a leaf that backward never reached counts as a zero gradient. */
public final class Gradients {
    private Gradients() {
    }

    /** Σ |∂L/∂x| over x, 0 when no gradient reached x. */
    public static double absSum(NDArray x) {
        NDArray g;
        try {
            g = x.getGradient();
        } catch (IllegalStateException | NullPointerException e) {
            return 0;
        }
        return g == null ? 0 : g.abs().sum().getFloat();
    }
}
