package org.semiseg.augment;

/**
 * A batch on the host, as the batch-level mixes ({@link ClassMix}, {@link CutMix}) read and write it. Arrays are
 * row-major; the mixes never modify them.
 *
 * @param images     (n, channels, h, w), normalised or not (mixing copies values)
 * @param labels     (n, h, w) class indices or the ignore index (labels or pseudo-labels); may be null for
 *                   {@link CutMix}, required by {@link ClassMix}
 * @param confidence (n, h, w) per-pixel weights, e.g. the teacher's max probability; may be null
 */
public record MixBatch(float[] images, int[] labels, float[] confidence, int n, int channels, int h, int w) {
    public MixBatch {
        if (n <= 0 || channels <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("batch dimensions must be positive, got " + n + "x" + channels + "x" + h + "x" + w);
        }
        if (images == null || images.length != n * channels * h * w) {
            throw new IllegalArgumentException("images must have " + n + "x" + channels + "x" + h + "x" + w + " values, got "
                    + (images == null ? "none" : images.length));
        }
        if (labels != null && labels.length != n * h * w) {
            throw new IllegalArgumentException("labels must have " + n + "x" + h + "x" + w + " values, got " + labels.length);
        }
        if (confidence != null && confidence.length != n * h * w) {
            throw new IllegalArgumentException("confidence must have " + n + "x" + h + "x" + w + " values, got " + confidence.length);
        }
    }
}
