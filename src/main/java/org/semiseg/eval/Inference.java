package org.semiseg.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Test-time inference: whole image, centre crop or sliding windows, averaged over horizontal flips and scales.
 *
 * <p>Every view (scale x flip) yields softmax probabilities that are resized (bilinear) back to the evaluated size
 * and averaged with equal weight.
 */
public final class Inference {
    /** DJL's interpolation mode id for bilinear (mapped to torch's bilinear, align_corners=false). */
    private static final int BILINEAR = 1;

    private Inference() {
    }

    /**
     * Class probabilities of a normalised batch.
     *
     * @param f     the network in eval mode
     * @param image normalised float32 {@code (N, 3, H, W)}; usually {@code N = 1}
     * @param spec  inference mode, flip and scales
     * @return softmax probabilities {@code (N, C, H', W')} in {@code image}'s manager, where {@code H' x W'} is
     *     {@link InferenceSpec#evaluatedBox}'s size ({@code H x W} except for center_crop). Intermediates are
     *     closed before returning.
     */
    public static NDArray probabilities(LogitsFunction f, NDArray image, InferenceSpec spec) {
        Shape shape = image.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 3) {
            throw new IllegalArgumentException("image must be (N, 3, H, W), got " + shape);
        }
        NDManager parent = image.getManager();
        try (NDManager sub = parent.newSubManager()) {
            image.tempAttach(sub); // every intermediate now lands in sub; image goes back to parent on close
            InferenceSpec.CropBox box = spec.evaluatedBox((int) shape.get(2), (int) shape.get(3));
            NDArray x = image;
            if (spec.mode() == InferenceSpec.Mode.CENTER_CROP) {
                x = image.get(new NDIndex(":, :, {}:{}, {}:{}", box.top(), box.top() + box.height(),
                        box.left(), box.left() + box.width()));
            }
            int h = box.height();
            int w = box.width();
            NDArray sum = null;
            int views = 0;
            for (double scale : spec.scales()) {
                int sh = Math.max(1, (int) Math.round(scale * h));
                int sw = Math.max(1, (int) Math.round(scale * w));
                NDArray scaled = sh == h && sw == w ? x : resize(x, sh, sw);
                for (int flipped = 0; flipped <= (spec.flip() ? 1 : 0); flipped++) {
                    NDArray input = flipped == 1 ? scaled.flip(3) : scaled;
                    NDArray probs = spec.mode() == InferenceSpec.Mode.SLIDING
                            ? slidingProbabilities(f, input, spec, sub)
                            : logits(f, input, sub).softmax(1);
                    if (flipped == 1) {
                        probs = probs.flip(3);
                    }
                    if (sh != h || sw != w) {
                        probs = resize(probs, h, w);
                    }
                    sum = sum == null ? probs : sum.add(probs);
                    views++;
                }
            }
            NDArray out = views == 1 ? sum : sum.div(views);
            out.attach(parent);
            return out;
        }
    }

    /**
     * Sliding-window probabilities: windows of crop size at the given stride, the last one aligned to the border;
     * an image smaller than the crop is zero-padded (bottom/right) first. Probabilities are summed and divided by
     * the number of windows covering each pixel.
     *
     * @param input normalised {@code (N, 3, H, W)}
     * @return {@code (N, C, H, W)} in {@code scratch}
     */
    static NDArray slidingProbabilities(LogitsFunction f, NDArray input, InferenceSpec spec, NDManager scratch) {
        Shape shape = input.getShape();
        long n = shape.get(0);
        int height = (int) shape.get(2);
        int width = (int) shape.get(3);
        int paddedH = Math.max(height, spec.cropHeight());
        int paddedW = Math.max(width, spec.cropWidth());
        NDArray padded = input;
        if (paddedH != height || paddedW != width) {
            padded = scratch.zeros(new Shape(n, 3, paddedH, paddedW), input.getDataType());
            padded.set(new NDIndex(":, :, 0:{}, 0:{}", height, width), input);
        }
        int[] ys = windowStarts(paddedH, spec.cropHeight(), spec.strideHeight());
        int[] xs = windowStarts(paddedW, spec.cropWidth(), spec.strideWidth());
        float[] count = new float[paddedH * paddedW];
        NDArray sum = null;
        for (int y : ys) {
            for (int x : xs) {
                NDIndex window = new NDIndex(":, :, {}:{}, {}:{}", y, y + spec.cropHeight(), x, x + spec.cropWidth());
                NDArray probs = logits(f, padded.get(window), scratch).softmax(1);
                if (sum == null) {
                    sum = scratch.zeros(new Shape(n, probs.getShape().get(1), paddedH, paddedW), probs.getDataType());
                }
                sum.set(window, sum.get(window).add(probs));
                for (int r = y; r < y + spec.cropHeight(); r++) {
                    for (int c = x; c < x + spec.cropWidth(); c++) {
                        count[r * paddedW + c]++;
                    }
                }
            }
        }
        NDArray counts = scratch.create(count, new Shape(1, 1, paddedH, paddedW));
        NDArray mean = sum.div(counts);
        return paddedH == height && paddedW == width ? mean : mean.get(new NDIndex(":, :, 0:{}, 0:{}", height, width));
    }

    /** Window start offsets along one axis of {@code length >= crop}: every {@code stride}, last at {@code length - crop}. */
    static int[] windowStarts(int length, int crop, int stride) {
        int count = length <= crop ? 1 : (length - crop + stride - 1) / stride + 1;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = Math.min(i * stride, length - crop);
        }
        return starts;
    }

    /** Bilinear resize (align_corners=false) of {@code (N, C, H, W)} to {@code (N, C, height, width)}. */
    public static NDArray resize(NDArray x, int height, int width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, BILINEAR, false);
    }

    private static NDArray logits(LogitsFunction f, NDArray input, NDManager scratch) {
        NDArray logits = f.apply(input);
        if (logits.getManager() != scratch) {
            logits.attach(scratch);
        }
        Shape s = logits.getShape();
        Shape in = input.getShape();
        if (s.dimension() != 4 || s.get(0) != in.get(0) || s.get(2) != in.get(2) || s.get(3) != in.get(3)) {
            throw new IllegalStateException("logits must be (N, C, H, W) = (" + in.get(0) + ", C, " + in.get(2) + ", "
                    + in.get(3) + "), got " + s);
        }
        return logits;
    }
}
