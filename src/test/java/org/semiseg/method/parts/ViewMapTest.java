package org.semiseg.method.parts;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.semiseg.augment.ViewGeometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A batch of two 2 x 3 originals: image 0's view is flipped, image 1's is a window shifted one column right (its last
 * column overhangs the image). Expected values worked out by hand.
 */
class ViewMapTest {
    private static final ViewGeometry[] FROM = {ViewGeometry.identity(2, 3), ViewGeometry.identity(2, 3)};
    private static final ViewGeometry[] TO = {
            new ViewGeometry(2, 3, 2, 3, 0, 0, 2, 3, true),
            new ViewGeometry(2, 3, 2, 3, 0, 1, 2, 3, false)};

    @Test
    void labelsFollowTheViewWithTheFillWhereNoSource() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewMap map = ViewMap.between(FROM, TO, m);
            assertFalse(map.isIdentity());
            NDArray labels = m.create(new long[]{0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}, new Shape(2, 2, 3));
            NDArray out = map.apply(labels, 255);
            assertEquals(new Shape(2, 2, 3), out.getShape());
            assertEquals(DataType.INT64, out.getDataType());
            assertArrayEquals(new long[]{2, 1, 0, 5, 4, 3, 11, 12, 255, 14, 15, 255}, out.toLongArray());
            assertArrayEquals(new boolean[]{true, true, true, true, true, true, true, true, false, true, true, false},
                    map.valid().toBooleanArray());
        }
    }

    /**
     * Flip, scale and crop at once: the 2 x 3 original scaled by 2 (4 x 6), the 3 x 4 window at (1, 1), mirrored. View
     * pixel (y, x) is scaled pixel (y + 1, 3 - x + 1) and, for a doubling, original pixel floor of half of that:
     * rows 0, 1, 1 and columns 2, 1, 1, 0. Back: original pixel o sits at scaled 2o + 0.5, the tie rounds up to
     * 2o + 1, minus the offset 1: window row 2o, window column 2o, mirrored to view column 3 - 2o; original column 2
     * lands at window column 4, outside the 4-wide window.
     */
    @Test
    void aLabeledGridGoesThroughFlipScaleAndCropAndBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewGeometry[] original = {ViewGeometry.identity(2, 3)};
            ViewGeometry[] view = {new ViewGeometry(2, 3, 4, 6, 1, 1, 3, 4, true)};
            NDArray labels = m.create(new long[]{0, 1, 2, 3, 4, 5}, new Shape(1, 2, 3));
            NDArray there = ViewMap.between(original, view, m).apply(labels, 255);
            assertEquals(new Shape(1, 3, 4), there.getShape());
            assertArrayEquals(new long[]{2, 1, 1, 0, 5, 4, 4, 3, 5, 4, 4, 3}, there.toLongArray());
            ViewMap back = ViewMap.between(view, original, m);
            assertArrayEquals(new long[]{0, 1, 255, 3, 4, 255}, back.apply(there, 255).toLongArray(),
                    "back where the view shows the original; its column 2 is not in the window");
            // which view pixel each original pixel reads: (0, 3), (0, 1), -, (2, 3), (2, 1), -
            NDArray rowsAndColumns = m.create(new long[]{0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23}, new Shape(1, 3, 4));
            assertArrayEquals(new long[]{3, 1, 255, 23, 21, 255}, back.apply(rowsAndColumns, 255).toLongArray());
            assertArrayEquals(new boolean[]{true, true, false, true, true, false}, back.valid().toBooleanArray());
        }
    }

    @Test
    void channelsFollowTogether() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewMap map = ViewMap.between(FROM, TO, m);
            float[] x = new float[2 * 2 * 6];
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 2; c++) {
                    for (int p = 0; p < 6; p++) {
                        x[(n * 2 + c) * 6 + p] = 100 * n + 10 * c + p;
                    }
                }
            }
            NDArray out = map.apply(m.create(x, new Shape(2, 2, 2, 3)), -1);
            assertEquals(new Shape(2, 2, 2, 3), out.getShape());
            assertArrayEquals(new float[]{
                    2, 1, 0, 5, 4, 3, /* image 0, channel 1 */ 12, 11, 10, 15, 14, 13,
                    101, 102, -1, 104, 105, -1, /* image 1, channel 1 */ 111, 112, -1, 114, 115, -1}, out.toFloatArray());
        }
    }

    @Test
    void backwardsReachesTheOriginalWhereTheViewShowsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Image 1's original column 0 is not in its view.
            ViewMap back = ViewMap.between(TO, FROM, m);
            NDArray conf = m.create(new float[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new Shape(2, 2, 3));
            assertArrayEquals(new float[]{3, 2, 1, 6, 5, 4, 0, 7, 8, 0, 10, 11}, back.apply(conf, 0).toFloatArray());
        }
    }

    @Test
    void gradientsReachTheSourcePixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewMap map = ViewMap.between(FROM, TO, m);
            NDArray x = m.create(new float[12], new Shape(2, 1, 2, 3));
            x.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(map.apply(x, 7).sum());
            }
            // Image 0 uses every pixel once; image 1 leaves its original column 0 out.
            assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1}, x.getGradient().toFloatArray());
        }
    }

    @Test
    void equalUnpaddedGeometryIsTheIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewMap same = ViewMap.between(TO, TO.clone(), m);
            assertTrue(same.isIdentity(), "shared geometry is the identity, padding or not (the padding mask marks it)");
            ViewMap padded = ViewMap.between(new ViewGeometry[] {TO[0], TO[0]}, TO, m);
            assertFalse(padded.isIdentity(), "image 1: a flipped view to a shifted one");
            ViewGeometry[] g = {TO[0], ViewGeometry.identity(2, 3)};
            ViewMap identity = ViewMap.between(g, g, m);
            assertTrue(identity.isIdentity());
            NDArray x = m.zeros(new Shape(2, 4, 2, 3));
            assertSame(x, identity.apply(x, 0));
            assertArrayEquals(new boolean[12], identity.valid().logicalNot().toBooleanArray());
            assertTrue(ViewMap.identity(m, 2, 2, 3).isIdentity());
        }
    }

    @Test
    void refusesTheWrongSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            ViewMap map = ViewMap.between(FROM, TO, m);
            assertThrows(IllegalArgumentException.class, () -> map.apply(m.zeros(new Shape(2, 3, 3)), 0));
            assertThrows(IllegalArgumentException.class, () -> ViewMap.between(FROM, new ViewGeometry[]{TO[0]}, m));
        }
    }
}
