package org.semiseg.method.pc2seg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.semiseg.loss.GraphSafe;

import java.util.Arrays;
import java.util.List;

/**
 * PC2Seg's negative-sampling rules (Zhong et al., ICCV 2021, Sec. 3, "negative sampling"): for anchor pixel i, its N
 * negatives are drawn from the M pixels of the batch, z⁻_in ~ Discrete({z_j}; {p_ij}), with p_ij ∝ w_ij and
 * <ul>
 *   <li>{@code uniform}: w_ij = 1 for every pixel j but the anchor;</li>
 *   <li>{@code other_image}: w_ij = 1{I_i ≠ I_j}, pixels of the other images only;</li>
 *   <li>{@code debiased}: w_ij = P(ŷ_i ≠ ŷ_j) = 1 − ŷ_iᵀŷ_j, ŷ the class-probability vectors (the paper's form: the
 *       probability that two independent draws from the two predictions differ), j ≠ i;</li>
 *   <li>{@code other_image_debiased}: the product 1{I_i ≠ I_j} (1 − ŷ_iᵀŷ_j), the paper's choice.</li>
 * </ul>
 * In every rule a pixel that is not valid (padding) has weight 0, and so has the anchor itself. Pixels are indexed
 * j = n·h·w + y·w + x (image n, row y, column x), so I_j = j / (h·w).
 */
public enum NegativeRule {
    UNIFORM("uniform", false, false),
    OTHER_IMAGE("other_image", true, false),
    DEBIASED("debiased", false, true),
    OTHER_IMAGE_DEBIASED("other_image_debiased", true, true);

    private final String key;
    private final boolean otherImage;
    private final boolean debiased;

    NegativeRule(String key, boolean otherImage, boolean debiased) {
        this.key = key;
        this.otherImage = otherImage;
        this.debiased = debiased;
    }

    /** The name in {@code method.pc2seg.negatives}. */
    public String key() {
        return key;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(NegativeRule::key).toList();
    }

    /** The rule of that name; IllegalArgumentException for another. */
    public static NegativeRule named(String key) {
        for (NegativeRule r : values()) {
            if (r.key.equals(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("no negative rule '" + key + "'; rules: " + String.join(", ", keys()));
    }

    /**
     * The unnormalised w_ij of every anchor and pixel: row i divided by its sum is p_i·. Built on the device: one
     * (A, M) array, and for the debiased rules one (A, C) x (C, M) product.
     *
     * @param anchors        the anchors' pixel indices j in [0, M)
     * @param prob           (M, C) class probabilities ŷ per pixel; detached here (no gradient flows through p_ij)
     * @param valid          (M) boolean, the pixels that may be negatives
     * @param pixelsPerImage h·w
     * @return (A, M) float32, in {@code prob}'s manager
     */
    public NDArray weights(int[] anchors, NDArray prob, NDArray valid, int pixelsPerImage) {
        NDManager m = prob.getManager();
        int pixels = (int) prob.getShape().get(0);
        int count = anchors.length;
        NDArray anchor = GraphSafe.upload(m, anchors).toType(DataType.INT64, false);
        NDArray columns = m.arange(0, pixels, 1, DataType.INT64).reshape(1, pixels);
        NDArray allowed = columns.neq(anchor.reshape(count, 1)).logicalAnd(valid.reshape(1, pixels));
        if (otherImage) {
            int[] imageOfPixel = new int[pixels];
            for (int j = 0; j < pixels; j++) {
                imageOfPixel[j] = j / pixelsPerImage;
            }
            int[] imageOfAnchor = new int[count];
            for (int a = 0; a < count; a++) {
                imageOfAnchor[a] = anchors[a] / pixelsPerImage;
            }
            NDArray other = GraphSafe.upload(m, imageOfPixel).reshape(1, pixels)
                    .neq(GraphSafe.upload(m, imageOfAnchor).reshape(count, 1));
            allowed = allowed.logicalAnd(other);
        }
        NDArray w = allowed.toType(DataType.FLOAT32, false);
        if (debiased) {
            NDArray p = prob.stopGradient();
            NDArray same = p.get(anchor).matMul(p.transpose());                  // ŷ_iᵀŷ_j, (A, M)
            NDArray differ = same.onesLike().sub(same).maximum(0f); // graph-safe: detached probabilities
            w = w.mul(differ);
        }
        return w;
    }
}
