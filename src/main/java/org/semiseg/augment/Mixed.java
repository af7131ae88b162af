package org.semiseg.augment;

/**
 * The result of a batch-level mix. Output image {@code i} takes each pixel from image {@code sourceIndex[i]} where
 * {@code masks[i * h * w + p] == 1} and from image {@code targetIndex[i]} where it is 0; images, labels and
 * confidence all follow the same mask.
 *
 * @param out         the mixed batch (new arrays; or the input batch itself when nothing was mixed)
 * @param masks       (n, h, w) of 0 and 1
 * @param sourceIndex per output, the image pasted in
 * @param targetIndex per output, the image pasted onto
 */
public record Mixed(MixBatch out, byte[] masks, int[] sourceIndex, int[] targetIndex) {
    /** Whether any pixel of the batch comes from a source image. */
    public boolean anyMixed() {
        for (byte m : masks) {
            if (m != 0) {
                return true;
            }
        }
        return false;
    }

    /** Nothing mixed: every output is its own target, masks all 0, the batch returned as is. */
    static Mixed identity(MixBatch batch) {
        int[] self = new int[batch.n()];
        for (int i = 0; i < self.length; i++) {
            self[i] = i;
        }
        return new Mixed(batch, new byte[batch.n() * batch.h() * batch.w()], self, self.clone());
    }

    /** Applies {@code masks} to the batch: source where 1, target where 0. */
    static Mixed compose(MixBatch b, byte[] masks, int[] source, int[] target) {
        int n = b.n();
        int plane = b.h() * b.w();
        int c = b.channels();
        float[] images = new float[b.images().length];
        int[] labels = b.labels() == null ? null : new int[b.labels().length];
        float[] confidence = b.confidence() == null ? null : new float[b.confidence().length];
        for (int i = 0; i < n; i++) {
            int m = i * plane;
            int src = source[i] * plane;
            int tgt = target[i] * plane;
            for (int ch = 0; ch < c; ch++) {
                int o = (i * c + ch) * plane;
                int s = (source[i] * c + ch) * plane;
                int t = (target[i] * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    images[o + p] = masks[m + p] != 0 ? b.images()[s + p] : b.images()[t + p];
                }
            }
            if (labels != null) {
                for (int p = 0; p < plane; p++) {
                    labels[m + p] = masks[m + p] != 0 ? b.labels()[src + p] : b.labels()[tgt + p];
                }
            }
            if (confidence != null) {
                for (int p = 0; p < plane; p++) {
                    confidence[m + p] = masks[m + p] != 0 ? b.confidence()[src + p] : b.confidence()[tgt + p];
                }
            }
        }
        MixBatch out = new MixBatch(images, labels, confidence, n, c, b.h(), b.w());
        return new Mixed(out, masks, source, target);
    }

    /** The authors' pairing: output i pastes from image (i + 1) mod n onto image i. */
    static int[][] nextPairs(int n) {
        int[] source = new int[n];
        int[] target = new int[n];
        for (int i = 0; i < n; i++) {
            source[i] = (i + 1) % n;
            target[i] = i;
        }
        return new int[][] {source, target};
    }
}
