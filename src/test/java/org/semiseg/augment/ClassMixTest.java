package org.semiseg.augment;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassMixTest {
    private static final int IGNORE = 255;

    @Test
    void pixelsComeFromTheImageTheMaskNames() {
        for (long seed = 0; seed < 30; seed++) {
            MixBatch b = MixFixtures.batch(4, 12, 10, 8, IGNORE, seed);
            Mixed m = ClassMix.apply(b, IGNORE, new SplittableRandom(seed));
            assertArrayEquals(new int[] {1, 2, 3, 0}, m.sourceIndex());
            assertArrayEquals(new int[] {0, 1, 2, 3}, m.targetIndex());
            MixFixtures.assertProvenance(b, m);
        }
    }

    @Test
    void maskIsExactlyTheChosenClassesOfTheSource() {
        Set<Set<Integer>> choices = new HashSet<>();
        for (long seed = 0; seed < 50; seed++) {
            MixBatch b = MixFixtures.batch(3, 16, 8, 10, IGNORE, 1000 + seed);
            Mixed m = ClassMix.apply(b, IGNORE, new SplittableRandom(seed));
            int plane = 16 * 8;
            for (int i = 0; i < 3; i++) {
                int src = m.sourceIndex()[i];
                Set<Integer> present = new HashSet<>();
                Set<Integer> chosen = new HashSet<>();
                for (int p = 0; p < plane; p++) {
                    int label = b.labels()[src * plane + p];
                    if (label != IGNORE) {
                        present.add(label);
                    }
                    if (m.masks()[i * plane + p] == 1) {
                        assertTrue(label != IGNORE, "ignore pixels are never pasted");
                        chosen.add(label);
                    }
                }
                // Mask == 1 exactly where the source's label is a chosen class.
                for (int p = 0; p < plane; p++) {
                    int label = b.labels()[src * plane + p];
                    assertEquals(chosen.contains(label) ? 1 : 0, m.masks()[i * plane + p]);
                }
                assertEquals(ClassMix.classesToPick(present.size()), chosen.size(), "present " + present);
                assertTrue(present.containsAll(chosen));
                if (present.size() >= 3) {
                    choices.add(chosen);
                }
            }
        }
        assertTrue(choices.size() > 20, "the chosen classes vary: " + choices.size());
    }

    @Test
    void classesToPickIsHalfRoundedUp() {
        // ClassMix: half of the classes present, ceil(k / 2)
        assertEquals(0, ClassMix.classesToPick(0));
        assertEquals(1, ClassMix.classesToPick(1));
        assertEquals(1, ClassMix.classesToPick(2));
        assertEquals(2, ClassMix.classesToPick(3));
        assertEquals(2, ClassMix.classesToPick(4));
        assertEquals(3, ClassMix.classesToPick(5));
        assertEquals(10, ClassMix.classesToPick(19));
    }

    @Test
    void allIgnoreSourcePastesNothing() {
        int plane = 4 * 4;
        int[] labels = new int[2 * plane];
        java.util.Arrays.fill(labels, 0, plane, 3); // image 0: one class
        java.util.Arrays.fill(labels, plane, 2 * plane, IGNORE); // image 1: nothing but ignore
        MixBatch b = new MixBatch(new float[2 * 3 * plane], labels, null, 2, 3, 4, 4);
        Mixed m = ClassMix.apply(b, IGNORE, new SplittableRandom(1));
        for (int p = 0; p < plane; p++) {
            assertEquals(0, m.masks()[p], "output 0 has source 1 (all ignore)");
            assertEquals(1, m.masks()[plane + p], "output 1 has source 0, its single class is always chosen");
        }
        assertNull(m.out().confidence());
        MixFixtures.assertProvenance(b, m);
    }

    @Test
    void sameSeedSameMixAndInputUntouched() {
        MixBatch coded = MixFixtures.batch(4, 10, 10, 6, IGNORE, 5);
        int[] stripes = new int[4 * 100];
        for (int p = 0; p < stripes.length; p++) {
            stripes[p] = (p / 10) % 6; // rows of classes 0..5 in every image
        }
        MixBatch b = new MixBatch(coded.images(), stripes, coded.confidence(), 4, 3, 10, 10);
        float[] images = b.images().clone();
        int[] labels = b.labels().clone();
        Mixed a = ClassMix.apply(b, IGNORE, new SplittableRandom(9));
        Mixed c = ClassMix.apply(b, IGNORE, new SplittableRandom(9));
        assertArrayEquals(a.masks(), c.masks());
        assertArrayEquals(a.out().images(), c.out().images());
        assertArrayEquals(images, b.images());
        assertArrayEquals(labels, b.labels());
        boolean differs = false;
        for (long seed = 10; seed < 20 && !differs; seed++) {
            differs = !java.util.Arrays.equals(a.masks(), ClassMix.apply(b, IGNORE, new SplittableRandom(seed)).masks());
        }
        assertTrue(differs);
    }

    @Test
    void probabilityIsPerBatch() {
        MixBatch b = MixFixtures.batch(4, 8, 8, 6, IGNORE, 6);
        Mixed none = ClassMix.apply(b, IGNORE, 0.0, new SplittableRandom(1));
        assertSame(b, none.out());
        assertFalse(none.anyMixed());
        assertArrayEquals(none.sourceIndex(), none.targetIndex());
        int mixed = 0;
        for (long seed = 0; seed < 1000; seed++) {
            Mixed m = ClassMix.apply(b, IGNORE, 0.8, new SplittableRandom(seed));
            if (m.out() != b) {
                mixed++;
                assertTrue(m.anyMixed());
            }
        }
        assertEquals(800, mixed, 50);
    }

    @Test
    void singleImageMixesWithItself() {
        MixBatch b = MixFixtures.batch(1, 6, 6, 4, IGNORE, 7);
        Mixed m = ClassMix.apply(b, IGNORE, new SplittableRandom(2));
        assertArrayEquals(b.images(), m.out().images());
        assertArrayEquals(b.labels(), m.out().labels());
    }

    @Test
    void refusesMissingOrNegativeLabels() {
        MixBatch noLabels = new MixBatch(new float[3 * 4], null, null, 1, 3, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> ClassMix.apply(noLabels, IGNORE, new SplittableRandom(1)));
        MixBatch negative = new MixBatch(new float[3 * 4], new int[] {0, -2, 1, 1}, null, 1, 3, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> ClassMix.apply(negative, IGNORE, new SplittableRandom(1)));
        // A negative ignore index is fine.
        MixBatch minusOne = new MixBatch(new float[3 * 4], new int[] {0, -1, 1, 1}, null, 1, 3, 2, 2);
        ClassMix.apply(minusOne, -1, new SplittableRandom(1));
        assertThrows(IllegalArgumentException.class, () -> new MixBatch(new float[5], null, null, 1, 3, 2, 2));
    }
}
