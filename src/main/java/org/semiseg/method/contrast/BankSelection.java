package org.semiseg.method.contrast;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Host-side choice of the teacher's projection vectors that enter the memory bank (Alonso et al., Section 3.4
 * "Memory Bank" and Section 4.2): the Feature Quality Filter, then per image and class the K vectors the
 * class's attention module ranks highest, or K at random when attention is off. Also torch's nearest-neighbour
 * index rule, used to bring labels and predictions to the feature map's size.
 */
public final class BankSelection {

    private BankSelection() {}

    /**
     * K, the vectors one labeled image may add per class: max(1, bankSize / labeledImages) with floor division, so
     * one pass over the labeled set renews at most the whole bank.
     */
    public static int perImage(int bankSize, int labeledImages) {
        if (bankSize < 1 || labeledImages < 1) {
            throw new IllegalArgumentException("bank size and labeled images must be positive, got "
                    + bankSize + " and " + labeledImages);
        }
        return Math.max(1, bankSize / labeledImages);
    }

    /**
     * Feature Quality Filter: keeps position i when its label is not {@code ignoreIndex} and, when enabled, the
     * teacher predicted that label ({@code predicted[i] == labels[i]}) with confidence above {@code threshold}.
     * Disabled, every labeled position is kept ({@code predicted} and {@code confidence} may then be null).
     */
    public static boolean[] qualityFilter(int[] labels, int[] predicted, float[] confidence, float threshold,
                                          int ignoreIndex, boolean enabled) {
        if (enabled && (predicted == null || confidence == null
                || predicted.length != labels.length || confidence.length != labels.length)) {
            throw new IllegalArgumentException("quality filter needs predictions and confidences for all "
                    + labels.length + " positions");
        }
        boolean[] keep = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            keep[i] = labels[i] != ignoreIndex
                    && (!enabled || (predicted[i] == labels[i] && confidence[i] > threshold));
        }
        return keep;
    }

    /**
     * Chooses up to k candidates per (image, class) group. Candidate i belongs to image {@code image[i]} and class
     * {@code cls[i]}. With scores, a group keeps its k highest scores (equal scores: lower index first; NaN counts as
     * lowest); with {@code score == null} (attention off) it keeps k drawn uniformly without replacement from
     * {@code rng}. A group smaller than k keeps all its candidates.
     *
     * @return candidate indices ordered by image, then class (both ascending), then score descending (random
     *     draws in the order drawn): the order in which they are pushed into the bank
     */
    public static int[] topK(int[] image, int[] cls, float[] score, int k, SplittableRandom rng) {
        int n = image.length;
        if (cls.length != n || (score != null && score.length != n)) {
            throw new IllegalArgumentException("image, class and score arrays differ in length");
        }
        if (score == null && rng == null) {
            throw new IllegalArgumentException("random selection (no scores) needs a random generator");
        }
        if (k <= 0 || n == 0) {
            return new int[0];
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byImage = Integer.compare(image[a], image[b]);
            if (byImage != 0) {
                return byImage;
            }
            int byClass = Integer.compare(cls[a], cls[b]);
            if (byClass != 0) {
                return byClass;
            }
            if (score != null) {
                int byScore = Float.compare(rank(score[b]), rank(score[a]));
                if (byScore != 0) {
                    return byScore;
                }
            }
            return Integer.compare(a, b);
        });
        int[] chosen = new int[n];
        int count = 0;
        int start = 0;
        while (start < n) {
            int end = start + 1;
            while (end < n && image[order[end]] == image[order[start]] && cls[order[end]] == cls[order[start]]) {
                end++;
            }
            int take = Math.min(k, end - start);
            if (score != null) {
                for (int j = 0; j < take; j++) {
                    chosen[count++] = order[start + j];
                }
            } else {
                // partial Fisher-Yates over the group (kept in index order): each step draws one of the rest
                for (int j = 0; j < take; j++) {
                    int pick = start + j + rng.nextInt(end - start - j);
                    Integer t = order[start + j];
                    order[start + j] = order[pick];
                    order[pick] = t;
                    chosen[count++] = order[start + j];
                }
            }
            start = end;
        }
        return Arrays.copyOf(chosen, count);
    }

    private static float rank(float s) {
        return Float.isNaN(s) ? Float.NEGATIVE_INFINITY : s;
    }

    /**
     * Source index of each of {@code out} positions when torch's {@code interpolate(mode='nearest')} resizes an axis
     * of length {@code in} to {@code out}: min(floor(dst * scale), in - 1) with scale = in / out in float arithmetic,
     * as torch computes it.
     */
    public static int[] nearestIndex(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("sizes must be positive, got " + in + " -> " + out);
        }
        int[] index = new int[out];
        float scale = (float) in / out;
        for (int dst = 0; dst < out; dst++) {
            if (in == out) {
                index[dst] = dst;
            } else if (out == 2 * in) {
                index[dst] = dst >> 1;
            } else {
                float src = (float) dst * scale;
                index[dst] = Math.min((int) Math.floor(src), in - 1);
            }
        }
        return index;
    }

    /**
     * For each pixel of n maps of oh x ow, the flat index of its source pixel in n maps of h x w under torch's
     * interpolate(mode='nearest'); one table serves every map of a batch.
     */
    public static int[] nearestSource(int n, int h, int w, int oh, int ow) {
        int[] rows = nearestIndex(h, oh);
        int[] cols = nearestIndex(w, ow);
        int[] out = new int[n * oh * ow];
        int o = 0;
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                int base = (b * h + rows[y]) * w;
                for (int x = 0; x < ow; x++) {
                    out[o++] = base + cols[x];
                }
            }
        }
        return out;
    }

    /** Nearest-neighbour resize of n maps of h x w (row-major) to oh x ow, as torch's interpolate(mode='nearest'). */
    public static int[] downsampleNearest(int[] values, int n, int h, int w, int oh, int ow) {
        checkLength(values.length, n, h, w);
        return gather(values, nearestSource(n, h, w, oh, ow));
    }

    /** Float version of {@link #downsampleNearest(int[], int, int, int, int, int)}. */
    public static float[] downsampleNearest(float[] values, int n, int h, int w, int oh, int ow) {
        checkLength(values.length, n, h, w);
        return gather(values, nearestSource(n, h, w, oh, ow));
    }

    /**
     * Positions of the labels that are not {@code ignoreIndex}, in class order (classes ascending, positions
     * ascending within a class): row k of a gather by the result has class labels[result[k]].
     *
     * @throws IllegalArgumentException for a label outside 0..numClasses-1 that is not the ignore index
     */
    public static int[] validInClassOrder(int[] labels, int ignoreIndex, int numClasses) {
        int[] valid = java.util.stream.IntStream.range(0, labels.length).filter(i -> labels[i] != ignoreIndex)
                .toArray();
        return gather(valid, orderByClass(gather(labels, valid), numClasses));
    }

    /**
     * A stable order of the rows by class: row order[k] comes k-th, classes ascending, each class's rows in their
     * given order (a counting sort).
     *
     * @param classes class of each row, all in 0..numClasses-1
     * @throws IllegalArgumentException for a class outside 0..numClasses-1
     */
    public static int[] orderByClass(int[] classes, int numClasses) {
        int[] next = new int[numClasses + 1];
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class " + c + " outside 0.." + (numClasses - 1));
            }
            next[c + 1]++;
        }
        for (int c = 0; c < numClasses; c++) {
            next[c + 1] += next[c];
        }
        int[] order = new int[classes.length];
        for (int i = 0; i < classes.length; i++) {
            order[next[classes[i]]++] = i;
        }
        return order;
    }

    /** values[source[i]] for every i. */
    public static int[] gather(int[] values, int[] source) {
        int[] out = new int[source.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[source[i]];
        }
        return out;
    }

    /** values[source[i]] for every i. */
    public static float[] gather(float[] values, int[] source) {
        float[] out = new float[source.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[source[i]];
        }
        return out;
    }

    private static void checkLength(int length, int n, int h, int w) {
        if ((long) n * h * w != length) {
            throw new IllegalArgumentException("expected " + n + " x " + h + " x " + w + " values, got " + length);
        }
    }
}
