package org.semiseg.method.pc2seg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * PC2Seg's consistency term in label space (Zhong et al., ICCV 2021, Sec. 3, l^cy):
 * {@code l_i = 1 − cos(ŷ_i, ŷ_i⁺)} with ŷ_i the weak view's class probabilities at pixel i, under stop-gradient, and
 * ŷ_i⁺ the strong view's at the same pixel, which back-propagates; averaged over the pixels that take part (the
 * non-padded ones). cos(u, v) = uᵀv / (‖u‖ ‖v‖); probability vectors have ‖·‖ ≥ 1/√C, so no floor is needed.
 */
public final class Consistency {
    private Consistency() {
    }

    /**
     * 1 − cos per pixel.
     *
     * @param weakLogits   (N, C, H, W) logits of the weak view; detached here
     * @param strongLogits (N, C, H, W) logits of the strong view, on the same pixels
     * @return (N, H, W)
     */
    public static NDArray perPixel(NDArray weakLogits, NDArray strongLogits) {
        NDArray cos = cosine(weakLogits, strongLogits);
        return cos.onesLike().sub(cos);
    }

    /**
     * The mean of 1 − cos over the valid pixels: (Σ_valid 1 − cos) / |valid|, a scalar; 0 when no pixel is valid.
     *
     * @param valid (N, H, W) boolean, the pixels that take part
     */
    public static NDArray loss(NDArray weakLogits, NDArray strongLogits, NDArray valid) {
        NDArray keep = valid.toType(DataType.FLOAT32, false);
        NDArray count = keep.sum();
        NDArray agreement = cosine(weakLogits, strongLogits).mul(keep).sum();
        return count.sub(agreement).div(count.maximum(1f)); // graph-safe: a count of a mask, no gradient
    }

    /** cos(ŷ, ŷ⁺) per pixel, (N, H, W); the weak side detached. */
    static NDArray cosine(NDArray weakLogits, NDArray strongLogits) {
        NDArray weak = weakLogits.stopGradient().softmax(1);
        NDArray strong = strongLogits.softmax(1);
        NDArray dot = weak.mul(strong).sum(new int[] {1});
        NDArray norms = weak.norm(new int[] {1}).mul(strong.norm(new int[] {1}));
        return dot.div(norms);
    }
}
