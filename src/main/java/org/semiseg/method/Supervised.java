package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import org.semiseg.loss.WeightedCrossEntropy;

/** Labeled images only: L = L_sup = H(f_θ(x_l), y_l) with per-pixel weights β = 1 (Eq. 3-4 of Alonso et al.). */
public final class Supervised implements Method {
    @Override
    public StepResult step(StepContext step) {
        NDArray logits = step.studentForward(step.xLabeled()).get(0);
        NDArray loss = WeightedCrossEntropy.hard(logits, step.yLabeled(), step.ignoreIndex(), step.classWeight(), null);
        return StepResult.of("sup", loss);
    }
}
