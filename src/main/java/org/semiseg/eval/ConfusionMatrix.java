package org.semiseg.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;

/**
 * Pixel counts {@code counts[label][pred]} over {@code numClasses} classes (labels are rows, predictions columns).
 *
 * <p>Pixels whose label equals the ignore index, is negative or is {@code >= numClasses} are skipped. Not thread
 * safe.
 */
public final class ConfusionMatrix {
    private final int numClasses;
    private final long[] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
        }
        this.numClasses = numClasses;
        this.counts = new long[numClasses * numClasses];
    }

    /** Builds a matrix from nested counts {@code [label][pred]} (e.g. read back from eval.json). */
    public static ConfusionMatrix of(long[][] counts) {
        ConfusionMatrix cm = new ConfusionMatrix(counts.length);
        for (int l = 0; l < counts.length; l++) {
            if (counts[l].length != counts.length) {
                throw new IllegalArgumentException("counts row " + l + " has " + counts[l].length + " columns, expected " + counts.length);
            }
            System.arraycopy(counts[l], 0, cm.counts, l * counts.length, counts.length);
        }
        return cm;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Adds pixel pairs; every {@code pred} value must lie in {@code [0, numClasses)}, ignored pixels included. */
    public void add(int[] label, int[] pred, int ignoreIndex) {
        if (label.length != pred.length) {
            throw new IllegalArgumentException("label has " + label.length + " pixels, pred has " + pred.length);
        }
        for (int i = 0; i < label.length; i++) {
            int l = label[i];
            int p = pred[i];
            if (p < 0 || p >= numClasses) {
                throw new IllegalArgumentException("prediction " + p + " at pixel " + i + " is outside [0, " + numClasses + ")");
            }
            if (l == ignoreIndex || l < 0 || l >= numClasses) {
                continue;
            }
            counts[l * numClasses + p]++;
        }
    }

    /** Adds the counts of another matrix of the same size. */
    public void add(ConfusionMatrix other) {
        if (other.numClasses != numClasses) {
            throw new IllegalArgumentException("numClasses differ: " + numClasses + " vs " + other.numClasses);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
    }

    /**
     * Adds pixel pairs with the per-pixel work done on the engine: each counted pixel becomes the bucket
     * {@code label * C + pred} and each skipped pixel the bucket {@code C*C}; the buckets are read back once as an
     * {@code int[]} and histogrammed. Temporary arrays are closed before returning.
     *
     * <p>Measured on 2 busy CPU cores, 4x512x512 pixels, 21 classes: this path 120-280 ms; counting on the engine
     * with {@code unique(returnCounts)} (a sort) 150-490 ms more; a one-hot matrix product ~720 ms. Reading labels
     * and predictions back and calling {@link #add(int[], int[], int)} was 40-120 ms, so on CPU either is fine;
     * this one moves half the data off a GPU.
     *
     * @param labels integer {@code (N, H, W)} (any shape equal to {@code preds})
     * @param preds  integer {@code (N, H, W)}, all values in {@code [0, numClasses)}
     * @throws IllegalArgumentException if a prediction is outside {@code [0, numClasses)}
     */
    public void addTensors(NDArray labels, NDArray preds, int ignoreIndex) {
        if (!labels.getShape().equals(preds.getShape())) {
            throw new IllegalArgumentException("labels " + labels.getShape() + " and preds " + preds.getShape() + " differ");
        }
        if (labels.size() == 0) {
            return;
        }
        int skipped = numClasses * numClasses;
        int[] buckets;
        try (NDManager scratch = labels.getManager().newSubManager()) {
            // Borrow the inputs so that every intermediate lands in (and is closed with) the scratch manager.
            labels.tempAttach(scratch);
            preds.tempAttach(scratch);
            NDArray l = labels.flatten().toType(DataType.INT32, false);
            NDArray p = preds.flatten().toType(DataType.INT32, false);
            long minPred = p.min().toType(DataType.INT64, false).getLong();
            long maxPred = p.max().toType(DataType.INT64, false).getLong();
            if (minPred < 0 || maxPred >= numClasses) {
                throw new IllegalArgumentException("predictions span [" + minPred + ", " + maxPred + "], outside [0, "
                        + numClasses + ")");
            }
            NDArray valid = l.gte(0).logicalAnd(l.lt(numClasses)).logicalAnd(l.neq(ignoreIndex));
            NDArray bucket = NDArrays.where(valid, l.mul(numClasses).add(p), scratch.create(skipped));
            buckets = bucket.toType(DataType.INT32, false).toIntArray();
        }
        for (int b : buckets) {
            if (b != skipped) {
                counts[b]++;
            }
        }
    }

    public long get(int label, int pred) {
        return counts[label * numClasses + pred];
    }

    /** Labelled (non-ignored) pixels counted. */
    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Intersection over union per class, {@code NaN} for a class absent from both labels and predictions. */
    public double[] iou() {
        double[] iou = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long tp = get(c, c);
            long union = rowSum(c) + colSum(c) - tp;
            iou[c] = union == 0 ? Double.NaN : (double) tp / union;
        }
        return iou;
    }

    /** Mean of the non-NaN entries of {@link #iou()}; NaN if there are none. */
    public double meanIou() {
        return nanMean(iou());
    }

    /** Correct pixels / labelled pixels; NaN when nothing was counted. */
    public double pixelAccuracy() {
        long total = total();
        if (total == 0) {
            return Double.NaN;
        }
        long correct = 0;
        for (int c = 0; c < numClasses; c++) {
            correct += get(c, c);
        }
        return (double) correct / total;
    }

    /** Recall per class (correct / labelled pixels of that class), NaN for a class never labelled. */
    public double[] classAccuracy() {
        double[] acc = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            long row = rowSum(c);
            acc[c] = row == 0 ? Double.NaN : (double) get(c, c) / row;
        }
        return acc;
    }

    /** Counts as {@code [label][pred]}. */
    public long[][] toArray() {
        long[][] out = new long[numClasses][];
        for (int l = 0; l < numClasses; l++) {
            out[l] = Arrays.copyOfRange(counts, l * numClasses, (l + 1) * numClasses);
        }
        return out;
    }

    static double nanMean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private long rowSum(int label) {
        long s = 0;
        for (int p = 0; p < numClasses; p++) {
            s += get(label, p);
        }
        return s;
    }

    private long colSum(int pred) {
        long s = 0;
        for (int l = 0; l < numClasses; l++) {
            s += get(l, pred);
        }
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix other && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + Arrays.deepToString(toArray());
    }
}
