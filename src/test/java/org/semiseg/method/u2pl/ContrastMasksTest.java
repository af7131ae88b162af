package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Anchors and negatives of U2PL's L_c (Wang et al., CVPR 2022, Sec. 3.3), by hand, on a batch of one labeled and one
 * unlabeled 1 x 3 image with C = 5, δ_p = 0.3, r_l = 3, r_h = 20 (clipped to 5):
 * <pre>
 *   row 0 (labeled)     label  p(0..4)                        ranks O(0..4)
 *     pixel 0           1      .04 .50 .25 .15 .06            4 0 1 2 3
 *     pixel 1           3      .35 .12 .20 .25 .08            0 3 2 1 4
 *     pixel 2           ignore .60 .11 .14 .09 .06
 *   row 1 (unlabeled)   ŷ      p                              unreliable
 *     pixel 0           0      .70 .10 .08 .07 .05            no
 *     pixel 1           ignore .30 .28 .20 .12 .10            yes (ranks 0 1 2 3 4)
 *     pixel 2           ignore .10 .15 .20 .25 .30            yes (ranks 4 3 2 1 0)
 * </pre>
 * Anchors: (row 0, class 1, pixel 0) and (row 1, class 0, pixel 0); labeled pixel 1 is labeled 3 but p(3) = 0.25 is
 * not above δ_p. Negatives, n^l(c) = 1[y ≠ c] 1[O(c) &lt; 3]: labeled pixel 0 of classes 2 and 3 (not 1, its own label,
 * though it ranks first), labeled pixel 1 of 0 and 2 (not 3, its own). n^u(c) = 1[unreliable] 1[3 ≤ O(c) &lt; 5]:
 * unlabeled pixel 1 of classes 3 and 4, pixel 2 of classes 1 and 0; the reliable pixel 0 of none.
 */
class ContrastMasksTest {
    private static final int IGNORE = 255;
    private static final float[][] P = {
            {.04f, .50f, .25f, .15f, .06f}, {.35f, .12f, .20f, .25f, .08f}, {.60f, .11f, .14f, .09f, .06f},
            {.70f, .10f, .08f, .07f, .05f}, {.30f, .28f, .20f, .12f, .10f}, {.10f, .15f, .20f, .25f, .30f}};

    private static NDArray prob(NDManager m) {
        float[] v = new float[2 * 5 * 3];
        for (int row = 0; row < 2; row++) {
            for (int c = 0; c < 5; c++) {
                for (int x = 0; x < 3; x++) {
                    v[(row * 5 + c) * 3 + x] = P[row * 3 + x][c];
                }
            }
        }
        return m.create(v, new Shape(2, 5, 1, 3));
    }

    /** The (row, class, pixel) triples where a (2, 5, 1, 3) mask holds. */
    private static Set<String> where(NDArray mask) {
        boolean[] v = mask.toBooleanArray();
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < v.length; i++) {
            if (v[i]) {
                out.add(i / 15 + "," + (i / 3) % 5 + "," + i % 3);
            }
        }
        return out;
    }

    private static ContrastMasks masks(NDManager m) {
        NDArray labels = m.create(new long[] {1, 3, IGNORE, 0, IGNORE, IGNORE}, new Shape(2, 1, 3));
        NDArray unreliable = m.create(new boolean[] {false, true, true}, new Shape(1, 1, 3));
        return ContrastMasks.of(labels, prob(m), 1, unreliable, 0.3, 3, 20, IGNORE);
    }

    @Test
    void ranksCountFromTheMostProbableClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            long[] r = ContrastMasks.ranks(prob(m)).toLongArray();
            // class-major within a row: r[c * 3 + pixel]
            assertArrayEquals(new long[] {4, 0, 1, 2, 3}, new long[] {r[0], r[3], r[6], r[9], r[12]}, "row 0, pixel 0");
            assertArrayEquals(new long[] {0, 3, 2, 1, 4}, new long[] {r[1], r[4], r[7], r[10], r[13]}, "row 0, pixel 1");
        }
    }

    @Test
    void anchorsNeedTheirClassAndTheTeachersProbabilityAboveDeltaP() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(Set.of("0,1,0", "1,0,0"), where(masks(m).anchors()));
        }
    }

    @Test
    void negativesOfBothKindsAndNeverOfAPixelsOwnLabel() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastMasks masks = masks(m);
            assertEquals(Set.of("0,2,0", "0,3,0", "0,0,1", "0,2,1", "1,3,1", "1,4,1", "1,1,2", "1,0,2"),
                    where(masks.negatives()));
            long[][] counts = masks.countsPerClass();
            assertArrayEquals(new long[] {1, 1, 0, 0, 0}, counts[0], "anchors per class id");
            assertArrayEquals(new long[] {2, 1, 2, 2, 1}, counts[1], "negatives per class id");
        }
    }

    /** r_h = 4: the unlabeled window is [3, 4), so only the class ranked fourth. */
    @Test
    void theHighRankBoundsTheUnlabeledWindow() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {1, 3, IGNORE, 0, IGNORE, IGNORE}, new Shape(2, 1, 3));
            NDArray unreliable = m.create(new boolean[] {false, true, true}, new Shape(1, 1, 3));
            ContrastMasks masks = ContrastMasks.of(labels, prob(m), 1, unreliable, 0.3, 3, 4, IGNORE);
            Set<String> unlabeled = new TreeSet<>();
            for (String s : where(masks.negatives())) {
                if (s.startsWith("1,")) {
                    unlabeled.add(s);
                }
            }
            assertEquals(Set.of("1,3,1", "1,1,2"), unlabeled);
        }
    }
}
