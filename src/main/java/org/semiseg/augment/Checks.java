package org.semiseg.augment;

/**
 * Argument checks and random draws shared by the augmentations and the mixes. Each check of a chance consumes exactly
 * one value of the generator; an augmentation that fires then draws its own factors (colour jitter, blur), so later
 * draws depend on whether it fired, which keeps runs deterministic but not draw-for-draw aligned across probabilities.
 */
public final class Checks {
    private Checks() {
    }

    public static double probability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }

    public static double nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a finite value >= 0, got " + v);
        }
        return v;
    }

    /** A Bernoulli draw; always consumes one value from {@code rng}, so the draws that follow do not depend on p. */
    public static boolean chance(java.util.SplittableRandom rng, double p) {
        return rng.nextDouble() < p;
    }

    /** Uniform in [lo, hi]; one value from {@code rng} (also when lo == hi). */
    public static double uniform(java.util.SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
