package org.semiseg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The weighted cross-entropy H of Eq. 3 (Alonso et al.):
 * {@code H(y1, y2) = −1/N Σ_n Σ_c y2(n,c) · log y1(n,c) · α_c · β_n}, where N counts the pixels that take part
 * (ignored pixels are left out of both the sum and N), α_c is a per-class weight and β_n a per-pixel weight.
 * Note the normalisation by N (as in the paper), not by the sum of the weights (as torch's weighted CE does).
 */
public final class WeightedCrossEntropy {
    private WeightedCrossEntropy() {
    }

    /**
     * Eq. 3 with one-hot targets.
     *
     * @param logits      (B, C, H, W) unnormalised scores
     * @param labels      (B, H, W) integer class indices; {@code ignoreIndex} marks pixels left out
     * @param classWeight (C) α, or null for all ones
     * @param pixelWeight (B, H, W) β, or null for all ones
     * @return scalar loss
     */
    public static NDArray hard(NDArray logits, NDArray labels, int ignoreIndex, NDArray classWeight, NDArray pixelWeight) {
        return hardOfLogProbabilities(logits.logSoftmax(1), labels, ignoreIndex, classWeight, pixelWeight);
    }

    /**
     * {@link #hard} from log-probabilities already computed ({@code logits.logSoftmax(1)}), for a caller that needs
     * them for another term too (the pseudo-label and entropy terms of one view share one log-softmax).
     *
     * @param logProb (B, C, H, W) log-softmax over axis 1
     */
    public static NDArray hardOfLogProbabilities(NDArray logProb, NDArray labels, int ignoreIndex, NDArray classWeight,
                                                 NDArray pixelWeight) {
        NDArray valid = labels.neq(ignoreIndex);
        NDArray safeLabels = labels.mul(valid.toType(labels.getDataType(), false)).toType(DataType.INT64, false);
        NDArray picked = logProb.gather(safeLabels.expandDims(1), 1).squeeze(1);
        NDArray weight = valid.toType(DataType.FLOAT32, false);
        if (classWeight != null) {
            weight = weight.mul(classWeight.take(safeLabels));
        }
        if (pixelWeight != null) {
            weight = weight.mul(pixelWeight);
        }
        NDArray count = valid.sum().toType(DataType.FLOAT32, false).maximum(1f); // graph-safe: a count of a mask
        return picked.mul(weight).sum().neg().div(count);
    }

    /**
     * Eq. 3 with soft targets y2 (probabilities per pixel).
     *
     * @param logits      (B, C, H, W) scores whose softmax is y1
     * @param target      (B, C, H, W) y2
     * @param classWeight (C) α, or null
     * @param pixelWeight (B, H, W) β, or null; pixels with weight 0 still count in N
     */
    public static NDArray soft(NDArray logits, NDArray target, NDArray classWeight, NDArray pixelWeight) {
        NDArray terms = logits.logSoftmax(1).mul(target);
        if (classWeight != null) {
            terms = terms.mul(classWeight.reshape(1, -1, 1, 1));
        }
        NDArray perPixel = terms.sum(new int[] {1});
        if (pixelWeight != null) {
            perPixel = perPixel.mul(pixelWeight);
        }
        return perPixel.mean().neg();
    }
}
