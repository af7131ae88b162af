package org.semiseg.augment;

import org.semiseg.data.Sample;

/**
 * Resizing of images and masks on plain arrays, with the index arithmetic of PyTorch's {@code F.interpolate} so
 * that a Java-side resize matches what a Python reference would produce:
 * <ul>
 *   <li>{@link #bilinear}: {@code mode='bilinear', align_corners=False}, no antialiasing. Source coordinate
 *       {@code (dst + 0.5) * in / out - 0.5}, clamped at 0; the upper neighbour is clamped at the last pixel.</li>
 *   <li>{@link #nearest}: {@code mode='nearest'}, source index {@code floor(dst * in / out)}, clamped at the last
 *       pixel. Nearest never invents a value, so a mask keeps only the class and ignore values it had.</li>
 * </ul>
 * Scales are computed in single precision as torch does on the CPU for float tensors. (The authors of the method
 * resize with {@code align_corners=True}, {@code utils/transformsgpu.py} of Shathe/SemiSeg-Contrastive; we follow
 * the convention of torchvision and of the rest of this project instead, which differs by a fraction of a pixel.)
 *
 * <p>All methods are pure: they allocate their output and never modify their input.
 */
public final class Resampling {
    private Resampling() {
    }

    /**
     * Bilinear resize of a channel-major image.
     *
     * @param chw      values, (channels, h, w) row-major
     * @param channels number of channels
     * @return a new array (channels, newH, newW); a copy of {@code chw} when the size is unchanged
     */
    public static float[] bilinear(float[] chw, int channels, int h, int w, int newH, int newW) {
        checkSizes(h, w, newH, newW);
        if (chw.length != channels * h * w) {
            throw new IllegalArgumentException("image has " + chw.length + " values, expected " + channels + "x" + h + "x" + w);
        }
        if (newH == h && newW == w) {
            return chw.clone();
        }
        int[] x0 = new int[newW];
        int[] x1 = new int[newW];
        float[] wx1 = new float[newW];
        axis(w, newW, x0, x1, wx1);
        int[] y0 = new int[newH];
        int[] y1 = new int[newH];
        float[] wy1 = new float[newH];
        axis(h, newH, y0, y1, wy1);

        float[] out = new float[channels * newH * newW];
        for (int c = 0; c < channels; c++) {
            int plane = c * h * w;
            for (int oy = 0; oy < newH; oy++) {
                int row0 = plane + y0[oy] * w;
                int row1 = plane + y1[oy] * w;
                float ly1 = wy1[oy];
                float ly0 = 1f - ly1;
                int dst = (c * newH + oy) * newW;
                for (int ox = 0; ox < newW; ox++) {
                    float lx1 = wx1[ox];
                    float lx0 = 1f - lx1;
                    int a = x0[ox];
                    int b = x1[ox];
                    out[dst + ox] = ly0 * (lx0 * chw[row0 + a] + lx1 * chw[row0 + b])
                            + ly1 * (lx0 * chw[row1 + a] + lx1 * chw[row1 + b]);
                }
            }
        }
        return out;
    }

    /** Source neighbours and the weight of the upper one for each output position along one axis. */
    private static void axis(int in, int out, int[] i0, int[] i1, float[] lambda1) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float src = scale * (d + 0.5f) - 0.5f;
            if (src < 0f) {
                src = 0f;
            }
            int lo = (int) src;
            if (lo > in - 1) {
                lo = in - 1;
            }
            i0[d] = lo;
            i1[d] = lo < in - 1 ? lo + 1 : lo;
            lambda1[d] = src - lo;
        }
    }

    /**
     * Nearest-neighbour resize of a (h, w) map of class indices.
     *
     * @return a new array (newH, newW); a copy of {@code mask} when the size is unchanged
     */
    public static int[] nearest(int[] mask, int h, int w, int newH, int newW) {
        checkSizes(h, w, newH, newW);
        if (mask.length != h * w) {
            throw new IllegalArgumentException("mask has " + mask.length + " values, expected " + h + "x" + w);
        }
        if (newH == h && newW == w) {
            return mask.clone();
        }
        int[] xs = nearestIndices(w, newW);
        int[] ys = nearestIndices(h, newH);
        int[] out = new int[newH * newW];
        for (int oy = 0; oy < newH; oy++) {
            int src = ys[oy] * w;
            int dst = oy * newW;
            for (int ox = 0; ox < newW; ox++) {
                out[dst + ox] = mask[src + xs[ox]];
            }
        }
        return out;
    }

    private static int[] nearestIndices(int in, int out) {
        float scale = (float) in / out;
        int[] idx = new int[out];
        for (int d = 0; d < out; d++) {
            idx[d] = Math.min((int) Math.floor(d * scale), in - 1);
        }
        return idx;
    }

    /**
     * The sample at a new size: image bilinear, mask (if any) nearest. Returns {@code s} itself when the size is
     * unchanged.
     */
    public static Sample resize(Sample s, int newH, int newW) {
        if (newH == s.height() && newW == s.width()) {
            return s;
        }
        float[] image = bilinear(s.image(), 3, s.height(), s.width(), newH, newW);
        int[] mask = s.mask() == null ? null : nearest(s.mask(), s.height(), s.width(), newH, newW);
        return new Sample(s.id(), image, mask, newH, newW);
    }

    private static void checkSizes(int h, int w, int newH, int newW) {
        if (h <= 0 || w <= 0 || newH <= 0 || newW <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + h + "x" + w + " -> " + newH + "x" + newW);
        }
    }
}
