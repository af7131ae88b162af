package org.semiseg.method.pc2seg;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.u2pl.InfoNce;

import java.util.SplittableRandom;

/**
 * PC2Seg's contrastive term in feature space (Zhong et al., ICCV 2021, Sec. 3, l^ce) over a batch of unlabeled
 * images seen in two views that share their geometry (pixel i of one view is pixel i of the other):
 * <pre>
 *   l_i = −log( e^{cos(z_i, z_i⁺)/τ} / (e^{cos(z_i, z_i⁺)/τ} + Σ_{n=1}^{N} e^{cos(z_i, z⁻_in)/τ}) )
 * </pre>
 * <ul>
 *   <li>anchors z_i: up to {@code anchorsPerImage} valid pixels of each image ({@link PixelDraws#anchors}), their
 *       weak-view projections, under stop-gradient (the paper stops the gradient at the weak view);</li>
 *   <li>positive z_i⁺: the strong view's projection of the same pixel, which back-propagates;</li>
 *   <li>negatives z⁻_in: N strong-view projections of the batch's pixels, drawn with replacement by a
 *       {@link NegativeRule} from the weak view's probabilities ({@link PixelDraws#negatives}); they back-propagate
 *       too. With the anchor's side detached, negatives from the weak view would be constants: the term's gradient
 *       would only pull z_i⁺ towards z_i, weighted by 1 − p(positive), and push no pixel away from another. Drawn
 *       from the branch that learns, a sampled pixel is pushed away from the anchor, which is what makes a false
 *       negative harmful and the sampling rules matter.</li>
 * </ul>
 * The term is the mean of l_i over the anchors that have negatives. The draws (anchors first, then negatives) come
 * from the generator given. Cost: an (A, M) weight array on the device, copied to the host, for A anchors and M
 * pixels of the batch.
 */
public final class PixelContrast {
    private PixelContrast() {
    }

    /**
     * @param loss           the mean l_i, a scalar (0 without a gradient when no anchor has a negative)
     * @param anchors        anchors that contributed a term
     * @param negatives      negatives drawn for them (anchors × N)
     * @param falseNegatives drawn negatives whose pseudo-label (argmax ŷ) equals their anchor's
     */
    public record Result(NDArray loss, int anchors, int negatives, int falseNegatives) {
        /**
         * The share of drawn negatives with their anchor's pseudo-label; null when none was drawn (a step without
         * negatives is left out of the logged share rather than counted as 0, which would bias its mean low).
         */
        public Double falseNegativeShare() {
            return negatives == 0 ? null : falseNegatives / (double) negatives;
        }
    }

    /**
     * @param weak            (n, D, h, w) the weak view's projections; detached here
     * @param strong          (n, D, h, w) the strong view's projections of the same pixels
     * @param prob            (n, C, h, w) the weak view's class probabilities ŷ, detached
     * @param valid           (n, h, w) boolean: pixels that may be anchors and negatives (not padded)
     * @param anchorsPerImage anchors drawn per image
     * @param numNegatives    N
     * @param temperature     τ
     */
    public static Result of(NDArray weak, NDArray strong, NDArray prob, NDArray valid, NegativeRule rule,
                            int anchorsPerImage, int numNegatives, double temperature, SplittableRandom rng) {
        NDManager m = strong.getManager();
        Shape s = strong.getShape();
        int images = (int) s.get(0);
        int perImage = (int) (s.get(2) * s.get(3));
        int pixels = images * perImage;
        int[] anchors = PixelDraws.anchors(valid.toBooleanArray(), images, perImage, anchorsPerImage, rng);
        if (anchors.length == 0) {
            return new Result(m.zeros(new Shape()), 0, 0, 0);
        }
        NDArray probRows = rows(prob.stopGradient());
        float[] weights = rule.weights(anchors, probRows, valid.reshape(pixels), perImage).toFloatArray();
        int[] drawn = PixelDraws.negatives(weights, anchors.length, pixels, numNegatives, rng);

        int kept = 0;
        for (int a = 0; a < anchors.length; a++) {
            kept += drawn[a * numNegatives] >= 0 ? 1 : 0;
        }
        if (kept == 0) {
            return new Result(m.zeros(new Shape()), 0, 0, 0);
        }
        long[] labels = probRows.argMax(1).toType(DataType.INT64, false).toLongArray();
        int[] keptAnchors = new int[kept];
        int[] keptNegatives = new int[kept * numNegatives];
        int falseNegatives = 0;
        for (int a = 0, r = 0; a < anchors.length; a++) {
            if (drawn[a * numNegatives] < 0) {
                continue;
            }
            keptAnchors[r] = anchors[a];
            for (int k = 0; k < numNegatives; k++) {
                int j = drawn[a * numNegatives + k];
                keptNegatives[r * numNegatives + k] = j;
                falseNegatives += labels[j] == labels[anchors[a]] ? 1 : 0;
            }
            r++;
        }
        // cosine similarities of each anchor with every strong pixel by one matrix product, then the drawn ones picked
        // out: the same values as gathering the negatives' rows, but without the gather's backward, whose repeated
        // indices PyTorch's CPU kernel sums with parallel atomic adds in no fixed order (runs were not repeatable)
        NDArray anchorRows = index(m, keptAnchors);
        NDArray strongUnit = InfoNce.unit(rows(strong), 1);
        NDArray z = InfoNce.unit(rows(weak.stopGradient()).get(anchorRows), 1);
        NDArray similarity = z.matMul(strongUnit.transpose());
        NDArray positive = similarity.gather(anchorRows.reshape(kept, 1), 1);
        NDArray negative = similarity.gather(index(m, keptNegatives).reshape(kept, numNegatives), 1);
        NDArray loss = InfoNce.fromSimilarities(positive, negative, temperature).mean();
        return new Result(loss, kept, kept * numNegatives, falseNegatives);
    }

    /** (n, D, h, w) to (n·h·w, D), pixels in (n, y, x) order. */
    static NDArray rows(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1));
    }

    private static NDArray index(NDManager m, int[] values) {
        return GraphSafe.upload(m, values).toType(DataType.INT64, false);
    }
}
