package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.semiseg.loss.WeightedCrossEntropy;

/**
 * The unsupervised term of FixMatch and UniMatch (Yang et al., CVPR 2023, Sec. 3.1: the cross-entropy H(p^w, p^s)
 * kept where max(p^w) ≥ τ), normalised as their {@code unimatch.py} does:
 * {@code L = Σ_p 1[conf_p ≥ τ] · (−log softmax(logits)_p[ŷ_p]) / #{p : ŷ_p not ignored}}, i.e. summed over the confident
 * pixels and divided by every pixel that has a pseudo-label (the non-padded ones), not by the confident ones. With no
 * labelled pixel the loss is 0.
 */
public final class MaskedCrossEntropy {
    private MaskedCrossEntropy() {
    }

    /**
     * @param logits      the student's (N, C, H, W) scores of the strong (or perturbed) view
     * @param target      (N, H, W) pseudo-labels (the ignore index where padded) and their confidences, detached
     * @param threshold   τ; confidence ≥ τ takes part
     * @param classWeight null: the authors' term; else α (C), each kept pixel's term weighted by α of its pseudo-label's
     *                    class (Alonso et al. Eq. 3's class balancing carried to L_u; not the authors'):
     *                    {@code Σ_p 1[conf_p ≥ τ] α_ŷp (−log p_p[ŷ_p]) / #{non-padded p}}
     * @return scalar loss
     */
    public static NDArray of(NDArray logits, PseudoLabels target, double threshold, int ignoreIndex,
                             NDArray classWeight) {
        // Eq. 3 of Alonso et al. counts N as the non-ignored pixels whatever their weight: exactly this denominator
        NDArray confident = target.confidence().gte(threshold).toType(DataType.FLOAT32, false); // graph-safe: detached confidences
        return WeightedCrossEntropy.hard(logits, target.labels(), ignoreIndex, classWeight, confident);
    }
}
