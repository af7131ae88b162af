package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * U2PL's L_c over classes (Wang et al., CVPR 2022, Eq. 3, Sec. 3.3) on one 1 x 4 image with two-dimensional
 * representations and C = 4, by hand. Masks are given directly (their rules are {@link ContrastMasksTest}'s).
 */
class PixelContrastTest {
    private static final double TAU = 0.5;

    /** (1, 2, 1, 4) representations from four (x, y) pixels. */
    private static NDArray reps(NDManager m, float... xy) {
        float[] v = new float[8];
        for (int p = 0; p < 4; p++) {
            v[p] = xy[2 * p];
            v[4 + p] = xy[2 * p + 1];
        }
        return m.create(v, new Shape(1, 2, 1, 4));
    }

    /** A (1, 4, 1, 4) mask holding at the given (class, pixel) pairs. */
    private static NDArray mask(NDManager m, int... classPixel) {
        boolean[] v = new boolean[16];
        for (int i = 0; i < classPixel.length; i += 2) {
            v[classPixel[i] * 4 + classPixel[i + 1]] = true;
        }
        return m.create(v, new Shape(1, 4, 1, 4));
    }

    private static double term(double positiveCosine, double... negativeCosines) {
        double denominator = Math.exp(positiveCosine / TAU);
        for (double n : negativeCosines) {
            denominator += Math.exp(n / TAU);
        }
        return -Math.log(Math.exp(positiveCosine / TAU) / denominator);
    }

    /** The positive z_c^+ is the mean of the teacher's representations over the anchor candidates of class c. */
    @Test
    void thePositiveIsTheClassMean() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rows = PixelContrast.pixels(reps(m, 1, 0, 0, 1, -1, 0, 4, 4));
            NDArray candidates = ContrastMasks.classMajor(mask(m, 3, 0, 3, 1, 0, 2, 0, 3));
            float[] means = PixelContrast.classMeans(candidates, rows, new long[] {2, 0, 0, 2}, m).toFloatArray();
            assertArrayEquals(new float[] {1.5f, 2, 0, 0, 0, 0, 0.5f, 0.5f}, means, 1e-6f);
        }
    }

    /**
     * Classes 1 and 2 are missing from the batch. Class 3's anchors must meet class 3's positive and queue, class 0's
     * class 0's: indexing by position among the present classes (0 then 3) would pair class 3 with queue 1.
     */
    @Test
    void classesAreIndexedByIdWhenSomeAreMissing() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassQueue queue = new ClassQueue(m, 4, 10, 2);
            queue.push(0, m.create(new float[] {0, 1}, new Shape(1, 2)));
            queue.push(1, m.create(new float[] {1, 0}, new Shape(1, 2)));
            queue.push(2, m.create(new float[] {1, 0}, new Shape(1, 2)));
            queue.push(3, m.create(new float[] {0, -1}, new Shape(1, 2)));
            ContrastMasks masks = new ContrastMasks(mask(m, 3, 0, 3, 1, 0, 2), mask(m));
            NDArray teacher = reps(m, 1, 0, 0, 1, -1, 0, 7, 7);
            NDArray student = reps(m, 2, 0, 0, 3, -1, 1, 5, 5);
            PixelContrast contrast = new PixelContrast(queue, 8, 3, TAU);
            PixelContrast.Result r = contrast.loss(student, teacher, masks, new SplittableRandom(1), m);
            double s = 1 / Math.sqrt(2);
            // class 3: positive (0.5, 0.5); anchors (1, 0) and (0, 1) at cosine s to it; negative (0, -1) at 0 and -1
            double class3 = (term(s, 0, 0, 0) + term(s, -1, -1, -1)) / 2;
            // class 0: positive (-1, 0); anchor (-1, 1) at cosine s to it and to the negative (0, 1)
            double class0 = term(s, s, s, s);
            assertEquals(Math.log(4), class0, 1e-12);
            assertEquals((class3 + class0) / 2, r.loss().getFloat(), 1e-5);
            assertEquals(2, r.classes());
            assertArrayEquals(new long[4], r.newNegatives());
        }
    }

    /** Each class's negatives join its queue in pixel order; a class with anchors but no keys adds no term. */
    @Test
    void negativesJoinTheirClassesQueueBeforeAnchorsDrawFromIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassQueue queue = new ClassQueue(m, 4, 2, 2);
            NDArray teacher = reps(m, 1, 0, 0, 1, -1, 0, 0, -1);
            ContrastMasks masks = new ContrastMasks(mask(m, 1, 0, 2, 1), mask(m, 1, 1, 1, 2, 1, 3, 3, 0));
            PixelContrast contrast = new PixelContrast(queue, 8, 2, TAU);
            PixelContrast.Result r = contrast.loss(teacher, teacher, masks, new SplittableRandom(1), m);
            assertArrayEquals(new long[] {0, 3, 0, 1}, r.newNegatives());
            assertArrayEquals(new float[] {-1, 0, 0, -1}, queue.entries(1, m).toFloatArray(),
                    "class 1's last two negatives, pixels 2 and 3, in that order");
            assertArrayEquals(new float[] {1, 0}, queue.entries(3, m).toFloatArray());
            assertEquals(0, queue.fill(2));
            assertEquals(1, r.classes(), "class 2 has an anchor but an empty queue");
            // class 1: the anchor (1, 0) is its own positive; its negatives, drawn from (-1, 0) and (0, -1)
            double loss = r.loss().getFloat();
            double lo = term(1, -1, -1);
            double hi = term(1, 0, 0);
            assertTrue(loss >= lo - 1e-5 && loss <= hi + 1e-5, loss + " between " + lo + " and " + hi);
        }
    }

    @Test
    void noAnchorsNoTerm() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClassQueue queue = new ClassQueue(m, 4, 2, 2);
            NDArray teacher = reps(m, 1, 0, 0, 1, -1, 0, 0, -1);
            PixelContrast.Result r = new PixelContrast(queue, 8, 2, TAU)
                    .loss(teacher, teacher, new ContrastMasks(mask(m), mask(m, 0, 0)), new SplittableRandom(1), m);
            assertEquals(0, r.loss().getFloat(), 0);
            assertEquals(0, r.classes());
            assertEquals(1, queue.fill(0));
        }
    }

    /** Up to {@code numQueries} anchors per class, drawn without replacement. */
    @Test
    void anchorsAreDistinctPicks() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int trial = 0; trial < 20; trial++) {
            int[] picks = PixelContrast.pick(10, 4, rng);
            assertEquals(4, picks.length);
            assertEquals(4, java.util.Arrays.stream(picks).distinct().count());
            assertTrue(java.util.Arrays.stream(picks).allMatch(p -> p >= 0 && p < 10));
        }
        assertArrayEquals(new int[] {0, 1, 2}, PixelContrast.pick(3, 4, rng), "all of them when there are fewer");
    }
}
