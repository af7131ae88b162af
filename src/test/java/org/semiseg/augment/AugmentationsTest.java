package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentationsTest {
    private static final int CLASSES = 6;

    private static void assertValid(Sample s, int h, int w) {
        assertEquals(h, s.height());
        assertEquals(w, s.width());
        for (int v : s.mask()) {
            assertTrue((v >= 0 && v < CLASSES) || v == Fixtures.IGNORE, "mask value " + v);
        }
        for (float v : s.image()) {
            assertTrue(v >= 0f && v <= 1f, "image value " + v);
        }
    }

    @Test
    void everyOpAndPresetKeepsMaskValuesAndImageRange() {
        List<BatchLoader.Transform> ops = new ArrayList<>();
        ops.add(new RandomScale(1, 0.75, 1.75));
        ops.add(new RandomCrop(12, 17, Fixtures.IGNORE));
        ops.add(new HFlip(0.5));
        ops.add(new ColorJitter(1, 0.3, 0.3, 0.15, 0.1));
        ops.add(new GaussianBlur(1));
        for (AugmentPreset p : AugmentPreset.ALL) {
            ops.add(Augmentations.geometric(p, 20, 24, Fixtures.IGNORE));
            ops.add(Augmentations.photometric(p));
            ops.add(Augmentations.full(p, 20, 24, Fixtures.IGNORE));
            ops.add(Augmentations.full(p, 0, 0, Fixtures.IGNORE));
        }
        for (long seed = 0; seed < 40; seed++) {
            Sample s = Fixtures.sample("s" + seed, 18 + (int) (seed % 5), 22 + (int) (seed % 7), CLASSES, 100 + seed);
            for (BatchLoader.Transform op : ops) {
                Sample out = op.apply(s, new SplittableRandom(seed));
                for (int v : out.mask()) {
                    assertTrue((v >= 0 && v < CLASSES) || v == Fixtures.IGNORE, "mask value " + v);
                }
                for (float v : out.image()) {
                    assertTrue(v >= 0f && v <= 1f, "image value " + v);
                }
            }
            for (AugmentPreset p : AugmentPreset.ALL) {
                assertValid(Augmentations.full(p, 20, 24, Fixtures.IGNORE).apply(s, new SplittableRandom(seed)), 20, 24);
                assertValid(Augmentations.full(p, 0, 0, Fixtures.IGNORE).apply(s, new SplittableRandom(seed)), s.height(), s.width());
            }
        }
    }

    @Test
    void sameSeedSameOutputDifferentSeedsDiffer() {
        Sample s = Fixtures.sample("a", 30, 40, CLASSES, 7);
        BatchLoader.Transform t = Augmentations.full(AugmentPreset.STRONG, 24, 32, Fixtures.IGNORE);
        List<Sample> outs = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            Sample a = t.apply(s, new SplittableRandom(seed));
            Sample b = t.apply(s, new SplittableRandom(seed));
            assertArrayEquals(a.image(), b.image());
            assertArrayEquals(a.mask(), b.mask());
            outs.add(a);
        }
        for (int i = 0; i < outs.size(); i++) {
            for (int j = i + 1; j < outs.size(); j++) {
                assertFalse(Arrays.equals(outs.get(i).image(), outs.get(j).image()), "seeds " + i + " and " + j);
            }
        }
    }

    @Test
    void noneIsTheIdentity() {
        Sample s = Fixtures.sample("a", 10, 12, CLASSES, 8);
        assertSame(s, Augmentations.full(AugmentPreset.NONE, 0, 0, Fixtures.IGNORE).apply(s, new SplittableRandom(1)));
        assertSame(s, Augmentations.full(AugmentPreset.NONE, 10, 12, Fixtures.IGNORE).apply(s, new SplittableRandom(1)));
    }

    @Test
    void photometricLeavesMaskAndGeometryAlone() {
        Sample s = Fixtures.sample("a", 10, 12, CLASSES, 9);
        for (long seed = 0; seed < 20; seed++) {
            Sample p = Augmentations.photometric(AugmentPreset.STRONG).apply(s, new SplittableRandom(seed));
            assertSame(s.mask(), p.mask());
            assertEquals(10, p.height());
        }
    }

    @Test
    void weakAndStrongViewsShareGeometry() {
        Sample s = Fixtures.coded(30, 40);
        Sample unlabeled = new Sample("u", s.image(), null, 30, 40);
        for (long seed = 0; seed < 10; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            Sample weak = Augmentations.geometric(AugmentPreset.STRONG, 24, 32, Fixtures.IGNORE).apply(unlabeled, rng);
            float[] before = weak.image().clone();
            Sample strong = Augmentations.photometric(AugmentPreset.STRONG).apply(weak, rng);
            assertArrayEquals(before, weak.image(), "the weak view is not modified");
            assertNull(strong.mask());
            assertEquals(weak.height(), strong.height());
            assertEquals(weak.width(), strong.width());
        }
    }

    @Test
    void refusesHalfACropSize() {
        assertThrows(IllegalArgumentException.class, () -> Augmentations.geometric(AugmentPreset.WEAK, 0, 10, 255));
    }

    @Test
    void geometricFollowsScaleThenCropThenFlip() {
        // Scale probability 1 with a fixed factor of 2 and flip probability 1: the 4x4 centre-ish window of an
        // 8x8 upscaled image, mirrored.
        AugmentPreset p = new AugmentPreset("t", 1, 1, 2, 2, 0, 0, 0, 0, 0, 0, 0);
        Sample s = Fixtures.coded(4, 4);
        SplittableRandom rng = new SplittableRandom(5);
        Sample out = Augmentations.geometric(p, 4, 4, Fixtures.IGNORE).apply(s, rng);

        SplittableRandom replay = new SplittableRandom(5);
        Sample scaled = new RandomScale(1, 2, 2).apply(s, replay);
        Sample cropped = new RandomCrop(4, 4, Fixtures.IGNORE).apply(scaled, replay);
        Sample expected = new HFlip(1).apply(cropped, replay);
        assertArrayEquals(expected.image(), out.image());
        assertArrayEquals(expected.mask(), out.mask());
        assertEquals(8, scaled.height());
    }
}
