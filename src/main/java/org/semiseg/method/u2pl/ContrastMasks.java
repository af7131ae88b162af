package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;

/**
 * Which pixels of a batch are anchors of which class and which are negatives of which class, for U2PL's contrastive
 * loss (Wang et al., CVPR 2022, Sec. 3.3), at the representations' resolution. Rows [0, L) of the batch are labeled
 * images, rows [L, N) unlabeled ones; classes are indexed by their id c (axis 1 is the class id, whatever classes the
 * batch holds). With p the teacher's probabilities at a pixel and O(c) the rank of class c in p sorted in descending
 * order (0 = the most probable):
 * <ul>
 *   <li>anchors of c: labeled pixels with label y = c, unlabeled pixels with reliable pseudo-label ŷ = c, both where
 *       p(c) &gt; δ_p (A_c^l ∪ A_c^u);</li>
 *   <li>negatives of c, labeled: n^l(c) = 1[y ≠ c] · 1[0 ≤ O(c) &lt; r_l] over pixels that have a label; a pixel
 *       labeled c is never a negative of c. (The authors' {@code compute_contra_memobank_loss} also requires y = c, so
 *       its labeled negatives are always empty: their issue #171.)</li>
 *   <li>negatives of c, unlabeled: n^u(c) = 1[unreliable] · 1[r_l ≤ O(c) &lt; r_h] with r_h clipped to C; which
 *       unlabeled pixels may be negatives at all (the unreliable ones in the paper) is the caller's mask.</li>
 * </ul>
 *
 * @param anchors   (N, C, h, w) boolean, [n, c] true where the pixel is an anchor candidate of class c
 * @param negatives (N, C, h, w) boolean, [n, c] true where the pixel is a negative of class c
 */
public record ContrastMasks(NDArray anchors, NDArray negatives) {

    /**
     * The masks of a batch.
     *
     * @param labels        (N, h, w) int64: rows [0, L) the labels, rows [L, N) the reliable pseudo-labels; the
     *                      ignore index where there is none
     * @param prob          (N, C, h, w) the teacher's probabilities, detached
     * @param labeledRows   L
     * @param negativeSource (N − L, h, w) boolean: the unlabeled pixels that may be negatives (the unreliable ones)
     * @param deltaP        δ_p of the anchors
     * @param lowRank       r_l
     * @param highRank      r_h (clipped to C)
     */
    public static ContrastMasks of(NDArray labels, NDArray prob, int labeledRows, NDArray negativeSource,
                                   double deltaP, int lowRank, int highRank, int ignoreIndex) {
        int classes = (int) prob.getShape().get(1);
        NDArray ids = labels.getManager().arange(0, classes, 1, DataType.INT64).reshape(1, classes, 1, 1);
        NDArray oneHot = labels.expandDims(1).eq(ids);
        NDArray anchors = oneHot.logicalAnd(prob.gt(deltaP)); // graph-safe: teacher probabilities, detached
        NDArray rank = ranks(prob);
        int rh = Math.min(highRank, classes);

        NDArray hasLabel = labels.get(":" + labeledRows).neq(ignoreIndex).expandDims(1); // graph-safe: integer labels
        NDArray labeled = hasLabel.logicalAnd(oneHot.get(":" + labeledRows).logicalNot())
                .logicalAnd(rank.get(":" + labeledRows).lt(lowRank)); // graph-safe: integer ranks
        NDArray unlabeledRank = rank.get(labeledRows + ":");
        NDArray window = unlabeledRank.gte(lowRank).logicalAnd(unlabeledRank.lt(rh)); // graph-safe: integer ranks
        NDArray unlabeled = negativeSource.expandDims(1).logicalAnd(window);
        return new ContrastMasks(anchors, GraphSafe.concat(new NDList(labeled, unlabeled), 0));
    }

    /**
     * O(c) for every pixel: (N, C, h, w) int64, the position of class c when the pixel's probabilities (axis 1) are
     * sorted in descending order; 0 for the most probable class. Equal probabilities get distinct ranks in an
     * unspecified order.
     */
    public static NDArray ranks(NDArray prob) {
        return prob.argSort(1, false).argSort(1, true);
    }

    /** The number of pixels per class: anchors and negatives, each (C) counted over the batch, on the host. */
    public long[][] countsPerClass() {
        NDArray both = NDArrays.stack(new NDList(anchors.sum(new int[] {0, 2, 3}), negatives.sum(new int[] {0, 2, 3})));
        long[] flat = both.toType(DataType.INT64, false).toLongArray();
        int classes = flat.length / 2;
        long[][] out = new long[2][classes];
        System.arraycopy(flat, 0, out[0], 0, classes);
        System.arraycopy(flat, classes, out[1], 0, classes);
        return out;
    }

    /** The class-major form of a mask: (N, C, h, w) to (C, P) with P = N·h·w pixels in (n, y, x) order. */
    public static NDArray classMajor(NDArray mask) {
        Shape s = mask.getShape();
        return mask.transpose(1, 0, 2, 3).reshape(s.get(1), s.get(0) * s.get(2) * s.get(3));
    }
}
