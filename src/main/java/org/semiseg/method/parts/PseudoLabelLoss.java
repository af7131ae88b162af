package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;

/**
 * One view's term of L_pseudo (Alonso et al. Eq. 6): the weighted cross-entropy (Eq. 3) of the student's prediction
 * against the pseudo-labels, each pixel weighted by β = confidence^s (Section 4.2, s = 6) and its class by α.
 */
public final class PseudoLabelLoss {
    private PseudoLabelLoss() {
    }

    /**
     * @param logP        the student's log-probabilities of the view (N, C, H, W)
     * @param target      the pseudo-labels on the view's pixels
     * @param classWeight α (C), or null
     * @param sharpen     s
     * @return scalar: −(1/N) Σ α_y β log p_y over the N labelled pixels (Eq. 3, {@link WeightedCrossEntropy})
     */
    public static NDArray of(NDArray logP, PseudoLabels target, NDArray classWeight, double sharpen, int ignoreIndex) {
        NDArray beta = GraphSafe.power(target.confidence(), sharpen);
        return WeightedCrossEntropy.hardOfLogProbabilities(logP, target.labels(), ignoreIndex, classWeight, beta);
    }
}
