package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.Sample;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeometricOpsTest {
    @Test
    void flippingTwiceIsTheIdentity() {
        Sample s = Fixtures.sample("a", 5, 7, 4, 3);
        Sample once = HFlip.flip(s);
        assertNotEquals(s.image()[0], once.image()[0]);
        Sample twice = HFlip.flip(once);
        assertArrayEquals(s.image(), twice.image());
        assertArrayEquals(s.mask(), twice.mask());
    }

    @Test
    void flipMirrorsColumns() {
        Sample s = Fixtures.coded(3, 4);
        Sample f = HFlip.flip(s);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(Fixtures.code(c, y, 3 - x), f.image()[(c * 3 + y) * 4 + x]);
                }
            }
        }
        assertEquals(3, f.mask()[0]);
    }

    @Test
    void flipProbabilityZeroAndOne() {
        Sample s = Fixtures.sample("a", 4, 4, 3, 4);
        assertSame(s, new HFlip(0).apply(s, new SplittableRandom(1)));
        assertArrayEquals(HFlip.flip(s).image(), new HFlip(1).apply(s, new SplittableRandom(1)).image());
        assertThrows(IllegalArgumentException.class, () -> new HFlip(1.5));
    }

    @Test
    void cropHasExactSizeAndCopiesTheWindow() {
        Sample s = Fixtures.coded(20, 30);
        for (long seed = 0; seed < 50; seed++) {
            Sample c = new RandomCrop(8, 11, Fixtures.IGNORE).apply(s, new SplittableRandom(seed));
            assertEquals(8, c.height());
            assertEquals(11, c.width());
            // The window is a contiguous block of the source: find its origin from the first pixel.
            int top = (int) (c.image()[0] / 1000);
            int left = (int) (c.image()[0] % 1000);
            assertTrue(top >= 0 && top + 8 <= 20 && left >= 0 && left + 11 <= 30);
            for (int ch = 0; ch < 3; ch++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 11; x++) {
                        assertEquals(Fixtures.code(ch, top + y, left + x), c.image()[(ch * 8 + y) * 11 + x]);
                    }
                }
            }
            assertEquals(top * 1000 + left, c.mask()[0]);
        }
    }

    @Test
    void cropOfSmallerImagePadsWithZeroAndIgnore() {
        Sample s = Fixtures.coded(4, 5);
        java.util.Set<Integer> placements = new java.util.HashSet<>();
        for (long seed = 0; seed < 30; seed++) {
            Sample c = new RandomCrop(7, 9, Fixtures.IGNORE).apply(s, new SplittableRandom(seed));
            assertEquals(7, c.height());
            assertEquals(9, c.width());
            int inside = 0;
            for (int i = 0; i < 7 * 9; i++) {
                if (c.mask()[i] == Fixtures.IGNORE) {
                    for (int ch = 0; ch < 3; ch++) {
                        assertEquals(0f, c.image()[ch * 63 + i]);
                    }
                } else {
                    inside++;
                    int y = c.mask()[i] / 1000;
                    int x = c.mask()[i] % 1000;
                    assertEquals(Fixtures.code(2, y, x), c.image()[2 * 63 + i]);
                }
            }
            assertEquals(20, inside, "every source pixel appears once");
            for (int i = 0; i < 63; i++) {
                if (c.mask()[i] == 0) {
                    placements.add(i); // where source pixel (0, 0) landed
                }
            }
        }
        assertTrue(placements.size() > 5, "the image is placed at random inside the window: " + placements);
    }

    @Test
    void cropMixedLargerAndSmaller() {
        Sample s = Fixtures.coded(10, 3);
        Sample c = RandomCrop.crop(s, 2, -1, 4, 5, -1);
        assertEquals(-1, c.mask()[0]);
        assertEquals(2 * 1000, c.mask()[1]);
        assertEquals(2 * 1000 + 2, c.mask()[3]);
        assertEquals(-1, c.mask()[4]);
        assertEquals(5 * 1000 + 1, c.mask()[3 * 5 + 2]);
        // A window entirely outside the image is all padding.
        Sample out = RandomCrop.crop(s, 20, 20, 2, 2, 7);
        assertArrayEquals(new int[] {7, 7, 7, 7}, out.mask());
        assertSame(s, RandomCrop.crop(s, 0, 0, 10, 3, 0));
    }

    @Test
    void scaleResizesWithProbability() {
        Sample s = Fixtures.sample("a", 20, 40, 5, 5);
        assertSame(s, new RandomScale(0, 0.75, 1.75).apply(s, new SplittableRandom(1)));
        int changed = 0;
        for (long seed = 0; seed < 40; seed++) {
            Sample r = new RandomScale(1, 0.75, 1.75).apply(s, new SplittableRandom(seed));
            assertTrue(r.height() >= 15 && r.height() <= 35, "height " + r.height());
            double f = r.width() / 40.0;
            assertEquals(r.height() / 20.0, f, 0.06);
            changed += r.height() != 20 ? 1 : 0;
        }
        assertTrue(changed > 30);
        Sample fixed = RandomScale.scale(s, 1.5);
        assertEquals(30, fixed.height());
        assertEquals(60, fixed.width());
        assertThrows(IllegalArgumentException.class, () -> new RandomScale(0.5, 2, 1));
    }
}
