package org.semiseg.method.contrast;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The bank update of Alonso et al. Section 3.4 with the Feature Quality Filter on, inside {@link BankUpdate}: which
 * labeled pixels enter the bank, computed by hand.
 */
class BankUpdateTest {
    private static final int IGNORE = 255;

    /**
     * {@link BankUpdate#rows}: row k is x[index[k]] and the gradient of Σ_k w_k · row_k reaching x is Σ over the k
     * with index[k] = r of w_k, row by row, computed here on the host; 64 columns, an unsorted index with a repeat.
     */
    @Test
    void rowsAreTheIndexedRowsAndTheirGradientsAddUpOnTheSourceRows() {
        int r = 50;
        int f = 64;
        int[] index = {7, 3, 49, 3, 0, 12};
        float[] x = new float[r * f];
        float[] w = new float[index.length * f];
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        float[] expectedRows = new float[index.length * f];
        float[] expectedGradient = new float[r * f];
        for (int k = 0; k < index.length; k++) {
            for (int j = 0; j < f; j++) {
                expectedRows[k * f + j] = x[index[k] * f + j];
                expectedGradient[index[k] * f + j] += w[k * f + j];
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray source = m.create(x, new Shape(r, f));
            source.setRequiresGradient(true);
            NDArray weights = m.create(w, new Shape(index.length, f));
            NDArray rows;
            try (ai.djl.training.GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                rows = BankUpdate.rows(m, source, index);
                gc.backward(rows.mul(weights).sum());
            }
            assertEquals(new Shape(index.length, f), rows.getShape());
            assertArrayEquals(expectedRows, rows.toFloatArray(), 0f);
            assertArrayEquals(expectedGradient, source.getGradient().toFloatArray(), 1e-6f);
        }
    }

    /**
     * One 2x4 image, features at full resolution (h = H), 2 classes. Labels and the prediction's logits:
     * <pre>
     *   pixel   0    1    2    3    4    5    6    7
     *   label   0    0    0    1    1    1    1    ignore
     *   logits (3,0)(0,3)(0.5,0)(0,3)(0,3)(0,0.2)(0,4)(3,0)
     * </pre>
     * softmax of (3, 0) gives 0.953 > φ = 0.9; (0.5, 0) gives 0.62; (0, 0.2) gives 0.55. The filter keeps pixels
     * 0 (class 0), 3, 4 and 6 (class 1): pixel 1 is predicted wrong, 2 and 5 are not confident, 7 is ignored.
     */
    @Test
    void qualityFilterKeepsConfidentCorrectPixelsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            ContrastiveHeads heads = new ContrastiveHeads(3, 4, 2);
            heads.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            ParameterStore ps = new ParameterStore(m, false);
            float[] l = {3, 0, 0, 3, 0.5f, 0, 0, 3, 0, 3, 0, 0.2f, 0, 4, 3, 0};
            // (1, 2, 2, 4): class 0's logits for the 8 pixels, then class 1's
            float[] logits = new float[16];
            for (int p = 0; p < 8; p++) {
                logits[p] = l[2 * p];
                logits[8 + p] = l[2 * p + 1];
            }
            NDArray logitArray = m.create(logits, new Shape(1, 2, 2, 4));
            float[] features = new float[3 * 8];
            for (int i = 0; i < features.length; i++) {
                features[i] = (float) Math.sin(1.7 * i + 0.3);
            }
            NDArray featureArray = m.create(features, new Shape(1, 3, 2, 4));
            int[] labels = {0, 0, 0, 1, 1, 1, 1, IGNORE};

            MemoryBank filtered = new MemoryBank(2, 16, 4);
            new BankUpdate(filtered, 16, 0.9, true, false).update(m, ps, heads, logitArray, featureArray, labels, 2, 4,
                    IGNORE, new SplittableRandom(1));
            assertEquals(1, filtered.fill(0), "class 0: pixel 0 only");
            assertEquals(3, filtered.fill(1), "class 1: pixels 3, 4 and 6");

            MemoryBank all = new MemoryBank(2, 16, 4);
            new BankUpdate(all, 16, 0.9, false, false).update(m, ps, heads, logitArray, featureArray, labels, 2, 4,
                    IGNORE, new SplittableRandom(1));
            assertEquals(3, all.fill(0), "filter off: every labeled pixel of class 0");
            assertEquals(4, all.fill(1));

            // the entries are the projections of the kept pixels' features (rows 0, 3, 4, 6 projected together)
            NDArray rows = BankUpdate.pixels(featureArray).get(m.create(new int[] {0, 3, 4, 6}));
            float[] z = heads.project(ps, rows, true).toFloatArray();
            assertArrayEquals(java.util.Arrays.copyOfRange(z, 0, 4), filtered.entries(0), 1e-6f);
            float[] class1 = filtered.entries(1);
            java.util.Set<Integer> matched = new java.util.HashSet<>();
            for (int e = 0; e < 3; e++) {
                for (int r = 1; r < 4; r++) {
                    if (java.util.Arrays.equals(java.util.Arrays.copyOfRange(class1, 4 * e, 4 * e + 4),
                            java.util.Arrays.copyOfRange(z, 4 * r, 4 * r + 4))) {
                        matched.add(r);
                    }
                }
            }
            assertEquals(java.util.Set.of(1, 2, 3), matched, "class 1 holds the projections of pixels 3, 4 and 6");
        }
    }
}
