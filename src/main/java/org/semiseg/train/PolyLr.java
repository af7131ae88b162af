package org.semiseg.train;

/** Poly learning-rate decay: {@code lr(i) = base · (1 − i / iterations)^power}, iteration-based. */
public record PolyLr(double base, int iterations, double power) {
    /** Learning rate used by the update of 0-based iteration {@code i}. */
    public double at(int i) {
        return base * Math.pow(1.0 - (double) i / iterations, power);
    }
}
