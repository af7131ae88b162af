package org.semiseg.method.cct;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kinds of perturbation of the encoder's output z that CCT's auxiliary decoders see (Ouali et al., CVPR 2020,
 * Sec. 3.2), by the name {@code method.cct.decoders} gives them, with the authors' number of decoders of each
 * ({@code configs/config.json}: 30 in all). The order here is the order of the decoders in the stacked module.
 */
public enum Perturbation {
    /** Random: spatial dropout, {@link org.semiseg.model.Dropout2d}. */
    DROPOUT("dropout", 6),
    /** Feature-based: {@link FeatureDrop}. */
    FEATURE_DROP("feature_drop", 6),
    /** Feature-based: {@link FeatureNoise}. */
    FEATURE_NOISE("feature_noise", 6),
    /** Prediction-based: {@link IntermediateVat}. */
    VAT("vat", 2),
    /** Prediction-based: {@link GuidedMasks#cutout}. */
    GUIDED_CUTOUT("guided_cutout", 6),
    /** Prediction-based: z ⊙ M_obj, the context masked ({@link GuidedMasks#objects}). */
    CONTEXT_MASKING("context_masking", 2),
    /** Prediction-based: z ⊙ (1 − M_obj), the objects masked. */
    OBJECT_MASKING("object_masking", 2);

    private final String key;
    private final int authorsCount;

    Perturbation(String key, int authorsCount) {
        this.key = key;
        this.authorsCount = authorsCount;
    }

    /** The name in {@code method.cct.decoders} and in the logged {@code loss_unsup_<name>}. */
    public String key() {
        return key;
    }

    /** How many decoders of this kind the authors train. */
    public int authorsCount() {
        return authorsCount;
    }

    /** The kind called {@code key}, or null. */
    public static Perturbation named(String key) {
        for (Perturbation p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }

    /** Every name, in order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(Perturbation::key).toList();
    }

    /** The authors' counts, in order. */
    public static Map<Perturbation, Integer> authorsCounts() {
        Map<Perturbation, Integer> out = new LinkedHashMap<>();
        for (Perturbation p : values()) {
            out.put(p, p.authorsCount);
        }
        return out;
    }
}
