package org.semiseg.train;

import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.ViewGeometry;
import org.semiseg.config.AugmentConfig;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;
import org.semiseg.data.UnlabeledViews;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a run's unlabeled views are wired: for Alonso et al.'s methods (independent views) the teacher labels the image
 * as loaded (Eq. 5: no scale, no flip; only augment.crop cuts it) and each strong view is Table 1's strong geometry
 * applied to that view; for the shared-geometry methods the teacher's view takes the preset's geometry.
 */
class TrainAugmentTest {
    private static final int SIDE = 8;

    private static Sample image() {
        float[] pixels = new float[3 * SIDE * SIDE];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rng.nextInt(256);
        }
        return new Sample("a", pixels, null, SIDE, SIDE);
    }

    @Test
    void theTeachersViewIsTheImageAsLoadedAndStrongViewsAreCutFromIt() {
        AugmentConfig augment = ConfigLoader.load(null, List.of()).augment();
        UnlabeledViews views = TrainAugment.unlabeled(augment, AugmentPreset.STRONG, 255, 2, false);
        Sample s = image();
        boolean scaled = false;
        boolean flipped = false;
        for (int seed = 0; seed < 40; seed++) {
            SplittableRandom rng = new SplittableRandom(seed);
            BatchLoader.View weak = views.geometric().apply(s, rng);
            assertEquals(ViewGeometry.identity(SIDE, SIDE), weak.geometry(), "seed " + seed);
            assertArrayEquals(s.image(), weak.sample().image(), "seed " + seed);
            BatchLoader.View strong = views.strongGeometric().apply(weak.sample(), rng);
            assertEquals(SIDE, strong.geometry().srcH(), "cut from the teacher's view");
            scaled |= strong.geometry().scaledH() != SIDE;
            flipped |= strong.geometry().flip();
        }
        assertTrue(scaled && flipped, "the strong views are scaled and flipped (Table 1: p 0.8 and 0.5)");

        UnlabeledViews shared = TrainAugment.unlabeled(augment, AugmentPreset.STRONG, 255, 2, true);
        assertNull(shared.strongGeometric());
        boolean moved = false;
        for (int seed = 0; seed < 40; seed++) {
            moved |= !ViewGeometry.identity(SIDE, SIDE).equals(shared.geometric().apply(s, new SplittableRandom(seed)).geometry());
        }
        assertTrue(moved, "with shared geometry the teacher's view takes the preset's geometry");
    }
}
