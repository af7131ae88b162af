package org.semiseg.config;

import java.util.List;

/**
 * Which training method runs each step ({@code org.semiseg.method.Methods} lists them) and the settings of the
 * teacher-student methods of Alonso et al. (ICCV 2021). Methods read only the keys they use.
 *
 * @param name           the method
 * @param weights        λ of Eq. 1; a weight of 0 switches its term off (the rows of Table 5)
 * @param warmup         iterations at the start with λpseudo = λcontr = 0 (Section 4.2: 2,000); see
 *                       {@link #warmupFor(int)} for short runs
 * @param unlabeledViews A of Eq. 6-7: strong augmentations of each unlabeled image per step
 * @param sharpen        s of the pseudo-label pixel weight max-probability^s (Section 4.2: 6)
 * @param ema            teacher decay τ of Eq. 2: [start, end], cosine ramp over training (authors: 0.995 to 1)
 * @param bank           the memory bank and contrastive module (Section 3.4)
 */
public record MethodConfig(String name, Weights weights, int warmup, int unlabeledViews, double sharpen,
                           List<Double> ema, Bank bank) {
    public MethodConfig {
        Check.present("method.name", name);
        Check.present("method.weights", weights);
        Check.atLeast("method.warmup", warmup, 0);
        Check.atLeast("method.unlabeled_views", unlabeledViews, 1);
        Check.inRange("method.sharpen", sharpen, 0, 100);
        if (ema == null || ema.size() != 2 || ema.get(0) == null || ema.get(1) == null
                || !(ema.get(0) >= 0 && ema.get(0) <= ema.get(1) && ema.get(1) <= 1)) {
            throw ConfigException.key("method.ema", "must be [start, end] with 0 <= start <= end <= 1 (got " + ema + ")");
        }
        Check.present("method.bank", bank);
    }

    /**
     * The warm-up of a run of {@code iterations}: {@link #warmup()} for runs at least five times as long, otherwise
     * the first fifth of the run (the paper's 2,000 of 150,000 iterations would leave a short run no time to use
     * pseudo-labels; a fifth keeps the teacher's first labels out while still leaving most of the run to them).
     */
    public int warmupFor(int iterations) {
        return iterations >= 5 * warmup ? warmup : Math.min(warmup, iterations / 5);
    }

    public double emaStart() {
        return ema.get(0);
    }

    public double emaEnd() {
        return ema.get(1);
    }

    /** λ of Eq. 1. */
    public record Weights(double sup, double pseudo, double ent, double contr) {
        public Weights {
            Check.inRange("method.weights.sup", sup, 0, 1e6);
            Check.inRange("method.weights.pseudo", pseudo, 0, 1e6);
            Check.inRange("method.weights.ent", ent, 0, 1e6);
            Check.inRange("method.weights.contr", contr, 0, 1e6);
        }
    }

    /**
     * The class-wise memory bank (Section 3.4, 4.2; ablations of Tables 7 and 8).
     *
     * @param size          ψ, vectors kept per class
     * @param dim           width of the projection and prediction heads; null: 256 × model.width (256 at width 1,
     *                      the paper's setting)
     * @param confidence    φ of the Feature Quality Filter
     * @param qualityFilter keep only candidates the teacher predicts correctly with confidence above φ (FQF)
     * @param attention     weigh vectors with the class-wise attention modules and rank bank candidates with them;
     *                      off: all weights 1 and candidates drawn at random
     * @param features      which network's projections fill the bank: teacher (f_ξ) or student
     */
    public record Bank(int size, Integer dim, double confidence, boolean qualityFilter, boolean attention,
                       String features) {
        public static final List<String> FEATURES = List.of("teacher", "student");

        public Bank {
            Check.atLeast("method.bank.size", size, 1);
            if (dim != null) {
                Check.atLeast("method.bank.dim", dim, 1);
            }
            Check.inRange("method.bank.confidence", confidence, 0, 1);
            Check.oneOf("method.bank.features", features, FEATURES);
        }
    }
}
