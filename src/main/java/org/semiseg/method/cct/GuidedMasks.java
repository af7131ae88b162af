package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The masks of CCT's prediction-based perturbations (Ouali et al., CVPR 2020, Sec. 3.2), from the main decoder's
 * prediction ŷ (its argmax, (N, H, W)) and which classes count as objects (the authors' code: every class but 0).
 * Masks are made at the image's resolution and taken to the feature map's (h, w) by nearest neighbour (source pixel
 * floor(i · H / h), torch's {@code interpolate(mode='nearest')}), as the authors do.
 * <ul>
 *   <li>{@link #objects}: M_obj, 1 where ŷ is an object. Context masking feeds z ⊙ M_obj to its decoders (the context
 *       is masked), object masking z ⊙ (1 − M_obj) (the detected objects are masked).</li>
 *   <li>{@link #cutout}: G-Cutout. The object mask's 8-connected regions (the authors' external contours) whose
 *       boundary is longer than a minimum count as objects; in each object's bounding box, a random box of the
 *       erase share of its width and height is zeroed, for each decoder anew.</li>
 * </ul>
 * Padded pixels are never objects. The cutout runs on the host, per image, on the downloaded argmax (one int per
 * pixel; the component search is linear in the pixels); everything else runs on the device.
 */
public final class GuidedMasks {
    private GuidedMasks() {
    }

    /** Source index along one axis for nearest resizing from {@code in} to {@code out}: floor(i · in / out). */
    public static int[] nearest(int in, int out) {
        int[] src = new int[out];
        for (int i = 0; i < out; i++) {
            src[i] = (int) ((long) i * in / out);
        }
        return src;
    }

    /**
     * M_obj at the feature resolution.
     *
     * @param labels   ŷ (N, H, W) int64; values outside [0, objectTable length) are not allowed
     * @param table    (C + 1) float, 1 for object classes, 0 otherwise; its last entry (0) is what {@code labels} may
     *                 hold at padded pixels
     * @return (N, 1, h, w) float, 1 where the nearest source pixel's class is an object
     */
    public static NDArray objects(NDArray labels, NDArray table, int h, int w) {
        Shape s = labels.getShape();
        int n = (int) s.get(0);
        int height = (int) s.get(1);
        int width = (int) s.get(2);
        int[] ys = nearest(height, h);
        int[] xs = nearest(width, w);
        int[] index = new int[n * h * w];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    index[(i * h + y) * w + x] = (i * height + ys[y]) * width + xs[x];
                }
            }
        }
        try (NDArray index32 = GraphSafe.upload(labels.getManager(), index);
             NDArray index64 = index32.toType(DataType.INT64, false);
             NDArray small = labels.take(index64)) {
            return table.take(small).reshape(n, 1, h, w);
        }
    }

    /**
     * G-Cutout masks for {@code k} decoders, on the host.
     *
     * @param labels     ŷ, row-major (n, H, W)
     * @param isObject   per label value, whether it is an object (label values index it; padding must map to false)
     * @param erase      the share of each object box's width and height that is zeroed (the authors' 0.4)
     * @param minBoundary an object's region must have more boundary pixels than this (the authors: external contour
     *                   of more than 50 points, at their crop size; scaled by the caller)
     * @return row-major (n, k, h, w): 1 to keep, 0 where decoder k's copy of image n is cut
     */
    public static float[] cutout(int[] labels, boolean[] isObject, int n, int height, int width, int k, int h, int w,
                                 double erase, double minBoundary, SplittableRandom random) {
        float[] masks = new float[n * k * h * w];
        java.util.Arrays.fill(masks, 1f);
        int[] ys = nearest(height, h);
        int[] xs = nearest(width, w);
        boolean[] foreground = new boolean[height * width];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < foreground.length; p++) {
                foreground[p] = isObject[labels[i * foreground.length + p]];
            }
            List<Region> objects = new ArrayList<>();
            for (Region r : regions(foreground, height, width)) {
                if (r.boundary() > minBoundary) {
                    objects.add(r);
                }
            }
            for (int d = 0; d < k; d++) {
                int base = (i * k + d) * h * w;
                for (Region r : objects) {
                    // the authors' box: extent max − min, erased length floor(extent · erase) at a random offset in
                    // [0, floor(extent · (1 − erase))]
                    int bw = r.right() - r.left();
                    int bh = r.bottom() - r.top();
                    int x0 = r.left() + random.nextInt((int) (bw * (1 - erase)) + 1);
                    int y0 = r.top() + random.nextInt((int) (bh * (1 - erase)) + 1);
                    int x1 = x0 + (int) (bw * erase);
                    int y1 = y0 + (int) (bh * erase);
                    for (int y = 0; y < h; y++) {
                        if (ys[y] < y0 || ys[y] >= y1) {
                            continue;
                        }
                        for (int x = 0; x < w; x++) {
                            if (xs[x] >= x0 && xs[x] < x1) {
                                masks[base + y * w + x] = 0f;
                            }
                        }
                    }
                }
            }
        }
        return masks;
    }

    /**
     * A connected region of the object mask: its bounding box (inclusive pixel coordinates) and the number of its
     * pixels on its boundary (a 4-neighbour outside the mask or outside the image).
     */
    public record Region(int top, int left, int bottom, int right, int boundary) {
    }

    /** The 8-connected regions of {@code mask} (row-major height × width), in raster order of their first pixel. */
    public static List<Region> regions(boolean[] mask, int height, int width) {
        List<Region> out = new ArrayList<>();
        boolean[] seen = new boolean[mask.length];
        int[] queue = new int[mask.length];
        for (int start = 0; start < mask.length; start++) {
            if (!mask[start] || seen[start]) {
                continue;
            }
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            seen[start] = true;
            int top = height;
            int left = width;
            int bottom = -1;
            int right = -1;
            int boundary = 0;
            while (head < tail) {
                int p = queue[head++];
                int y = p / width;
                int x = p % width;
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
                left = Math.min(left, x);
                right = Math.max(right, x);
                if (y == 0 || y == height - 1 || x == 0 || x == width - 1 || !mask[p - width] || !mask[p + width]
                        || !mask[p - 1] || !mask[p + 1]) {
                    boundary++;
                }
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int yy = y + dy;
                        int xx = x + dx;
                        if (yy < 0 || yy >= height || xx < 0 || xx >= width) {
                            continue;
                        }
                        int q = yy * width + xx;
                        if (mask[q] && !seen[q]) {
                            seen[q] = true;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            out.add(new Region(top, left, bottom, right, boundary));
        }
        return out;
    }
}
