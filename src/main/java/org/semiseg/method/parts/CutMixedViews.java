package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.semiseg.method.Batch;
import org.semiseg.method.Step;

import java.util.ArrayList;
import java.util.List;
import org.semiseg.loss.GraphSafe;

/**
 * FixMatch's and UniMatch's strong views (Yang et al., CVPR 2023, Sec. 3.1 and 3.3): each view of the weak view's
 * pixels gets its own CutMix ({@link CutMix.Box#UNIMATCH}, the partner the next image of the batch), and the weak
 * view's pseudo-labels and confidences follow each box.
 *
 * @param images  the A mixed views stacked on the batch axis, (A·N, 3, H, W), for one student forward
 * @param targets each view's pseudo-labels and confidences after its mix, (N, H, W)
 */
public record CutMixedViews(NDArray images, List<PseudoLabels> targets) {

    /**
     * @param views       the strong views, each (N, 3, H, W) on the weak view's pixels
     * @param pseudo      the weak view's pseudo-labels
     * @param probability CutMix probability per image
     * @param stream      view v draws from {@code step.random(stream + v)}
     */
    public static CutMixedViews of(Step step, List<Batch.View> views, PseudoLabels pseudo, double probability,
                                   long stream) {
        List<NDArray> images = new ArrayList<>();
        List<PseudoLabels> targets = new ArrayList<>();
        for (int v = 0; v < views.size(); v++) {
            NDArray view = views.get(v).images();
            Mix mix = CutMix.choose(view, probability, CutMix.Box.UNIMATCH, step.random(stream + v));
            images.add(mix.apply(view));
            targets.add(pseudo.mix(mix));
        }
        return new CutMixedViews(GraphSafe.concat(new NDList(images), 0), targets);
    }

    /**
     * Each view's {@link MaskedCrossEntropy} from the student's logits of {@link #images}, (A·N, C, H, W): view v's
     * rows [v·N, (v+1)·N); {@code classWeight} α (C) weights each kept pixel by its class ({@code balance_unlabeled}), null
     * not (the authors').
     */
    public List<NDArray> losses(NDArray logits, double threshold, int ignoreIndex, NDArray classWeight) {
        long n = logits.getShape().get(0) / targets.size();
        List<NDArray> out = new ArrayList<>();
        for (int v = 0; v < targets.size(); v++) {
            NDArray rows = targets.size() == 1 ? logits : logits.get(v * n + ":" + (v + 1) * n);
            out.add(MaskedCrossEntropy.of(rows, targets.get(v), threshold, ignoreIndex, classWeight));
        }
        return out;
    }
}
