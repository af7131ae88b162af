package org.semiseg.method.parts;

import org.semiseg.augment.Checks;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.semiseg.loss.GraphSafe;

/**
 * ClassMix (Olsson et al., "ClassMix: Segmentation-Based Data Augmentation for Semi-Supervised Learning", WACV 2021)
 * chosen from label maps on the device, with the rules of the host version it replaces
 * (the former host-side ClassMix, after {@code augment_samples} in {@code trainSSL.py} and {@code mix} in
 * {@code utils/transformsgpu.py} of Shathe/SemiSeg-Contrastive, Alonso et al., ICCV 2021):
 * <ul>
 *   <li>Pairing: output {@code i} pastes from item {@code (i + 1) mod n} (the source) onto item {@code i} (the
 *       target); with n = 1 an image is pasted onto itself, which changes nothing.</li>
 *   <li>Classes: those present in the source's label map, ignore excluded, ascending; {@link #classesToPick} of them
 *       ({@code ceil(k / 2)}, ClassMix's rule; Alonso et al.'s code takes {@code floor(k / 2) + 1}, one more for an
 *       even k) are drawn without replacement by a partial Fisher-Yates shuffle. A source with only ignore pixels
 *       pastes nothing.</li>
 *   <li>Mask: 1 where the source's label is a chosen class (never on ignore pixels).</li>
 *   <li>Probability: one draw for the whole batch, made first; when it fails the result is {@link Mix#none}.</li>
 * </ul>
 * The generator is consumed exactly as the host version consumes it (the probability draw, then for each source in
 * index order one {@code nextInt} per chosen class), so the same seed gives the same mask.
 *
 * <p>On the device: class presence is computed with one scatter ({@code put}) into an (N, C + 2) table, the only
 * array read back to the host; the mask is one lookup ({@code take}) of a (N, C + 2) 0/1 table of chosen classes
 * by the source's labels. Labels are integers and never need gradients, so DJL's scalar overloads are used on them.
 */
public final class ClassMix {
    private ClassMix() {
    }

