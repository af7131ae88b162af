package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.semiseg.method.Step;

import java.util.List;
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

    /**
     * Eq. 6 over A views before its weight: Σ_a of {@link #of} for view a (the caller applies λ/A), with the student
     * run once over the A views stacked on the batch axis (one forward pass, so BN sees all views together).
     *
     * @param images  the A views' images, each (N, 3, H, W)
     * @param targets each view's pseudo-labels, in its own pixels
     */
    public static NDArray overViews(Step step, List<NDArray> images, List<PseudoLabels> targets, NDArray classWeight,
                                    double sharpen) {
        long n = images.get(0).getShape().get(0);
        NDArray logP = step.forward(GraphSafe.concat(new NDList(images), 0)).get(0).logSoftmax(1);
        NDArray sum = null;
        for (int a = 0; a < targets.size(); a++) {
            NDArray term = of(logP.get(a * n + ":" + (a + 1) * n), targets.get(a), classWeight, sharpen,
                    step.ignoreIndex());
            sum = sum == null ? term : sum.add(term);
        }
        return sum;
    }
}
