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
 * @param grayscaleProbability probability of turning the image gray ({@link RandomGrayscale}), after the jitter
 * @param blurSigmaMin        smallest blur standard deviation (pixels)
 * @param blurSigmaMax        largest blur standard deviation (pixels)
 */
public record AugmentPreset(String name, double flip, double scaleProbability, double scaleMin, double scaleMax,
                            double jitterProbability, double brightness, double contrast, double saturation,
                            double hue, double blurProbability, double classMixProbability,
                            double grayscaleProbability, double blurSigmaMin, double blurSigmaMax) {
    /** No augmentation at all. */
    public static final AugmentPreset NONE = new AugmentPreset("none", 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0);
    /** Table 1, "Weak": for labeled images. */
    public static final AugmentPreset WEAK = new AugmentPreset("weak", 0.5, 0.5, 0.75, 1.75, 0.2, 0.15, 0.15, 0.075, 0.05, 0, 0.2);
    /** Table 1, "Strong": for unlabeled images. */
    public static final AugmentPreset STRONG = new AugmentPreset("strong", 0.5, 0.8, 0.75, 1.75, 0.8, 0.30, 0.30, 0.15, 0.10, 0.2, 0.8);

    /**
     * UniMatch's (Yang et al., CVPR 2023) labeled images and weak view ({@code dataset/semi.py} of
     * LiheYoung/UniMatch): always rescaled by a factor in [0.5, 2.0], cropped, flipped with probability 0.5; nothing
     * photometric. (Their factor scales the long side to an integer drawn in [0.5 L, 2.0 L]; here it is uniform.)
     */
    public static final AugmentPreset UNIMATCH_WEAK = new AugmentPreset("unimatch-weak", 0.5, 1, 0.5, 2.0,
            0, 0, 0, 0, 0, 0, 0, 0, GaussianBlur.DEFAULT_SIGMA_MIN, GaussianBlur.DEFAULT_SIGMA_MAX);
    /**
     * UniMatch's strong view (FixMatch's in their code): the weak view's geometry, then colour jitter 0.5 / 0.5 / 0.5
     * / 0.25 with probability 0.8, grayscale with probability 0.2, Gaussian blur with sigma uniform in [0.1, 2.0]
     * with probability 0.5 (PIL's {@code GaussianBlur(radius=sigma)}, whose radius is the standard deviation). Their
     * CutMix (probability 0.5) is a batch operation of the method ({@link org.semiseg.method.parts.CutMix}), not part
     * of the preset.
     */
    public static final AugmentPreset UNIMATCH_STRONG = new AugmentPreset("unimatch-strong", 0.5, 1, 0.5, 2.0,
            0.8, 0.5, 0.5, 0.5, 0.25, 0.5, 0, 0.2, 0.1, 2.0);

    /** The presets {@link #named} knows, in order. */
    public static final List<AugmentPreset> ALL = List.of(NONE, WEAK, STRONG, UNIMATCH_WEAK, UNIMATCH_STRONG);

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
        new RandomGrayscale(grayscaleProbability);
        new GaussianBlur(blurProbability, blurSigmaMin, blurSigmaMax, GaussianBlur.DEFAULT_KERNEL);
    }

    /** A preset without grayscale and with the blur sigma range of Alonso et al.'s code (0.1 to 1.5). */
    public AugmentPreset(String name, double flip, double scaleProbability, double scaleMin, double scaleMax,
                         double jitterProbability, double brightness, double contrast, double saturation, double hue,
                         double blurProbability, double classMixProbability) {
        this(name, flip, scaleProbability, scaleMin, scaleMax, jitterProbability, brightness, contrast, saturation, hue,
                blurProbability, classMixProbability, 0, GaussianBlur.DEFAULT_SIGMA_MIN, GaussianBlur.DEFAULT_SIGMA_MAX);
    }

    /** The preset names {@link #named} knows, in order. */
    public static List<String> names() {
        return ALL.stream().map(AugmentPreset::name).toList();
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
                + String.join(", ", names()));
    }
}
