package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** CCT's prediction-based masks (Ouali et al., CVPR 2020, Sec. 3.2: G-Cutout, Con-Msk, Obj-Msk) from given ŷ. */
class GuidedMasksTest {

    @Test
    void nearestPicksFloorOfITimesInOverOut() {
        assertArrayEquals(new int[] {0, 2}, GuidedMasks.nearest(4, 2));
        assertArrayEquals(new int[] {0, 2}, GuidedMasks.nearest(5, 2));
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2}, GuidedMasks.nearest(3, 6));
    }

    /**
     * ŷ (1, 4, 4), classes 1 and 2 objects, 3 = padding; the 2x2 map reads pixels (0, 0), (0, 2), (2, 0), (2, 2):
     * classes 0, 2, 1, 0 -> M_obj [[0, 1], [1, 0]]; a padded pixel there is never an object.
     */
    @Test
    void objectMaskReadsTheNearestPixelsClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] y = {
                    0, 1, 2, 2,
                    0, 1, 2, 2,
                    1, 1, 0, 3,
                    1, 1, 0, 3};
            NDArray labels = m.create(y, new Shape(1, 4, 4)).toType(DataType.INT64, false);
            NDArray table = m.create(new float[] {0, 1, 1, 0});
            assertArrayEquals(new float[] {0, 1, 1, 0}, GuidedMasks.objects(labels, table, 2, 2).toFloatArray(), 0f);
            y[10] = 3;                                      // (2, 2) padded instead of background
            y[8] = 3;                                       // (2, 0) padded instead of class 1
            NDArray padded = m.create(y, new Shape(1, 4, 4)).toType(DataType.INT64, false);
            NDArray mask = GuidedMasks.objects(padded, table, 2, 2);
            assertEquals(new Shape(1, 1, 2, 2), mask.getShape());
            assertArrayEquals(new float[] {0, 1, 0, 0}, mask.toFloatArray(), 0f);
        }
    }

    /** Regions are 8-connected: a 3x3 block with a pixel touching its corner is one region; boundary excludes (2, 2). */
    @Test
    void regionsAreEightConnectedWithTheirBoxAndBoundary() {
        boolean[] mask = new boolean[36];
        for (int y = 1; y <= 3; y++) {
            for (int x = 1; x <= 3; x++) {
                mask[y * 6 + x] = true;
            }
        }
        mask[4 * 6 + 4] = true;                             // diagonal to (3, 3)
        mask[5] = true;                                     // (0, 5), alone
        List<GuidedMasks.Region> r = GuidedMasks.regions(mask, 6, 6);
        assertEquals(List.of(new GuidedMasks.Region(0, 5, 0, 5, 1), new GuidedMasks.Region(1, 1, 4, 4, 9)), r);
    }

    /** An object at rows 2-5, cols 1-6 of an 8x8 ŷ: box extent 5 wide, 3 high (max − min), 16 boundary pixels. */
    private static int[] rectangle() {
        int[] labels = new int[64];
        for (int y = 2; y <= 5; y++) {
            for (int x = 1; x <= 6; x++) {
                labels[y * 8 + x] = 1;
            }
        }
        return labels;
    }

    private static final boolean[] OBJECTS = {false, true, false};

    /** erase 1: offsets are 0, the cut is [top, top + 3) x [left, left + 5): rows 2-4, cols 1-5, for each decoder. */
    @Test
    void cutoutWithEraseOneCutsTheWholeExtentAtFullResolution() {
        float[] masks = GuidedMasks.cutout(rectangle(), OBJECTS, 1, 8, 8, 2, 8, 8, 1.0, 15, new SplittableRandom(1));
        assertEquals(2 * 64, masks.length);
        for (int d = 0; d < 2; d++) {
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    float expected = y >= 2 && y < 5 && x >= 1 && x < 6 ? 0f : 1f;
                    assertEquals(expected, masks[d * 64 + y * 8 + x], "decoder " + d + " at " + y + "," + x);
                }
            }
        }
        float[] none = GuidedMasks.cutout(rectangle(), OBJECTS, 1, 8, 8, 1, 8, 8, 1.0, 16, new SplittableRandom(1));
        for (float v : none) {
            assertEquals(1f, v, "16 boundary pixels are not more than 16: no object");
        }
    }

    /** At a 4x4 feature map the cut rows 2-4 and cols 1-5 hold source pixels 2 and 4: feature cells 1 and 2 of each. */
    @Test
    void cutoutIsTakenToTheFeatureMapByNearestNeighbour() {
        float[] masks = GuidedMasks.cutout(rectangle(), OBJECTS, 1, 8, 8, 1, 4, 4, 1.0, 0, new SplittableRandom(1));
        assertArrayEquals(new float[] {
                1, 1, 1, 1,
                1, 0, 0, 1,
                1, 0, 0, 1,
                1, 1, 1, 1}, masks, 0f);
    }

    /**
     * erase 0.4 (the authors'): the cut is floor(5 · 0.4) = 2 wide and floor(3 · 0.4) = 1 high, at offsets x in
     * [0, floor(5 · 0.6) = 3] and y in [0, floor(3 · 0.6) = 1], drawn x then y from the step's generator.
     */
    @Test
    void cutoutWithEraseBelowOneCutsARandomSubBoxPerDecoder() {
        float[] masks = GuidedMasks.cutout(rectangle(), OBJECTS, 1, 8, 8, 3, 8, 8, 0.4, 0, new SplittableRandom(42));
        SplittableRandom same = new SplittableRandom(42);
        for (int d = 0; d < 3; d++) {
            int x0 = 1 + same.nextInt(4);
            int y0 = 2 + same.nextInt(2);
            int cut = 0;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean inside = y >= y0 && y < y0 + 1 && x >= x0 && x < x0 + 2;
                    assertEquals(inside ? 0f : 1f, masks[d * 64 + y * 8 + x]);
                    cut += inside ? 1 : 0;
                }
            }
            assertEquals(2, cut);
        }
    }
}
