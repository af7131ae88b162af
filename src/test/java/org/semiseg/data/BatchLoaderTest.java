package org.semiseg.data;

import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Augmentations;
import org.semiseg.augment.ViewGeometry;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
            assertNull(b.geometry(), "plain transforms report no geometry");
            assertNull(b.strongGeometry());
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

    private static BatchLoader unlabeled(int first, UnlabeledViews views) {
        return new BatchLoader(DATA, ALL, 4, 11, true, views, 2, 3, first);
    }

    private static UnlabeledViews views(boolean shared, int crop) {
        return new UnlabeledViews(Augmentations.geometricView(AugmentPreset.STRONG, crop, crop, 255),
                Augmentations.photometric(AugmentPreset.STRONG), 2, shared);
    }

    /** Checksums of labeled batches (seed 11, STRONG in full) taken with the code before views had a geometry. */
    @Test
    void labeledBatchesAreAsBeforeViewGeometry() {
        int[][] expected = { // crop, iteration, hash of images, hash of masks
                {24, 0, -1730864229, -579806680}, {24, 1, 205399027, 1404363491}, {24, 2, 388211324, -724330156},
                {0, 0, -306648078, 2086188559}, {0, 1, -1889763278, -197736514}, {0, 2, -993402464, -1378648991}};
        for (int crop : new int[]{24, 0}) {
            try (BatchLoader l = new BatchLoader(DATA, ALL, 4, 11, true, Augmentations.full(AugmentPreset.STRONG, crop, crop, 255),
                    null, 0, 2, 3, 0)) {
                for (int it = 0; it < 3; it++) {
                    HostBatch b = l.take(it);
                    int[] e = expected[(crop == 24 ? 0 : 3) + it];
                    assertEquals(e[2], java.util.Arrays.hashCode(b.images()), "images, crop " + crop + ", iteration " + it);
                    assertEquals(e[3], java.util.Arrays.hashCode(b.masks()), "masks, crop " + crop + ", iteration " + it);
                    assertNull(b.geometry());
                    assertNull(b.strongGeometry());
                }
            }
        }
    }

    /** Shared geometry gives what the loader gave before views had a geometry (checksums taken then), plus geometry. */
    @Test
    void sharedGeometryIsTheFormerBehaviour() {
        int[][] expected = { // crop, iteration, hashes of images, masks, strong view 0, strong view 1
                {24, 0, -959883427, -579806680, -1730864229, -618641779}, {24, 1, -970786818, 1404363491, 205399027, -2037790481},
                {0, 0, 1248643058, 2086188559, -306648078, -1535398388}, {0, 1, 816880287, -197736514, -1889763278, -933172170}};
        for (int[] e : expected) {
            try (BatchLoader l = unlabeled(0, views(true, e[0]))) {
                HostBatch b = l.take(0);
                if (e[1] == 1) {
                    b = l.take(1);
                }
                String at = "crop " + e[0] + ", iteration " + e[1];
                assertEquals(e[2], java.util.Arrays.hashCode(b.images()), at);
                assertEquals(e[3], java.util.Arrays.hashCode(b.masks()), at);
                assertEquals(e[4], java.util.Arrays.hashCode(b.strongViews()[0]), at);
                assertEquals(e[5], java.util.Arrays.hashCode(b.strongViews()[1]), at);
                assertNotNull(b.geometry());
                for (int v = 0; v < 2; v++) {
                    assertArrayEquals(b.geometry(), b.strongGeometry()[v], "shared: the weak view's geometry");
                }
            }
        }
    }

    @Test
    void independentViewsDrawTheirOwnGeometry() {
        HostBatch shared;
        HostBatch fromStart;
        HostBatch resumed;
        try (BatchLoader l = unlabeled(0, views(true, 24))) {
            shared = l.take(0);
        }
        try (BatchLoader a = unlabeled(0, views(false, 24)); BatchLoader b = unlabeled(3, views(false, 24))) {
            fromStart = a.take(0);
            for (int it = 1; it < 3; it++) {
                a.take(it);
            }
            HostBatch third = a.take(3);
            resumed = b.take(3);
            assertArrayEquals(third.images(), resumed.images());
            assertArrayEquals(third.strongViews()[0], resumed.strongViews()[0]);
            assertArrayEquals(third.strongViews()[1], resumed.strongViews()[1]);
            assertArrayEquals(third.geometry(), resumed.geometry());
            assertArrayEquals(third.strongGeometry()[1], resumed.strongGeometry()[1]);
        }
        assertArrayEquals(shared.images(), fromStart.images(), "the weak view is drawn first, as with shared geometry");
        assertArrayEquals(shared.masks(), fromStart.masks());
        assertArrayEquals(shared.geometry(), fromStart.geometry());
        boolean flip = false;
        boolean scale = false;
        boolean crop = false;
        for (int v = 0; v < 2; v++) {
            for (int slot = 0; slot < 4; slot++) {
                ViewGeometry weak = fromStart.geometry()[slot];
                ViewGeometry strong = fromStart.strongGeometry()[v][slot];
                assertEquals(24, strong.height());
                assertEquals(weak.srcH(), strong.srcH());
                flip |= weak.flip() != strong.flip();
                scale |= weak.scaledH() != strong.scaledH();
                crop |= weak.top() != strong.top() || weak.left() != strong.left();
            }
        }
        assertTrue(flip && scale && crop, "flip, scale and crop differ between the weak and some strong view");
        assertFalse(java.util.Arrays.equals(fromStart.strongGeometry()[0], fromStart.strongGeometry()[1]), "views differ");
    }

    /** With only crop and flip (no resampling), a strong view shows exactly the weak view's pixels where both have them. */
    @Test
    void independentViewsShowTheSamePointsWhereTheirGeometrySays() {
        AugmentPreset cropFlip = new AugmentPreset("crop-flip", 0.5, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0);
        UnlabeledViews v = UnlabeledViews.independent(Augmentations.geometricView(cropFlip, 30, 36, 255), (s, rng) -> s, 3);
        try (BatchLoader l = unlabeled(0, v)) {
            HostBatch b = l.take(0);
            int p = b.height() * b.width();
            int matched = 0;
            for (int view = 0; view < 3; view++) {
                for (int slot = 0; slot < 4; slot++) {
                    int[] map = ViewGeometry.map(b.geometry()[slot], b.strongGeometry()[view][slot]);
                    for (int c = 0; c < 3; c++) {
                        int base = (slot * 3 + c) * p;
                        for (int q = 0; q < p; q++) {
                            if (map[q] >= 0) {
                                assertEquals(b.images()[base + map[q]], b.strongViews()[view][base + q]);
                                matched++;
                            }
                        }
                    }
                }
            }
            assertTrue(matched > 0);
        }
    }

    @Test
    void viewsOfDifferentSizesAreRefused() {
        UnlabeledViews v = UnlabeledViews.independent(Augmentations.geometricView(AugmentPreset.STRONG, 24, 24, 255),
                (s, rng) -> org.semiseg.augment.RandomCrop.crop(s, 0, 0, 20, 20, 255), 1);
        try (BatchLoader l = unlabeled(0, v)) {
            org.junit.jupiter.api.Assertions.assertThrows(org.semiseg.SemisegException.class, () -> l.take(0));
        }
    }
}
