package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected maps are worked out by hand for a 4 x 6 original whose pixel (y, x) has index y * 6 + x. */
class ViewGeometryTest {
    private static final ViewGeometry ORIGINAL = ViewGeometry.identity(4, 6);

    @Test
    void identityMapsEveryPixelToItself() {
        int[] map = ViewGeometry.map(ORIGINAL, ORIGINAL);
        for (int i = 0; i < 24; i++) {
            assertEquals(i, map[i]);
        }
    }

    @Test
    void flipMirrorsColumnsBothWays() {
        ViewGeometry flipped = new ViewGeometry(4, 6, 4, 6, 0, 0, 4, 6, true);
        int[] expected = {
                5, 4, 3, 2, 1, 0,
                11, 10, 9, 8, 7, 6,
                17, 16, 15, 14, 13, 12,
                23, 22, 21, 20, 19, 18};
        assertArrayEquals(expected, ViewGeometry.map(ORIGINAL, flipped));
        assertArrayEquals(expected, ViewGeometry.map(flipped, ORIGINAL));
    }

    @Test
    void scaleByTwoThenCrop() {
        // Scaled to 8 x 12, window 4 x 5 at (2, 3): view (y, x) is scaled (y + 2, x + 3), original / 2 of that.
        ViewGeometry view = new ViewGeometry(4, 6, 8, 12, 2, 3, 4, 5, false);
        int[] expected = {
                7, 8, 8, 9, 9,
                7, 8, 8, 9, 9,
                13, 14, 14, 15, 15,
                13, 14, 14, 15, 15};
        assertArrayEquals(expected, ViewGeometry.map(ORIGINAL, view));
        // Back: original pixel o sits at scaled 2o + 0.5, halfway between 2o and 2o + 1; the tie rounds up to 2o + 1,
        // then minus the offset: rows 2o - 1, columns 2o - 2, in a 4 x 5 window.
        int[] back = {
                -1, -1, -1, -1, -1, -1,
                -1, 5, 7, 9, -1, -1,
                -1, 15, 17, 19, -1, -1,
                -1, -1, -1, -1, -1, -1};
        assertArrayEquals(back, ViewGeometry.map(view, ORIGINAL));
    }

    @Test
    void negativeOffsetsPad() {
        // A 5 x 7 window at (-1, -1): its first row and column are padding.
        ViewGeometry padded = new ViewGeometry(4, 6, 4, 6, -1, -1, 5, 7, false);
        int[] expected = {
                -1, -1, -1, -1, -1, -1, -1,
                -1, 0, 1, 2, 3, 4, 5,
                -1, 6, 7, 8, 9, 10, 11,
                -1, 12, 13, 14, 15, 16, 17,
                -1, 18, 19, 20, 21, 22, 23};
        assertArrayEquals(expected, ViewGeometry.map(ORIGINAL, padded));
        int[] back = {
                8, 9, 10, 11, 12, 13,
                15, 16, 17, 18, 19, 20,
                22, 23, 24, 25, 26, 27,
                29, 30, 31, 32, 33, 34};
        assertArrayEquals(back, ViewGeometry.map(padded, ORIGINAL));
    }

    @Test
    void betweenTwoCutViews() {
        // from: the original flipped; to: a 2 x 3 window at (3, 4) that overhangs the bottom and the right edge.
        ViewGeometry from = new ViewGeometry(4, 6, 4, 6, 0, 0, 4, 6, true);
        ViewGeometry to = new ViewGeometry(4, 6, 4, 6, 3, 4, 2, 3, false);
        // to (0, 0) is original (3, 4): column 5 - 4 = 1 of the flipped view, index 19; to (0, 1) is (3, 5) -> 18.
        assertArrayEquals(new int[]{19, 18, -1, -1, -1, -1}, ViewGeometry.map(from, to));
        int[] back = new int[24];
        java.util.Arrays.fill(back, -1);
        back[18] = 1; // flipped (3, 0) is original (3, 5): window (0, 1)
        back[19] = 0; // flipped (3, 1) is original (3, 4): window (0, 0)
        assertArrayEquals(back, ViewGeometry.map(to, from));
    }

    @Test
    void refusesViewsOfDifferentOriginals() {
        assertThrows(IllegalArgumentException.class, () -> ViewGeometry.map(ORIGINAL, ViewGeometry.identity(4, 7)));
    }

