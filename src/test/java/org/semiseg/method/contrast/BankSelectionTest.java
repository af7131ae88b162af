package org.semiseg.method.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BankSelectionTest {

    @Test
    void validPixelsComeInClassOrderEachWithItsOwnLabel() {
        // labels 2, ignore, 0, 1, 0: class 0 at 2 and 4, class 1 at 3, class 2 at 0
        int[] labels = {2, 255, 0, 1, 0};
        int[] index = BankSelection.validInClassOrder(labels, 255, 3);
        assertArrayEquals(new int[] {2, 4, 3, 0}, index);
        assertArrayEquals(new int[] {0, 0, 1, 2}, BankSelection.gather(labels, index));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BankSelection.validInClassOrder(new int[] {0, 7}, 255, 3));
        assertEquals("class 7 outside 0..2", e.getMessage());
    }

    @Test
    void perImageIsFloorOfBankOverImagesAtLeastOne() {
        assertEquals(2, BankSelection.perImage(256, 100));
        assertEquals(85, BankSelection.perImage(256, 3)); // floor(85.33)
        assertEquals(1, BankSelection.perImage(256, 200)); // floor(1.28)
        assertEquals(1, BankSelection.perImage(256, 2975)); // floor would be 0
        assertEquals(256, BankSelection.perImage(256, 1));
        assertThrows(IllegalArgumentException.class, () -> BankSelection.perImage(256, 0));
    }

    @Test
    void qualityFilterKeepsCorrectConfidentLabeledPositions() {
        int[] labels = {0, 1, 2, 255, 1, 3};
        int[] predicted = {0, 1, 1, 255, 1, 3};
        float[] confidence = {0.99f, 0.5f, 0.99f, 0.99f, 0.96f, 0.95f};
        boolean[] keep = BankSelection.qualityFilter(labels, predicted, confidence, 0.95f, 255, true);
        // 0: right and confident; 1: not confident; 2: wrong class; 3: ignored; 4: kept; 5: exactly at threshold
        assertArrayEquals(new boolean[] {true, false, false, false, true, false}, keep);
    }

    @Test
    void disabledQualityFilterKeepsEveryLabeledPosition() {
        int[] labels = {0, 1, 255, 2};
        assertArrayEquals(new boolean[] {true, true, false, true},
                BankSelection.qualityFilter(labels, null, null, 0.95f, 255, false));
        int[] predicted = {1, 1, 1, 1};
        float[] confidence = {0f, 0f, 0f, 0f};
        assertArrayEquals(new boolean[] {true, true, false, true},
                BankSelection.qualityFilter(labels, predicted, confidence, 0.95f, 255, false));
    }

    @Test
    void topKKeepsHighestScoresPerImageAndClassInPushOrder() {
        // candidates deliberately not sorted by image or class
        int[] image = {1, 1, 0, 0, 0, 0, 1};
        int[] cls = {0, 0, 2, 0, 0, 0, 0};
        float[] score = {0.2f, 0.8f, 0.3f, 0.1f, 0.9f, 0.5f, 0.6f};
        int[] chosen = BankSelection.topK(image, cls, score, 2, null);
        // image 0 class 0: 4 (0.9), 5 (0.5), not 3 (0.1); image 0 class 2: 2; image 1 class 0: 1 (0.8), 6 (0.6)
        assertArrayEquals(new int[] {4, 5, 2, 1, 6}, chosen);
    }

    @Test
    void topKBreaksTiesByLowerIndexAndTakesWholeSmallGroups() {
        int[] image = {0, 0, 0, 0};
        int[] cls = {1, 1, 1, 1};
        float[] score = {0.5f, 0.7f, 0.5f, 0.5f};
        assertArrayEquals(new int[] {1, 0, 2}, BankSelection.topK(image, cls, score, 3, null));
        assertArrayEquals(new int[] {1, 0, 2, 3}, BankSelection.topK(image, cls, score, 10, null));
        assertArrayEquals(new int[0], BankSelection.topK(image, cls, score, 0, null));
    }

    @Test
    void randomTopKIsDeterministicForASeedAndDrawsWithoutReplacement() {
        int n = 60;
        int[] image = new int[n];
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            image[i] = i % 2;
            cls[i] = (i / 2) % 3; // six groups of ten
        }
        int[] a = BankSelection.topK(image, cls, null, 4, new SplittableRandom(5));
        int[] b = BankSelection.topK(image, cls, null, 4, new SplittableRandom(5));
        int[] c = BankSelection.topK(image, cls, null, 4, new SplittableRandom(6));
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        assertEquals(24, a.length);
        Set<Integer> distinct = new HashSet<>();
        for (int j = 0; j < a.length; j++) {
            distinct.add(a[j]);
            // groups in order (image, class): j / 4 is the group's rank
            int group = j / 4;
            assertEquals(group / 3, image[a[j]]);
            assertEquals(group % 3, cls[a[j]]);
        }
        assertEquals(24, distinct.size());
        // a group of two with k = 4 gives both
        int[] small = BankSelection.topK(new int[] {0, 0}, new int[] {0, 0}, null, 4, new SplittableRandom(1));
        Arrays.sort(small);
        assertArrayEquals(new int[] {0, 1}, small);
    }

    @Test
    void nearestIndexMatchesTorchInterpolateNearest() {
        // torch rule: min(floor(dst * (float) in / out), in - 1); 180 / 45 = 4 and 64 / 16 = 4 exactly
        int[] expected180 = new int[45];
        for (int i = 0; i < 45; i++) {
            expected180[i] = 4 * i;
        }
        assertArrayEquals(expected180, BankSelection.nearestIndex(180, 45));
        int[] expected64 = new int[16];
        for (int i = 0; i < 16; i++) {
            expected64[i] = 4 * i;
        }
        assertArrayEquals(expected64, BankSelection.nearestIndex(64, 16));
        // 7 / 3 = 2.333..: floor(0), floor(2.33), floor(4.67)
        assertArrayEquals(new int[] {0, 2, 4}, BankSelection.nearestIndex(7, 3));
        // printed by torch 1.13 F.interpolate(size=..., mode='nearest')
        assertArrayEquals(new int[] {0, 2, 5, 7}, BankSelection.nearestIndex(10, 4));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 4, 4}, BankSelection.nearestIndex(5, 10));
        int[] n65 = BankSelection.nearestIndex(65, 33);
        assertArrayEquals(new int[] {0, 1, 3, 5, 7}, Arrays.copyOf(n65, 5));
        assertEquals(63, n65[32]);
    }

    @Test
    void downsampleNearestPicksTorchsSourcePixels() {
        // two 3 x 4 maps -> 2 x 2: rows nearestIndex(3, 2) = {0, 1}, cols nearestIndex(4, 2) = {0, 2}
        int[] values = new int[24];
        for (int i = 0; i < 24; i++) {
            values[i] = i;
        }
        assertArrayEquals(new int[] {0, 2, 4, 6, 12, 14, 16, 18},
                BankSelection.downsampleNearest(values, 2, 3, 4, 2, 2));
        float[] f = new float[24];
        for (int i = 0; i < 24; i++) {
            f[i] = i / 2f;
        }
        assertArrayEquals(new float[] {0f, 1f, 2f, 3f, 6f, 7f, 8f, 9f},
                BankSelection.downsampleNearest(f, 2, 3, 4, 2, 2));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BankSelection.downsampleNearest(values, 2, 3, 3, 2, 2)).getMessage().contains("expected"));
    }

    @Test
    void orderByClassIsAStableCountingSort() {
        assertArrayEquals(new int[] {1, 3, 2, 0, 4}, BankSelection.orderByClass(new int[] {2, 0, 1, 0, 2}, 3));
        assertArrayEquals(new int[] {0, 1, 2}, BankSelection.orderByClass(new int[] {0, 0, 3}, 4));
        assertArrayEquals(new int[0], BankSelection.orderByClass(new int[0], 2));
    }
}
