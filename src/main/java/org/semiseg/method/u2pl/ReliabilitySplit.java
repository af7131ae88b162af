package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.parts.Entropy;

/**
 * U2PL's split of the unlabeled pixels by the teacher's entropy (Wang et al., CVPR 2022, Sec. 3.2). With p the
 * teacher's probabilities at a pixel, H(p) = −Σ_c p(c) log p(c) (nats); γ_t is the 100 (1 − α_t) percentile of H over
 * the batch's valid (non-padded) pixels, numpy's linear interpolation between order statistics; a pixel is
 * <em>unreliable</em> when H &gt; γ_t and <em>reliable</em> otherwise. Its pseudo-label argmax p is kept for L_u and
 * the anchors only where it is reliable; the unreliable pixels are the candidate negatives. The unreliable share
 * α_t = α_0 (1 − t / T) falls linearly from α_0 (20 %) to 0 over the T iterations of the run.
 *
 * <p>The paper writes "reliable if H &lt; γ_t" and "negative if H &gt; γ_t", which leaves the pixels with H = γ_t in
 * neither; here they are reliable (so at α_t = 0, where γ_t is the largest entropy, every pixel is reliable). The
 * authors' code takes the percentile per epoch (α_t falls in steps) and drops H ≥ γ_t; here α_t falls every iteration.
 *
 * @param entropy    (N, H, W) float32, H(p) of every pixel
 * @param threshold  γ_t, a scalar float32 array (0 when no pixel is valid)
 * @param reliable   (N, H, W) boolean: valid and H ≤ γ_t
 * @param unreliable (N, H, W) boolean: valid and H &gt; γ_t
 */
public record ReliabilitySplit(NDArray entropy, NDArray threshold, NDArray reliable, NDArray unreliable) {

    /** α_t = α_0 (1 − t / T): the share of unreliable pixels at 0-based iteration t of a run of T iterations. */
    public static double unreliableShare(double alpha0, int iteration, int iterations) {
        double progress = iterations <= 0 ? 1 : Math.min(1, Math.max(0, iteration / (double) iterations));
        return alpha0 * (1 - progress);
    }

    /**
     * α_t counted over the iterations that train on unlabeled pixels: α_0 (1 − (t − W) / (T − W)) after a supervised
     * warm-up of W iterations, so the first unlabeled step partitions at α_0 as the paper's first step does (the paper
     * has no warm-up; counted from iteration 0, a warm-up of a fifth of the run would start at 0.8 α_0).
     */
    public static double unreliableShare(double alpha0, int iteration, int iterations, int warmup) {
        return unreliableShare(alpha0, iteration - warmup, iterations - warmup);
    }

    /**
     * The split of the pixels of a batch.
     *
     * @param logits the teacher's (N, C, H, W) logits, detached
     * @param valid  (N, H, W) boolean: pixels that have a pseudo-label (not padded)
     * @param alpha  α_t in [0, 1]
     */
    public static ReliabilitySplit of(NDArray logits, NDArray valid, double alpha) {
        NDArray entropy = Entropy.perPixel(logits.logSoftmax(1));
        NDArray threshold = percentile(entropy.get(new NDIndex("{}", valid)), 100 * (1 - alpha));
        NDArray unreliable = valid.logicalAnd(entropy.gt(threshold));
        NDArray reliable = valid.logicalAnd(unreliable.logicalNot());
        return new ReliabilitySplit(entropy, threshold, reliable, unreliable);
    }

    /**
     * The q-th percentile (q in [0, 100]) of a 1-D float array, as {@code numpy.percentile(values, q)} (linear): with
     * the values sorted v_0 ≤ ... ≤ v_{n-1} and position q / 100 · (n − 1) = k + f, v_k + f (v_{k+1} − v_k). A scalar
     * array of the values' manager; 0 for no values.
     */
    public static NDArray percentile(NDArray values, double q) {
        long n = values.size();
        if (n == 0) {
            return values.getManager().zeros(new Shape(), DataType.FLOAT32);
        }
        NDArray sorted = values.sort();
        double position = q / 100 * (n - 1);
        long lo = (long) Math.floor(position);
        long hi = Math.min(lo + 1, n - 1);
        NDArray low = sorted.get(lo);
        return low.add(GraphSafe.scale(sorted.get(hi).sub(low), position - lo));
    }

    /** The pseudo-labels where the pixel is reliable and {@code ignoreIndex} elsewhere: (N, H, W) like {@code labels}. */
    public NDArray reliableLabels(NDArray labels, int ignoreIndex) {
        NDArray ignored = labels.getManager().full(new Shape(), ignoreIndex, labels.getDataType());
        return NDArrays.where(reliable, labels, ignored);
    }

    /** Reliable pixels among the valid ones, a scalar float32 array (0 without valid pixels). */
    public NDArray reliableShare() {
        NDArray kept = reliable.toType(DataType.FLOAT32, false).sum();
        NDArray all = kept.add(unreliable.toType(DataType.FLOAT32, false).sum());
        return kept.div(all.maximum(1f)); // graph-safe: counts of masks, no gradient
    }
}
