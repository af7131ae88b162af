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
        BatchLoader.ViewTransform geometric = Augmentations.geometricView(AugmentPreset.STRONG, crop, crop, 255);
        return shared ? UnlabeledViews.shared(geometric, Augmentations.photometric(AugmentPreset.STRONG), 2)
                : UnlabeledViews.independent(geometric, geometric, Augmentations.photometric(AugmentPreset.STRONG), 2);
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
        boolean flip = false;
        boolean scale = false;
        boolean crop = false;
        for (int v = 0; v < 2; v++) {
            for (int slot = 0; slot < 4; slot++) {
                // strong views are cut from the weak view, which is their frame
                assertEquals(ViewGeometry.identity(24, 24), fromStart.geometry()[slot]);
                ViewGeometry strong = fromStart.strongGeometry()[v][slot];
                assertEquals(24, strong.height());
                assertEquals(24, strong.srcH(), "cut from the 24x24 weak view, not from the original");
                flip |= strong.flip();
                scale |= strong.scaledH() != strong.srcH();
                crop |= strong.top() != 0 || strong.left() != 0;
            }
        }
        assertTrue(flip && scale && crop, "some strong view is flipped, scaled and cropped from the weak view");
        assertFalse(java.util.Arrays.equals(fromStart.strongGeometry()[0], fromStart.strongGeometry()[1]), "views differ");
    }

    /** With only crop and flip (no resampling), a strong view shows exactly the weak view's pixels where both have them. */
    @Test
    void independentViewsShowTheSamePointsWhereTheirGeometrySays() {
        AugmentPreset cropFlip = new AugmentPreset("crop-flip", 0.5, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0);
        UnlabeledViews v = UnlabeledViews.independent(Augmentations.geometricView(cropFlip, 30, 36, 255),
                Augmentations.geometricView(cropFlip, 30, 36, 255), (s, rng) -> s, 3);
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

    /**
     * Every image pixel of an independent strong view shows a point of the weak view, so it gets a pseudo-label: the
     * map from the weak view is -1 exactly where the strong view's window overhangs its scaled image (padding), on
     * views scaled x[0.75, 1.75] (Table 1's strong geometry), cropped back to size and flipped. Before the views were
     * cut from the weak view, the two windows were drawn on the original apart, and a strong view's pixels outside the
     * weak window had no label.
     */
    @Test
    void everyImagePixelOfAnIndependentViewHasASource() {
        try (BatchLoader l = unlabeled(0, views(false, 0))) {
            int padded = 0;
            int content = 0;
            for (int it = 0; it < 3; it++) {
                HostBatch b = l.take(it);
                for (int view = 0; view < 2; view++) {
                    for (int slot = 0; slot < 4; slot++) {
                        ViewGeometry g = b.strongGeometry()[view][slot];
                        int[] map = ViewGeometry.map(b.geometry()[slot], g);
                        for (int y = 0; y < g.height(); y++) {
                            for (int x = 0; x < g.width(); x++) {
                                int col = (g.flip() ? g.width() - 1 - x : x) + g.left();
                                boolean pad = y + g.top() < 0 || y + g.top() >= g.scaledH() || col < 0 || col >= g.scaledW();
                                assertEquals(pad, map[y * g.width() + x] < 0, "iteration " + it + " view " + view + " slot " + slot
                                        + " pixel (" + y + ", " + x + ") of " + g);
                                padded += pad ? 1 : 0;
                                content += pad ? 0 : 1;
                            }
                        }
                    }
                }
            }
            assertTrue(padded > 0 && content > padded, "both cases occur: " + padded + " padded, " + content + " image pixels");
        }
    }

    @Test
    void viewsOfDifferentSizesAreRefused() {
        UnlabeledViews v = UnlabeledViews.independent(Augmentations.geometricView(AugmentPreset.STRONG, 24, 24, 255),
                Augmentations.geometricView(AugmentPreset.STRONG, 24, 24, 255),
                (s, rng) -> org.semiseg.augment.RandomCrop.crop(s, 0, 0, 20, 20, 255), 1);
        try (BatchLoader l = unlabeled(0, v)) {
            org.junit.jupiter.api.Assertions.assertThrows(org.semiseg.SemisegException.class, () -> l.take(0));
        }
    }
}