    /**
     * Chooses a ClassMix for a batch of (N, C, H, W) images from its label maps.
     *
     * @param labels      (N, H, W) integer labels or pseudo-labels on the device, each in [0, numClasses) or
     *                    {@code ignoreIndex}
     * @param numClasses  number of classes C
     * @param ignoreIndex label of pixels that are never pasted and count as no class (may lie outside [0, C))
     * @param probability chance that the batch is mixed at all (one draw)
     * @param rng         the generator of every random choice
     * @return the mix, its mask in {@code labels}' manager; {@link Mix#none} when the probability draw fails
     * @throws IllegalArgumentException when a label is neither the ignore index nor in [0, numClasses)
     */
    public static Mix choose(NDArray labels, int numClasses, int ignoreIndex, double probability, SplittableRandom rng) {
        Checks.probability("ClassMix probability", probability);
        Shape s = labels.getShape();
        if (s.dimension() != 3 || s.size() == 0) {
            throw new IllegalArgumentException("labels must be (N, H, W), got " + s);
        }
        if (!labels.getDataType().isInteger()) {
            throw new IllegalArgumentException("labels must be integers, got " + labels.getDataType());
        }
        if (numClasses <= 0) {
            throw new IllegalArgumentException("numClasses must be positive, got " + numClasses);
        }
        int n = (int) s.get(0);
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        NDManager m = labels.getManager();
        if (!Checks.chance(rng, probability)) {
            return Mix.none(m, n, h, w);
        }
        // Column of each pixel in a per-image table of numClasses + 2 columns: its class, numClasses for ignore,
        // numClasses + 1 for a label out of range (reported below).
        int cols = numClasses + 2;
        try (NDArray column = columns(labels, numClasses, ignoreIndex);
             NDArray rowStart = m.arange(0, n * cols, cols, DataType.INT64).reshape(n, 1, 1)) {
            boolean[][] present = presence(column, rowStart, n, numClasses);
            int[][] pairs = Mix.nextPairs(n);
            int[] source = pairs[0];
            boolean[][] chosen = new boolean[n][];
            for (int j = 0; j < n; j++) {
                chosen[j] = pick(present[j], rng);
            }
            // Row i of the table: the classes chosen in output i's source.
            float[] table = new float[n * cols];
            boolean any = false;
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < numClasses; c++) {
                    if (chosen[source[i]][c]) {
                        table[i * cols + c] = 1;
                        any = true;
                    }
                }
            }
            if (!any) {
                return Mix.of(m.zeros(new Shape(n, 1, h, w), DataType.FLOAT32), source, pairs[1], false);
            }
            try (NDArray tableOnDevice = GraphSafe.upload(m, table, new Shape(n * cols));
                 NDArray sourceRows = GraphSafe.upload(m, source);
                 NDArray sourceRows64 = sourceRows.toType(DataType.INT64, false);
                 NDArray sourceColumn = column.get(sourceRows64);
                 NDArray index = sourceColumn.add(rowStart);
                 NDArray picked = tableOnDevice.take(index)) {
                NDArray mask = picked.reshape(n, 1, h, w);
                mask.attach(m);
                return Mix.of(mask, source, pairs[1], true);
            }
        }
    }

    /** How many of {@code present} classes are pasted: half, rounded up ({@code ceil(present / 2)}), 0 when none. */
    public static int classesToPick(int present) {
        return present <= 0 ? 0 : (present + 1) / 2;
    }

    /** (N, H, W) int64: the label, numClasses for ignore, numClasses + 1 for a label out of range. */
    private static NDArray columns(NDArray labels, int numClasses, int ignoreIndex) {
        // A copy even when labels are int64 already (toType without copy would return labels, closed below).
        try (NDArray l = labels.toType(DataType.INT64, true);
             NDArray negative = l.lt(0);
             NDArray large = l.gte(numClasses);
             NDArray outside = negative.logicalOr(large);
             NDArray ignore = l.eq(ignoreIndex);
             NDArray zero = l.zerosLike();
             NDArray outsideValue = zero.add(numClasses + 1); // graph-safe: integer labels
             NDArray ignoreValue = zero.add(numClasses); // graph-safe: integer labels
             NDArray inRange = NDArrays.where(outside, outsideValue, l)) {
            return NDArrays.where(ignore, ignoreValue, inRange);
        }
    }

    /** Per image, which of the classes occur (one scatter on the device, one (N, C + 2) read). */
    private static boolean[][] presence(NDArray column, NDArray rowStart, int n, int numClasses) {
        NDManager m = column.getManager();
        int cols = numClasses + 2;
        float[] seen;
        try (NDArray flat = column.add(rowStart);
             NDArray index = flat.flatten();
             NDArray ones = m.ones(index.getShape(), DataType.FLOAT32);
             NDArray empty = m.zeros(new Shape((long) n * cols), DataType.FLOAT32);
             NDArray table = empty.put(index, ones)) {
            seen = table.toFloatArray();
        }
        boolean[][] present = new boolean[n][numClasses];
        for (int j = 0; j < n; j++) {
            if (seen[j * cols + numClasses + 1] != 0) {
                throw new IllegalArgumentException("labels of image " + j + " hold a value outside [0, " + numClasses
                        + ") that is not the ignore index");
            }
            for (int c = 0; c < numClasses; c++) {
                present[j][c] = seen[j * cols + c] != 0;
            }
        }
        return present;
    }

    /** The chosen classes of one source: ceil(k / 2) of its k present classes, partial Fisher-Yates. */
    private static boolean[] pick(boolean[] present, SplittableRandom rng) {
        int count = 0;
        for (boolean p : present) {
            count += p ? 1 : 0;
        }
        int[] classes = new int[count];
        for (int c = 0, k = 0; c < present.length; c++) {
            if (present[c]) {
                classes[k++] = c;
            }
        }
        boolean[] chosen = new boolean[present.length];
        int k = classesToPick(count);
        for (int t = 0; t < k; t++) {
            int r = t + rng.nextInt(count - t);
            int swap = classes[t];
            classes[t] = classes[r];
            classes[r] = swap;
            chosen[classes[t]] = true;
        }
        return chosen;
    }
}
