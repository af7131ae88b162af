package org.semiseg.method.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ClassMix (Olsson et al., WACV 2021) chosen on the device, on hand-made label maps.
 */
class ClassMixTest {
    private static final int IGNORE = 255;
    /** Image 0: classes 0, 1, 2 and one ignore pixel; image 1: class 3 and two ignore pixels. */
    private static final long[] LABELS = {0, 0, 1, 1, IGNORE, 2, 3, 3, 3, IGNORE, IGNORE, 3};

    @Test
    void maskIsTheChosenClassesOfThePartner() {
        Set<Set<Long>> choices = new HashSet<>();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(LABELS, new Shape(2, 2, 3));
            for (long seed = 0; seed < 30; seed++) {
                Mix mix = ClassMix.choose(labels, 4, IGNORE, 1.0, new SplittableRandom(seed));
                assertTrue(mix.anyMixed());
                assertArrayEquals(new int[] {1, 0}, mix.sourceIndex());
                assertArrayEquals(new int[] {0, 1}, mix.targetIndex());
                assertEquals(new Shape(2, 1, 2, 3), mix.mask().getShape());
                assertEquals(DataType.FLOAT32, mix.mask().getDataType());
                float[] mask = mix.mask().toFloatArray();
                // Output 0's source is image 1: its only class (3) is always chosen; ignore is never pasted.
                assertArrayEquals(new float[] {1, 1, 1, 0, 0, 1}, java.util.Arrays.copyOfRange(mask, 0, 6));
                // Output 1's source is image 0: 2 of its 3 classes (ceil(3 / 2)), all pixels of those.
                Set<Long> chosen = new HashSet<>();
                for (int p = 0; p < 6; p++) {
                    if (mask[6 + p] == 1) {
                        chosen.add(LABELS[p]);
                    }
                }
                assertEquals(2, chosen.size());
                assertFalse(chosen.contains((long) IGNORE));
                for (int p = 0; p < 6; p++) {
                    assertEquals(chosen.contains(LABELS[p]) ? 1f : 0f, mask[6 + p], "pixel " + p);
                }
                choices.add(chosen);
                // The mixed label maps: output 0 is image 0 with class 3 of image 1 pasted.
                assertArrayEquals(new long[] {3, 3, 3, 1, IGNORE, 3}, java.util.Arrays.copyOfRange(mix.apply(labels).toLongArray(), 0, 6));
            }
        }
        assertEquals(3, choices.size(), "every pair of classes is drawn for some seed: " + choices);
    }

    @Test
    void singleImageChangesNothingAndAllIgnorePastesNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray one = m.create(new long[] {0, 1, 2, 3, 3, IGNORE}, new Shape(1, 2, 3));
            NDArray image = m.arange(18f).reshape(1, 3, 2, 3);
            Mix self = ClassMix.choose(one, 4, IGNORE, 1.0, new SplittableRandom(4));
            assertArrayEquals(new int[] {0}, self.sourceIndex());
            assertArrayEquals(image.toFloatArray(), self.apply(image).toFloatArray());
            assertArrayEquals(one.toLongArray(), self.apply(one).toLongArray());

            NDArray labels = m.create(new int[] {2, 2, 2, 2, 2, 2, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE},
                    new Shape(2, 2, 3));
            Mix mix = ClassMix.choose(labels, 3, IGNORE, 1.0, new SplittableRandom(1));
            assertArrayEquals(new float[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1}, mix.mask().toFloatArray());
            // Nothing but ignore in both images: nothing is pasted at all.
            NDArray ignored = m.full(new Shape(2, 2, 3), IGNORE, DataType.INT32);
            Mix nothing = ClassMix.choose(ignored, 3, IGNORE, 1.0, new SplittableRandom(1));
            assertFalse(nothing.anyMixed());
            NDArray two = image.concat(image);
            assertSame(two, nothing.apply(two));
            assertEquals(0f, nothing.mask().sum().getFloat());
        }
    }


    @Test
    void probabilityIsOneDrawPerBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(LABELS, new Shape(2, 2, 3));
            Mix none = ClassMix.choose(labels, 4, IGNORE, 0.0, new SplittableRandom(3));
            assertFalse(none.anyMixed());
            assertArrayEquals(new int[] {0, 1}, none.sourceIndex());
            assertEquals(0f, none.mask().sum().getFloat());
            int mixed = 0;
            for (long seed = 0; seed < 400; seed++) {
                mixed += ClassMix.choose(labels, 4, IGNORE, 0.25, new SplittableRandom(seed)).anyMixed() ? 1 : 0;
            }
            assertEquals(100, mixed, 30);
            assertThrows(IllegalArgumentException.class,
                    () -> ClassMix.choose(labels, 4, IGNORE, 1.5, new SplittableRandom(1)));
        }
    }

    @Test
    void refusesLabelsOutsideTheClasses() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray large = m.create(new long[] {0, 1, 4, 1}, new Shape(1, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> ClassMix.choose(large, 4, IGNORE, 1.0, new SplittableRandom(1)));
            NDArray negative = m.create(new long[] {0, -2, 1, 1}, new Shape(1, 2, 2));
            assertThrows(IllegalArgumentException.class, () -> ClassMix.choose(negative, 4, IGNORE, 1.0, new SplittableRandom(1)));
            // A negative ignore index is fine.
            NDArray minusOne = m.create(new long[] {0, -1, 1, 1, 2, 2, -1, -1}, new Shape(2, 2, 2));
            Mix mix = ClassMix.choose(minusOne, 4, -1, 1.0, new SplittableRandom(1));
            float[] mask = mix.mask().toFloatArray();
            // output 0 pastes class 2 of image 1; output 1 one of the classes 0, 1 of image 0, never its -1 pixel
            assertArrayEquals(new float[] {1, 1, 0, 0}, java.util.Arrays.copyOfRange(mask, 0, 4));
            float[] second = java.util.Arrays.copyOfRange(mask, 4, 8);
            assertTrue(java.util.Arrays.equals(new float[] {1, 0, 0, 0}, second)
                    || java.util.Arrays.equals(new float[] {0, 0, 1, 1}, second), java.util.Arrays.toString(second));
            assertThrows(IllegalArgumentException.class,
                    () -> ClassMix.choose(m.zeros(new Shape(2, 2, 2)), 4, IGNORE, 1.0, new SplittableRandom(1)));
        }
    }

    @Test
    void classesToPickIsHalfRoundedUp() {
        assertEquals(0, ClassMix.classesToPick(0));
        assertEquals(1, ClassMix.classesToPick(1));
        assertEquals(1, ClassMix.classesToPick(2));
        assertEquals(2, ClassMix.classesToPick(3));
        assertEquals(2, ClassMix.classesToPick(4));
        assertEquals(10, ClassMix.classesToPick(19));
    }

    /** Horizontal bands of random classes (some ignore) plus stray ignore pixels. */
    private static int[] blobs(int n, int h, int w, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed * 31 + 7);
        int plane = h * w;
        int[] labels = new int[n * plane];
        for (int i = 0; i < n; i++) {
            int bands = 1 + rng.nextInt(6);
            int[] cls = new int[bands];
            for (int b = 0; b < bands; b++) {
                cls[b] = rng.nextInt(5) == 0 ? IGNORE : rng.nextInt(classes);
            }
            for (int p = 0; p < plane; p++) {
                labels[i * plane + p] = cls[(p / w) * bands / h];
            }
            for (int k = 0; k < plane / 20; k++) {
                labels[i * plane + rng.nextInt(plane)] = IGNORE;
            }
        }
        return labels;
    }
}
