package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import org.semiseg.method.Batch;

/**
 * Pseudo-labels of a teacher's prediction (Alonso et al. Eq. 5: ŷ = argmax_c f_ξ(x)), with the confidence (the max
 * probability) that weighs them, and where they follow a view's geometry or a mix.
 *
 * @param labels     (N, H, W) int64 class indices, the ignore index where there is no label (padding, outside view)
 * @param confidence (N, H, W) float32 max probability, 0 where there is no label
 */
public record PseudoLabels(NDArray labels, NDArray confidence) {

    /**
     * Eq. 5 on teacher logits (N, C, H, W) (detached); pixels the weak view padded get the ignore index and
     * confidence 0.
     */
    public static PseudoLabels of(NDArray logits, Batch.Padding padding, int ignoreIndex) {
        NDArray labels;
        NDArray confidence;
        try (NDArray prob = logits.softmax(1)) {
            labels = prob.argMax(1);
            confidence = prob.max(new int[] {1});
        }
        if (labels.getDataType() != DataType.INT64) {
            try (NDArray other = labels) {
                labels = other.toType(DataType.INT64, true);
            }
        }
        if (padding != null) {
            NDArray padded = padding.padded();
            try (NDArray ones = labels.onesLike(); NDArray ignored = ones.mul(ignoreIndex); // graph-safe: integer labels
                 NDArray zeros = confidence.zerosLike(); NDArray unpaddedLabels = labels;
                 NDArray unpaddedConfidence = confidence) {
                labels = NDArrays.where(padded, ignored, unpaddedLabels);
                confidence = NDArrays.where(padded, zeros, unpaddedConfidence);
            }
        }
        return new PseudoLabels(labels, confidence);
    }

    /** The labels and confidences on the pixels of a strong view ({@code map}: weak view to that view). */
    public PseudoLabels follow(ViewMap map, int ignoreIndex) {
        return new PseudoLabels(map.apply(labels, ignoreIndex), map.apply(confidence, 0));
    }

    /** The labels and confidences after the batch mix that the view's images went through. */
    public PseudoLabels mix(Mix mix) {
        return new PseudoLabels(mix.apply(labels), mix.apply(confidence));
    }

    /** (N, H, W) boolean: pixels with a label. */
    public NDArray valid(int ignoreIndex) {
        return labels.neq(ignoreIndex); // graph-safe: integer labels
    }

    /**
     * Share of labelled pixels whose confidence is at least {@code threshold}, a float32 scalar on the device (0
     * without labelled pixels), for {@link org.semiseg.method.StepResult#scalars} (checked every step, logged on logged steps):
     * UniMatch's {@code mask_ratio}, the teacher methods' {@code confident_share}.
     */
    public NDArray confidentShare(double threshold, int ignoreIndex) {
        NDArray valid = valid(ignoreIndex);
        NDArray confident = valid.logicalAnd(confidence.gte(threshold)).toType(DataType.FLOAT32, false); // graph-safe: no gradient
        NDArray all = valid.toType(DataType.FLOAT32, false).sum();
        return confident.sum().div(all.maximum(1f)); // graph-safe: counts of masks
    }

}
