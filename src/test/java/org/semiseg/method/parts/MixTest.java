package org.semiseg.method.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** {@link Mix} on tiny batches, N = 2, C = 2, H = 2, W = 3, against results written out by hand. */
class MixTest {
    /** Output 0: pixels 0, 4, 5 from its source; output 1: the bottom row (pixels 3, 4, 5). */
    private static final float[] MASK = {1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1};

    /** x[i, c, p] = 100 i + 10 c + p. */
    private static NDArray images(NDManager m) {
        float[] v = new float[2 * 2 * 6];
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 2; c++) {
                for (int p = 0; p < 6; p++) {
                    v[(i * 2 + c) * 6 + p] = 100 * i + 10 * c + p;
                }
            }
        }
        return m.create(v, new Shape(2, 2, 2, 3));
    }

    /** Swap pairing: output 0 pastes from item 1 onto item 0, output 1 from item 0 onto item 1. */
    private static Mix swap(NDManager m) {
        return Mix.of(m.create(MASK, new Shape(2, 1, 2, 3)), new int[] {1, 0}, new int[] {0, 1});
    }

    @Test
    void imagesLabelsAndConfidencesFollowTheMask() {
        try (NDManager m = NDManager.newBaseManager()) {
            Mix mix = swap(m);
            assertTrue(mix.anyMixed());
            NDArray out = mix.apply(images(m));
            assertEquals(new Shape(2, 2, 2, 3), out.getShape());
            assertArrayEquals(new float[] {
                100, 1, 2, 3, 104, 105, /* */ 110, 11, 12, 13, 114, 115,
                100, 101, 102, 3, 4, 5, /* */ 110, 111, 112, 13, 14, 15}, out.toFloatArray());

            // labels[i, p] = 10 i + p, int64 and int32
            NDArray labels = m.create(new long[] {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}, new Shape(2, 2, 3));
            NDArray mixedLabels = mix.apply(labels);
            assertEquals(DataType.INT64, mixedLabels.getDataType());
            assertEquals(new Shape(2, 2, 3), mixedLabels.getShape());
            assertArrayEquals(new long[] {10, 1, 2, 3, 14, 15, 10, 11, 12, 3, 4, 5}, mixedLabels.toLongArray());
            NDArray mixed32 = mix.apply(labels.toType(DataType.INT32, true));
            assertEquals(DataType.INT32, mixed32.getDataType());
            assertArrayEquals(new int[] {10, 1, 2, 3, 14, 15, 10, 11, 12, 3, 4, 5}, mixed32.toIntArray());

            // confidence[i, p] = i + p / 10
            NDArray conf = m.create(new float[] {0f, .1f, .2f, .3f, .4f, .5f, 1f, 1.1f, 1.2f, 1.3f, 1.4f, 1.5f},
                    new Shape(2, 2, 3));
            assertArrayEquals(new float[] {1f, .1f, .2f, .3f, 1.4f, 1.5f, 1f, 1.1f, 1.2f, .3f, .4f, .5f},
                    mix.apply(conf).toFloatArray());
        }
    }

    @Test
    void twoBatchesPasteFromTheSecond() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A source batch of one item, s[0, c, p] = 1000 + 10 c + p; both outputs paste from it; output 0 onto
            // target item 1, output 1 onto target item 0.
            float[] s = {1000, 1001, 1002, 1003, 1004, 1005, 1010, 1011, 1012, 1013, 1014, 1015};
            NDArray source = m.create(s, new Shape(1, 2, 2, 3));
            Mix mix = Mix.of(m.create(MASK, new Shape(2, 1, 2, 3)), new int[] {0, 0}, new int[] {1, 0});
            NDArray target = images(m);
            NDArray out = mix.apply(target, source);
            assertArrayEquals(new float[] {
                1000, 101, 102, 103, 1004, 1005, /* */ 1010, 111, 112, 113, 1014, 1015,
                0, 1, 2, 1003, 1004, 1005, /* */ 10, 11, 12, 1013, 1014, 1015}, out.toFloatArray());
            assertSame(target.getManager(), out.getManager());
            // (N, H, W) maps of the two batches
            NDArray tl = m.create(new int[] {0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15}, new Shape(2, 2, 3));
            NDArray sl = m.create(new int[] {7, 7, 7, 8, 8, 8}, new Shape(1, 2, 3));
            assertArrayEquals(new int[] {7, 11, 12, 13, 8, 8, 0, 1, 2, 8, 8, 8}, mix.apply(tl, sl).toIntArray());
            // the two batches must agree on dtype and plane
            assertThrows(IllegalArgumentException.class, () -> mix.apply(tl, sl.toType(DataType.INT64, true)));
            assertThrows(IllegalArgumentException.class,
                    () -> mix.apply(target, m.zeros(new Shape(1, 2, 3, 2))));
        }
    }

    /**
     * {@link Mix#nearest}: the same pairing at a feature map's resolution (U2PL mixes the teacher's representations
     * this way). A 2x4 mask taken to 1x2 keeps input pixels (0, 0) and (0, 2), torch's nearest rule: floor(x · 4/2).
     */
    @Test
    void aMaskTakenToFeatureResolutionMixesFeaturesWithTheSamePairing() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] mask = {1, 0, 0, 1, /* row 1 is dropped */ 0, 0, 0, 0,
                1, 1, 1, 0, /* */ 0, 0, 0, 0};
            Mix mix = Mix.of(m.create(mask, new Shape(2, 1, 2, 4)), new int[] {1, 0}, new int[] {0, 1});
            Mix small = mix.nearest(1, 2);
            assertArrayEquals(new float[] {1, 0, 1, 1}, small.mask().toFloatArray());
            assertEquals(new Shape(2, 1, 1, 2), small.mask().getShape());
            assertArrayEquals(new int[] {1, 0}, small.sourceIndex());
            assertArrayEquals(new int[] {0, 1}, small.targetIndex());
            assertTrue(small.anyMixed());
            // features r[i, d, p] = 100 i + 10 d + p, (2, 2, 1, 2): output 0 takes p 0 from item 1, keeps its own
            // p 1; output 1 takes both pixels from item 0
            NDArray r = m.create(new float[] {0, 1, 10, 11, 100, 101, 110, 111}, new Shape(2, 2, 1, 2));
            assertArrayEquals(new float[] {100, 1, 110, 11, /* */ 0, 1, 10, 11}, small.apply(r).toFloatArray());
            assertEquals(5f, mix.mask().sum().getFloat(), "the full-resolution mask is unchanged");
            assertSame(mix.mask(), mix.nearest(2, 4).mask(), "same size: the same mask");
        }
    }

    @Test
    void gradientReachesEveryPixelTheOutputUses() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = images(m);
            x.setRequiresGradient(true);
            Mix mix = swap(m);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = mix.apply(x);
                gc.backward(out.sum());
            }
            // Item 0 is read by output 0 where its mask is 0 (pixels 1, 2, 3) and by output 1 where its mask is 1
            // (3, 4, 5); item 1 by output 0 at 0, 4, 5 and output 1 at 0, 1, 2. Same for both channels.
            float[] expected = {0, 1, 1, 2, 1, 1, 0, 1, 1, 2, 1, 1, 2, 1, 1, 0, 1, 1, 2, 1, 1, 0, 1, 1};
            assertArrayEquals(expected, x.getGradient().toFloatArray());
        }
    }

    @Test
    void identityReturnsItsInput() {
        try (NDManager m = NDManager.newBaseManager()) {
            Mix none = Mix.none(m, 2, 2, 3);
            assertFalse(none.anyMixed());
            assertArrayEquals(new int[] {0, 1}, none.sourceIndex());
            assertArrayEquals(new int[] {0, 1}, none.targetIndex());
            assertEquals(new Shape(2, 1, 2, 3), none.mask().getShape());
            assertEquals(0f, none.mask().sum().getFloat());
            NDArray x = images(m);
            assertSame(x, none.apply(x));
            NDArray labels = m.zeros(new Shape(2, 2, 3), DataType.INT64);
            assertSame(labels, none.apply(labels));
            // A zero mask made with of() is recognised on the device read.
            Mix zero = Mix.of(m.zeros(new Shape(2, 1, 2, 3)), new int[] {1, 0}, new int[] {0, 1});
            assertFalse(zero.anyMixed());
            assertSame(x, zero.apply(x));
        }
    }

    @Test
    void refusesInconsistentShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mask = m.create(MASK, new Shape(2, 1, 2, 3));
            assertThrows(IllegalArgumentException.class, () -> Mix.of(mask.reshape(2, 2, 3), new int[] {1, 0}, new int[] {0, 1}));
            assertThrows(IllegalArgumentException.class, () -> Mix.of(mask, new int[] {1}, new int[] {0, 1}));
            assertThrows(IllegalArgumentException.class, () -> Mix.of(mask, new int[] {1, -1}, new int[] {0, 1}));
            assertThrows(IllegalArgumentException.class,
                    () -> Mix.of(mask.toType(DataType.INT32, true), new int[] {1, 0}, new int[] {0, 1}));
            Mix mix = swap(m);
            assertThrows(IllegalArgumentException.class, () -> mix.apply(m.zeros(new Shape(2, 2, 3, 2))));
            assertThrows(IllegalArgumentException.class, () -> mix.apply(m.zeros(new Shape(2, 6))));
            // index 1 does not exist in a batch of one
            assertThrows(IllegalArgumentException.class, () -> mix.apply(m.zeros(new Shape(1, 2, 2, 3))));
        }
    }
}
