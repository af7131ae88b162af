package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;

/**
 * The term of one anchor in U2PL's contrastive loss (Wang et al., CVPR 2022, Eq. 3):
 * {@code −log( e^{⟨z, z+⟩/τ} / (e^{⟨z, z+⟩/τ} + Σ_j e^{⟨z, z_j^-⟩/τ}) )}, with ⟨·,·⟩ the cosine similarity: the
 * cross-entropy of the logits [⟨z, z+⟩, ⟨z, z_1^-⟩, ..., ⟨z, z_K^-⟩] / τ with the positive at index 0. Cosines divide
 * by max(‖·‖, 1e-8) per vector, as torch's {@code cosine_similarity}.
 */
public final class InfoNce {
    private static final float EPS = 1e-8f;

    private InfoNce() {
    }

    /**
     * @param anchors     (A, D) z, may carry a gradient
     * @param positives   (A, D) z+ of each anchor, detached in U2PL (PC2Seg's carry the gradient: the term is the
     *                    same whichever side does)
     * @param negatives   (A, K, D) z^- of each anchor, detached in U2PL (PC2Seg's carry the gradient)
     * @param temperature τ
     * @return (A) the loss of every anchor
     */
    public static NDArray perAnchor(NDArray anchors, NDArray positives, NDArray negatives, double temperature) {
        NDArray z = unit(anchors, 1);
        NDArray positive = z.mul(unit(positives, 1)).sum(new int[] {1}).expandDims(1);
        NDArray negative = unit(negatives, 2).batchMatMul(z.expandDims(2)).squeeze(2);
        NDArray logits = GraphSafe.divide(GraphSafe.concat(new NDList(positive, negative), 1), temperature);
        return logits.logSoftmax(1).get(":, 0").neg();
    }

    /**
     * The same loss from cosine similarities already computed: −log softmax([positive, negatives] / τ)[0] per anchor.
     *
     * @param positive  (A, 1) cos(z_a, z_a⁺)
     * @param negatives (A, N) cos(z_a, z_n)
     */
    public static NDArray fromSimilarities(NDArray positive, NDArray negatives, double temperature) {
        NDArray logits = GraphSafe.divide(GraphSafe.concat(new NDList(positive, negatives), 1), temperature);
        return logits.logSoftmax(1).get(":, 0").neg();
    }

    /** x / max(‖x‖, 1e-8) along {@code axis}. */
    public static NDArray unit(NDArray x, int axis) {
        NDArray floor = x.getManager().full(new Shape(), EPS, x.getDataType());
        return x.div(x.norm(new int[] {axis}, true).maximum(floor));
    }
}