    /** A preset with only geometry: scale by exactly {@code factor} with probability 1 (or never, for 1). */
    private static AugmentPreset geometryOnly(double factor) {
        return new AugmentPreset("geo", 0.5, factor == 1 ? 0 : 1, factor, factor, 0, 0, 0, 0, 0, 0, 0);
    }

    /** The original's mask carried to the view through its geometry; ignore where the map has no source. */
    private static int[] carried(Sample original, ViewGeometry g) {
        int[] map = ViewGeometry.map(ViewGeometry.identity(original.height(), original.width()), g);
        int[] out = new int[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = map[i] < 0 ? Fixtures.IGNORE : original.mask()[map[i]];
        }
        return out;
    }

    @Test
    void mapReproducesThePipelinesMaskForIntegerFactors() {
        Sample s = Fixtures.coded(9, 11);
        Set<ViewGeometry> seen = new HashSet<>();
        for (double factor : new double[]{1, 2, 3}) {
            for (int[] crop : new int[][]{{6, 7}, {30, 40}, {0, 0}}) {
                BatchLoader.ViewTransform t = Augmentations.geometricView(geometryOnly(factor), crop[0], crop[1], Fixtures.IGNORE);
                for (long seed = 0; seed < 20; seed++) {
                    BatchLoader.View v = t.apply(s, new SplittableRandom(seed));
                    ViewGeometry g = v.geometry();
                    assertEquals((int) (9 * factor), g.scaledH());
                    assertEquals(v.sample().height(), g.height());
                    assertArrayEquals(v.sample().mask(), carried(s, g), "factor " + factor + ", " + g);
                    seen.add(g);
                }
            }
        }
        assertTrue(seen.stream().anyMatch(ViewGeometry::flip) && seen.stream().anyMatch(g -> !g.flip()));
        assertTrue(seen.stream().anyMatch(g -> g.top() < 0) && seen.stream().anyMatch(g -> g.left() > 0));
    }

    @Test
    void mapIsWithinAPixelOfThePipelineForAnyFactor() {
        // Resampling.nearest takes floor(d * in / out), the map rounds pixel centres: for a non-integer factor they
        // may pick neighbouring pixels, never farther apart; padding agrees exactly.
        Sample s = Fixtures.coded(17, 23);
        BatchLoader.ViewTransform t = Augmentations.geometricView(AugmentPreset.STRONG, 16, 20, Fixtures.IGNORE);
        for (long seed = 0; seed < 40; seed++) {
            BatchLoader.View v = t.apply(s, new SplittableRandom(seed));
            int[] mine = carried(s, v.geometry());
            int[] theirs = v.sample().mask();
            for (int i = 0; i < mine.length; i++) {
                assertEquals(mine[i] == Fixtures.IGNORE, theirs[i] == Fixtures.IGNORE, "padding at " + i);
                if (mine[i] != Fixtures.IGNORE) {
                    assertTrue(Math.abs(mine[i] / 1000 - theirs[i] / 1000) <= 1 && Math.abs(mine[i] % 1000 - theirs[i] % 1000) <= 1,
                            mine[i] + " vs " + theirs[i] + " at " + i + ", " + v.geometry());
                }
            }
        }
    }

    @Test
    void geometricViewDrawsAsGeometric() {
        for (long seed = 0; seed < 30; seed++) {
            Sample s = Fixtures.sample("s", 14, 19, 5, seed);
            for (int[] crop : new int[][]{{10, 12}, {0, 0}}) {
                Sample a = Augmentations.geometric(AugmentPreset.STRONG, crop[0], crop[1], Fixtures.IGNORE).apply(s, new SplittableRandom(seed));
                SplittableRandom rng = new SplittableRandom(seed);
                BatchLoader.View b = Augmentations.geometricView(AugmentPreset.STRONG, crop[0], crop[1], Fixtures.IGNORE).apply(s, rng);
                assertArrayEquals(a.image(), b.sample().image());
                assertArrayEquals(a.mask(), b.sample().mask());
                SplittableRandom after = new SplittableRandom(seed);
                for (int i = 0; i < 5; i++) {
                    after.nextDouble();
                }
                assertEquals(after.nextLong(), rng.nextLong(), "five draws: scale 2, crop 2, flip 1");
            }
        }
    }
}
