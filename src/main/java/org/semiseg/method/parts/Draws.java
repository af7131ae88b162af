package org.semiseg.method.parts;

import java.util.SplittableRandom;

/**
 * The random draws of the mixes, the same as {@code org.semiseg.augment.Checks} (package-private there, so copied
 * here until the old augment mixes are removed): every draw consumes exactly one value of the generator, so a
 * sequence of draws does not depend on the probabilities.
 */
final class Draws {
    private Draws() {
    }

    /** Throws unless {@code p} is in [0, 1]. */
    static double probability(String what, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + p);
        }
        return p;
    }

    /** A Bernoulli draw ({@code nextDouble() < p}); always consumes one value. */
    static boolean chance(SplittableRandom rng, double p) {
        return rng.nextDouble() < p;
    }

    /** Uniform in [lo, hi]; one value (also when lo == hi). */
    static double uniform(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
