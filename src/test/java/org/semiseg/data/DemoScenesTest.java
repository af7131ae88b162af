package org.semiseg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DemoScenesTest {
    private static final int SIZE = 64;

    @Test
    void sameSeedGivesSameBytesAndOtherSeedsOrSplitsDiffer() {
        Sample a = DemoScenes.split(7, "train", 10, SIZE).get(3);
        Sample b = DemoScenes.split(7, "train", 10, SIZE).get(3);
        assertArrayEquals(a.image(), b.image());
        assertArrayEquals(a.mask(), b.mask());
        assertEquals("train-00003", a.id());
        Sample otherSeed = DemoScenes.split(8, "train", 10, SIZE).get(3);
        Sample otherSplit = DemoScenes.split(7, "val", 10, SIZE).get(3);
        Sample otherIndex = DemoScenes.split(7, "train", 10, SIZE).get(4);
        assertFalse(Arrays.equals(a.image(), otherSeed.image()));
        assertFalse(Arrays.equals(a.image(), otherSplit.image()));
        assertFalse(Arrays.equals(a.image(), otherIndex.image()));
    }

    @Test
    void imagesDoNotDependOnOrderCountOrThread() {
        DemoScenes first = DemoScenes.split(1, "train", 8, SIZE);
        Sample five = first.get(5);
        Sample two = first.get(2);
        DemoScenes second = DemoScenes.split(1, "train", 100, SIZE);
        assertArrayEquals(two.image(), second.get(2).image());
        assertArrayEquals(five.image(), second.get(5).image());
        List<Sample> parallel = IntStream.range(0, 8).parallel().mapToObj(first::get).toList();
        for (int i = 0; i < 8; i++) {
            Sample serial = first.get(i);
            assertArrayEquals(serial.image(), parallel.get(i).image());
            assertArrayEquals(serial.mask(), parallel.get(i).mask());
        }
    }

    @Test
    void samplesAreWellFormed() {
        DemoScenes scenes = DemoScenes.split(0, "val", 16, SIZE);
        assertEquals(List.of("background", "disc", "box", "triangle", "ring", "cross"), scenes.classNames());
        assertEquals(255, scenes.ignoreIndex());
        for (int i = 0; i < scenes.size(); i++) {
            Sample s = scenes.get(i);
            assertEquals(SIZE, s.height());
            assertEquals(SIZE, s.width());
            for (float v : s.image()) {
                assertTrue(v >= 0 && v <= 1, "pixel value " + v);
            }
            for (int m : s.mask()) {
                assertTrue(m >= 0 && m <= 5 || m == 255, "mask value " + m);
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> scenes.get(16));
        assertThrows(IllegalArgumentException.class, () -> DemoScenes.split(0, "train", 4, 8));
        assertThrows(IllegalArgumentException.class, () -> DemoScenes.split(0, " ", 4, SIZE));
    }

    @Test
    void everyClassAppearsWithSensiblePixelShare() {
        DemoScenes scenes = DemoScenes.split(0, "train", 64, SIZE);
        long[] counts = new long[6];
        long total = 0;
        for (int i = 0; i < scenes.size(); i++) {
            for (int m : scenes.get(i).mask()) {
                counts[m]++;
                total++;
            }
        }
        StringBuilder shares = new StringBuilder("demo pixel shares over 64 images:");
        for (int c = 0; c < counts.length; c++) {
            shares.append(String.format(" %s=%.1f%%", scenes.classNames().get(c), 100.0 * counts[c] / total));
        }
        System.out.println(shares);
        for (int c = 0; c < counts.length; c++) {
            double share = (double) counts[c] / total;
            if (c == 0) {
                assertTrue(share > 0.4 && share < 0.85, "background share " + share);
            } else {
                assertTrue(share > 0.02 && share < 0.2, scenes.classNames().get(c) + " share " + share);
            }
        }
    }

    @Test
    void objectsOverlapAndVaryInScale() {
        DemoScenes scenes = DemoScenes.split(3, "train", 32, SIZE);
        int objects = 0;
        int occluded = 0;
        double smallest = 1;
        double largest = 0;
        for (int i = 0; i < scenes.size(); i++) {
            for (DemoScene.PlacedObject o : scenes.scene(i).objects()) {
                objects++;
                occluded += o.partiallyOccluded() ? 1 : 0;
                smallest = Math.min(smallest, o.sideFraction());
                largest = Math.max(largest, o.sideFraction());
                assertTrue(o.visiblePixels() <= o.drawnPixels());
            }
        }
        System.out.printf("demo objects: %d in 32 images, %d partially occluded, diameters %.2f..%.2f of the side%n",
                objects, occluded, smallest, largest);
        assertTrue(occluded >= objects / 10, "too little overlap: " + occluded + " of " + objects);
        assertTrue(smallest < 0.12 && largest > 0.4, "scale range " + smallest + ".." + largest);
    }

    @Test
    void colourAloneDoesNotIdentifyTheClass() {
        // A per-pixel Bayes classifier on quantised RGB (8x8x8 bins), trained on 64 images and scored on 64 others:
        // if colour separated the classes it would reach a high mean IoU.
        DemoScenes train = DemoScenes.split(0, "train", 64, SIZE);
        DemoScenes val = DemoScenes.split(0, "val", 64, SIZE);
        long[][] histogram = new long[512][6];
        for (int i = 0; i < train.size(); i++) {
            Sample s = train.get(i);
            for (int p = 0; p < s.mask().length; p++) {
                histogram[bin(s, p)][s.mask()[p]]++;
            }
        }
        long[][] confusion = new long[6][6];
        for (int i = 0; i < val.size(); i++) {
            Sample s = val.get(i);
            for (int p = 0; p < s.mask().length; p++) {
                long[] h = histogram[bin(s, p)];
                int best = 0;
                for (int c = 1; c < 6; c++) {
                    best = h[c] > h[best] ? c : best;
                }
                confusion[s.mask()[p]][best]++;
            }
        }
        double iouSum = 0;
        StringBuilder ious = new StringBuilder("colour-only baseline IoU:");
        for (int c = 0; c < 6; c++) {
            long tp = confusion[c][c];
            long fp = 0;
            long fn = 0;
            for (int k = 0; k < 6; k++) {
                fp += k == c ? 0 : confusion[k][c];
                fn += k == c ? 0 : confusion[c][k];
            }
            double iou = (double) tp / Math.max(1, tp + fp + fn);
            iouSum += iou;
            ious.append(String.format(" %.2f", iou));
        }
        System.out.printf("%s, mean %.3f%n", ious, iouSum / 6);
        assertTrue(iouSum / 6 < 0.4, "colour alone gives mean IoU " + iouSum / 6);
    }

    private static int bin(Sample s, int p) {
        int plane = s.mask().length;
        int r = Math.min(7, (int) (s.image()[p] * 8));
        int g = Math.min(7, (int) (s.image()[plane + p] * 8));
        int b = Math.min(7, (int) (s.image()[2 * plane + p] * 8));
        return (r * 8 + g) * 8 + b;
    }
}
