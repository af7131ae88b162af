package org.semiseg.augment;

import org.semiseg.SemisegException;

import java.util.List;
import java.util.Locale;

/**
 * The parameters of one augmentation set-up. {@link #WEAK} and {@link #STRONG} are Table 1 of Alonso et al.,
 * "Semi-Supervised Semantic Segmentation with Pixel-Level Contrastive Learning from a Class-wise Memory Bank"
 * (ICCV 2021); {@link #NONE} changes nothing. Details the table leaves open (blur kernel and sigma range, jitter
 * semantics, how ClassMix pairs images and picks classes) are documented on {@link GaussianBlur},
 * {@link ColorJitter} and {@link org.semiseg.method.parts.ClassMix}.
 *
 * @param name                the preset's name, as {@link #named} accepts it
 * @param flip                probability of a horizontal flip
 * @param scaleProbability    probability of a random resize
 * @param scaleMin            smallest resize factor
 * @param scaleMax            largest resize factor
 * @param jitterProbability   probability of colour jittering
 * @param brightness          brightness max intensity
 * @param contrast            contrast max intensity
 * @param saturation          saturation max intensity
 * @param hue                 hue max intensity (fraction of a full turn)
 * @param blurProbability     probability of Gaussian blurring
 * @param classMixProbability probability of ClassMix, per batch as in the authors' code (see {@link org.semiseg.method.parts.ClassMix})
 */
public record AugmentPreset(String name, double flip, double scaleProbability, double scaleMin, double scaleMax,
                            double jitterProbability, double brightness, double contrast, double saturation,
                            double hue, double blurProbability, double classMixProbability) {
    /** No augmentation at all. */
    public static final AugmentPreset NONE = new AugmentPreset("none", 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    /** Table 1, "Weak": for labeled images. */
    public static final AugmentPreset WEAK = new AugmentPreset("weak", 0.5, 0.5, 0.75, 1.75, 0.2, 0.15, 0.15, 0.075, 0.05, 0, 0.2);
    /** Table 1, "Strong": for unlabeled images. */
    public static final AugmentPreset STRONG = new AugmentPreset("strong", 0.5, 0.8, 0.75, 1.75, 0.8, 0.30, 0.30, 0.15, 0.10, 0.2, 0.8);

    /** The presets {@link #named} knows, in order. */
    public static final List<AugmentPreset> ALL = List.of(NONE, WEAK, STRONG);

    public AugmentPreset {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a preset needs a name");
        }
        Checks.probability("flip probability", flip);
        Checks.probability("scale probability", scaleProbability);
        Checks.probability("colour jitter probability", jitterProbability);
        Checks.probability("blur probability", blurProbability);
        Checks.probability("ClassMix probability", classMixProbability);
        // The ops validate the remaining ranges; fail here, where the preset is made, rather than at first use.
        new RandomScale(scaleProbability, scaleMin, scaleMax);
        new ColorJitter(jitterProbability, brightness, contrast, saturation, hue);
    }

    /**
     * The preset called {@code name} (case-insensitive).
     *
     * @throws SemisegException for an unknown name, listing the known ones
     */
    public static AugmentPreset named(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (AugmentPreset p : ALL) {
            if (p.name.equals(key)) {
                return p;
            }
        }
        throw new SemisegException("unknown augmentation preset '" + name + "': expected one of "
                + String.join(", ", ALL.stream().map(AugmentPreset::name).toList()));
    }
}
