package org.semiseg.method.pc2seg;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The host draws of PC2Seg's contrast, from the step's generator so that a step's choices follow from (seed, stream,
 * iteration) and a resumed run repeats them: the anchors of each image, and the negatives of each anchor from the
 * weights of a {@link NegativeRule}. Pixels are indexed j = n·h·w + y·w + x.
 */
public final class PixelDraws {
    private PixelDraws() {
    }

    /**
     * Up to {@code perImage} distinct valid pixels of every image, drawn without replacement (a partial Fisher-Yates
     * shuffle of the image's valid pixels); all of them when an image has fewer. Image by image, in draw order.
     *
     * @param valid          (images · pixelsPerImage) pixels that may be anchors (not padded)
     * @return the anchors' pixel indices
     */
    public static int[] anchors(boolean[] valid, int images, int pixelsPerImage, int perImage, SplittableRandom rng) {
        if (valid.length != images * pixelsPerImage) {
            throw new IllegalArgumentException(valid.length + " validity flags for " + images + " images of "
                    + pixelsPerImage + " pixels");
        }
        int[] out = new int[images * Math.min(perImage, pixelsPerImage)];
        int taken = 0;
        int[] candidates = new int[pixelsPerImage];
        for (int n = 0; n < images; n++) {
            int k = 0;
            for (int p = 0; p < pixelsPerImage; p++) {
                if (valid[n * pixelsPerImage + p]) {
                    candidates[k++] = n * pixelsPerImage + p;
                }
            }
            int draw = Math.min(perImage, k);
            for (int i = 0; i < draw; i++) {
                int j = i + rng.nextInt(k - i);
                int t = candidates[i];
                candidates[i] = candidates[j];
                candidates[j] = t;
                out[taken++] = candidates[i];
            }
        }
        return Arrays.copyOf(out, taken);
    }

    /**
     * {@code count} draws per row with replacement from the distribution p_ij = w_ij / Σ_k w_ik (the paper's N
     * independent draws from Discrete({z_j}; {p_ij})), by inverting the row's cumulative sum (in double) at a uniform
     * draw. A row whose weights sum to 0 (no allowed negative: one image and {@code other_image}, one predicted class
     * and one-hot probabilities) gets -1 in all its places and draws nothing.
     *
     * @param weights (rows · cols) w_ij ≥ 0, row-major
     * @return (rows · count) pixel indices, row by row
     */
    public static int[] negatives(float[] weights, int rows, int cols, int count, SplittableRandom rng) {
        if (weights.length != rows * cols) {
            throw new IllegalArgumentException(weights.length + " weights for " + rows + " x " + cols);
        }
        int[] out = new int[rows * count];
        double[] cumulative = new double[cols];
        for (int r = 0; r < rows; r++) {
            double total = 0;
            for (int j = 0; j < cols; j++) {
                total += Math.max(0, weights[r * cols + j]);
                cumulative[j] = total;
            }
            if (!(total > 0)) {
                Arrays.fill(out, r * count, (r + 1) * count, -1);
                continue;
            }
            for (int n = 0; n < count; n++) {
                out[r * count + n] = firstAbove(cumulative, rng.nextDouble() * total);
            }
        }
        return out;
    }

    /** The first index whose cumulative sum exceeds u (its own weight is then positive); u &lt; the last sum. */
    static int firstAbove(double[] cumulative, double u) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
