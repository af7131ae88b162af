package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import org.semiseg.loss.WeightedCrossEntropy;

/**
 * Labeled images only: L = L_sup = H(f_θ(x_l), y_l) with per-pixel weights β = 1 (Eq. 3-4 of Alonso et al.). With a
 * source domain, its labeled images join the target's in the same loss.
 */
public final class Supervised implements Method {
    @Override
    public StepResult step(Step step) {
        NDArray x = step.labeled().images();
        NDArray y = step.labeled().masks();
        if (step.source() != null) {
            x = x.concat(step.source().images(), 0);
            y = y.concat(step.source().masks(), 0);
        }
        NDArray logits = step.forward(x).get(0);
        NDArray loss = WeightedCrossEntropy.hard(logits, y, step.ignoreIndex(), step.classWeight(), null);
        return StepResult.of("sup", loss);
    }
}
