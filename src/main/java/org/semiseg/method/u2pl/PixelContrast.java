package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;

import java.util.SplittableRandom;

/**
 * U2PL's contrastive loss L_c (Wang et al., CVPR 2022, Eq. 3 and Sec. 3.3) for one batch, every class indexed by its
 * id c:
 * <ol>
 *   <li>positive z_c^+: the mean of the teacher's representations over the anchor candidates A_c of the batch;</li>
 *   <li>the teacher's representations of the negatives of c (pixel order n, y, x) join the queue Q_c;</li>
 *   <li>anchors: up to {@code numQueries} of the student's representations of A_c, drawn without replacement;</li>
 *   <li>each anchor gets {@code numNegatives} keys drawn with replacement from Q_c;</li>
 *   <li>L_c = (1 / |classes|) Σ_c (1 / M_c) Σ_i InfoNCE_ci ({@link InfoNce}), over the classes with anchors and a
 *       non-empty queue (Eq. 3's 1 / (C × M) when every class has M anchors).</li>
 * </ol>
 * The draws come from the generator given, class by class in id order (anchors of every class first, then their
 * negatives). The authors' {@code compute_contra_memobank_loss} indexes anchors and positives by position in the list
 * of classes present, so they meet the queue of another class whenever a class is missing from the batch (their issue
 * #111); here every lookup uses the class id.
 */
public final class PixelContrast {
    private final ClassQueue queue;
    private final int numQueries;
    private final int numNegatives;
    private final double temperature;

    /**
     * @param loss           L_c, a scalar (0, without a gradient, when no class has anchors and negatives)
     * @param classes        classes that contributed a term
     * @param newNegatives   per class, the negatives the batch held (all of them, whether or not the queue kept them)
     */
    public record Result(NDArray loss, int classes, long[] newNegatives) {
    }

    public PixelContrast(ClassQueue queue, int numQueries, int numNegatives, double temperature) {
        this.queue = queue;
        this.numQueries = numQueries;
        this.numNegatives = numNegatives;
        this.temperature = temperature;
    }

    /**
     * Fills the queues from the batch and computes L_c.
     *
     * @param student (N, D, h, w) the student's representations
     * @param teacher (N, D, h, w) the teacher's representations of the same pixels, detached
     * @param masks   the batch's anchors and negatives, (N, C, h, w)
     * @param m       the step's manager
     */
    public Result loss(NDArray student, NDArray teacher, ContrastMasks masks, SplittableRandom rng, NDManager m) {
        long[][] counts = masks.countsPerClass();
        NDArray teacherRows = pixels(teacher);
        NDArray anchorMask = ContrastMasks.classMajor(masks.anchors());
        NDArray positives = classMeans(anchorMask, teacherRows, counts[0], m);
        push(ContrastMasks.classMajor(masks.negatives()), teacherRows, counts[1], m);

        // anchors: rows of the nonzero list of the (C, P) mask, which is sorted by class, then pixel
        int[] perClass = new int[counts[0].length];
        int total = 0;
        int present = 0;
        for (int c = 0; c < perClass.length; c++) {
            perClass[c] = queue.fill(c) > 0 ? (int) Math.min(counts[0][c], numQueries) : 0;
            total += perClass[c];
            present += perClass[c] > 0 ? 1 : 0;
        }
        if (total == 0) {
            return new Result(m.zeros(new Shape()), 0, counts[1]);
        }
        int[] rows = new int[total];
        int[] classes = new int[total];
        float[] weight = new float[total];
        long start = 0;
        for (int c = 0, r = 0; c < perClass.length; c++) {
            if (perClass[c] > 0) {
                for (int pick : pick((int) counts[0][c], numQueries, rng)) {
                    rows[r] = (int) (start + pick);
                    classes[r] = c;
                    weight[r++] = 1f / (perClass[c] * present);
                }
            }
            start += counts[0][c];
        }
        NDArray pixel = anchorMask.nonzero().get(index(m, rows)).get(":, 1");
        NDArray anchors = pixels(student).get(pixel);
        NDArray negatives = queue.sample(classes, numNegatives, rng, m);
        NDArray perAnchor = InfoNce.perAnchor(anchors, positives.get(index(m, classes)), negatives, temperature);
        NDArray loss = perAnchor.mul(GraphSafe.upload(m, weight, new Shape(weight.length))).sum();
        return new Result(loss, present, counts[1]);
    }

    /** Σ over A_c of the teacher's rows / |A_c|: (C, D), zero rows for classes without candidates. */
    static NDArray classMeans(NDArray mask, NDArray rows, long[] counts, NDManager m) {
        float[] divisor = new float[counts.length];
        for (int c = 0; c < counts.length; c++) {
            divisor[c] = Math.max(1, counts[c]);
        }
        NDArray sums = mask.toType(DataType.FLOAT32, false).matMul(rows);
        return sums.div(GraphSafe.upload(m, divisor, new Shape(counts.length, 1)));
    }

    /** Pushes each class's negatives, in pixel order; only the last {@code queue.size()} of a class can stay. */
    private void push(NDArray mask, NDArray rows, long[] counts, NDManager m) {
        long[] kept = new long[counts.length];
        int total = 0;
        for (int c = 0; c < counts.length; c++) {
            kept[c] = Math.min(counts[c], queue.size());
            total += (int) kept[c];
        }
        if (total == 0) {
            return;
        }
        int[] list = new int[total];
        long start = 0;
        for (int c = 0, r = 0; c < counts.length; c++) {
            for (long i = start + counts[c] - kept[c]; i < start + counts[c]; i++) {
                list[r++] = (int) i;
            }
            start += counts[c];
        }
        NDArray keys = rows.get(mask.nonzero().get(index(m, list)).get(":, 1"));
        long offset = 0;
        for (int c = 0; c < counts.length; c++) {
            if (kept[c] > 0) {
                queue.push(c, keys.get(offset + ":" + (offset + kept[c])));
            }
            offset += kept[c];
        }
    }

    /** (N, D, h, w) to (P, D), pixels in (n, y, x) order. */
    static NDArray pixels(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1));
    }

    /** {@code count} distinct positions of [0, k), drawn by a partial Fisher-Yates shuffle; all of them if k ≤ count. */
    static int[] pick(int k, int count, SplittableRandom rng) {
        int[] all = new int[k];
        for (int i = 0; i < k; i++) {
            all[i] = i;
        }
        if (k <= count) {
            return all;
        }
        for (int i = 0; i < count; i++) {
            int j = i + rng.nextInt(k - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return java.util.Arrays.copyOf(all, count);
    }

    private static NDArray index(NDManager m, int[] values) {
        return GraphSafe.upload(m, values).toType(DataType.INT64, false);
    }
}
