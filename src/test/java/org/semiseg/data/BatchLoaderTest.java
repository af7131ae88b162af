package org.semiseg.data;

import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Augmentations;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class BatchLoaderTest {
    private static final SegDataset DATA = DemoScenes.split(3, "train", 24, 32);
    private static final List<Integer> ALL = java.util.stream.IntStream.range(0, 24).boxed().toList();

    private static BatchLoader loader(int first, BatchLoader.Transform strong) {
        return loader(first, strong, 1);
    }

    private static BatchLoader loader(int first, BatchLoader.Transform strong, int views) {
        return new BatchLoader(DATA, ALL, 4, 11, true, Augmentations.full(AugmentPreset.STRONG, 24, 24, 255), strong,
                views, 2, 3, first);
    }

    @Test
    void aBatchDependsOnlyOnSeedAndIteration() {
        HostBatch fromStart;
        HostBatch resumed;
        try (BatchLoader a = loader(0, null)) {
            for (int it = 0; it < 7; it++) {
                a.take(it);
            }
            fromStart = a.take(7);
        }
        try (BatchLoader b = loader(7, null)) {
            resumed = b.take(7);
        }
        assertArrayEquals(fromStart.images(), resumed.images());
        assertArrayEquals(fromStart.masks(), resumed.masks());
        assertArrayEquals(fromStart.ids(), resumed.ids());
        assertEquals(24, fromStart.height());
        assertNull(fromStart.strongImages());
    }

    @Test
    void theStrongViewIsAPhotometricChangeOfTheSamePixels() {
        try (BatchLoader same = loader(0, (s, rng) -> s);
             BatchLoader jittered = loader(0, Augmentations.photometric(AugmentPreset.STRONG))) {
            HostBatch a = same.take(0);
            HostBatch b = jittered.take(0);
            assertArrayEquals(a.images(), a.strongImages(), "an identity strong view equals the weak one");
            assertArrayEquals(a.images(), b.images(), "the strong view does not change the weak one");
            assertArrayEquals(a.masks(), b.masks());
            assertFalse(java.util.Arrays.equals(b.images(), b.strongImages()), "strong jitter changes some image of the batch");
        }
    }

    @Test
    void strongViewsDrawTheirOwnJitterOnTheSamePixels() {
        try (BatchLoader one = loader(0, Augmentations.photometric(AugmentPreset.STRONG), 1);
             BatchLoader two = loader(0, Augmentations.photometric(AugmentPreset.STRONG), 2)) {
            HostBatch a = one.take(0);
            HostBatch b = two.take(0);
            assertEquals(2, b.strongViews().length);
            assertArrayEquals(a.images(), b.images(), "more views leave the weak view alone");
            assertFalse(java.util.Arrays.equals(b.strongViews()[0], b.strongViews()[1]), "the two views differ");
        }
    }
}
