package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import org.semiseg.loss.WeightedCrossEntropy;

/**
 * Labeled images only: L = L_sup = H(f_θ(x_l), y_l) with per-pixel weights β = 1 (Eq. 3-4 of Alonso et al.). With a
 * source domain, its labeled images join the target's in the same loss.
 */
public final class Supervised implements Method {
    @Override
    public StepResult step(StepContext step) {
        NDArray x = step.xLabeled();
        NDArray y = step.yLabeled();
        if (step.hasSource()) {
            x = x.concat(step.xSource(), 0);
            y = y.concat(step.ySource(), 0);
        }
        NDArray logits = step.studentForward(x).get(0);
        NDArray loss = WeightedCrossEntropy.hard(logits, y, step.ignoreIndex(), step.classWeight(), null);
        return StepResult.of("sup", loss);
    }
}
