package org.semiseg.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public layer toolkit and the encoder/decoder API, on values worked out by hand. */
class ToolkitTest {

    @Test
    void pixelShuffleMovesChannelsIntoSubPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (1, 4, 1, 2): channel k at column x holds 10k + x; r = 2 -> (1, 1, 2, 4);
            // output (y*2 + i, x*2 + j) = channel i*2 + j at (0, x)
            NDArray x = m.create(new float[] {0, 1, 10, 11, 20, 21, 30, 31}, new Shape(1, 4, 1, 2));
            NDArray y = new PixelShuffle(2).apply(null, x, true);
            assertEquals(new Shape(1, 1, 2, 4), y.getShape());
            assertArrayEquals(new float[] {0, 10, 1, 11, 20, 30, 21, 31}, y.toFloatArray());
            assertThrows(IllegalArgumentException.class,
                    () -> new PixelShuffle(2).apply(null, m.zeros(new Shape(1, 3, 1, 1)), true));
        }
    }

    @Test
    void dropout2dZeroesWholeChannelsAndScalesTheRest() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            NDArray x = m.ones(new Shape(8, 64, 2, 3));
            Dropout2d drop = new Dropout2d(0.5);
            assertSame(x, drop.apply(null, x, false), "inference: unchanged");
            assertSame(x, new Dropout2d(0).apply(null, x, true), "p = 0: unchanged");
            float[] y = drop.apply(null, x, true).toFloatArray();
            int kept = 0;
            for (int ch = 0; ch < 8 * 64; ch++) {
                float first = y[ch * 6];
                assertTrue(first == 0f || first == 2f, "a channel is dropped or scaled by 1/(1-p): " + first);
                for (int p = 1; p < 6; p++) {
                    assertEquals(first, y[ch * 6 + p], "the whole channel shares its fate");
                }
                kept += first > 0 ? 1 : 0;
            }
            // 512 channels kept with probability 1/2: 256 ± 16 (one std); 5 std either way
            assertTrue(kept > 176 && kept < 336, "kept " + kept + " of 512");
        }
    }

    @Test
    void encodeGivesTwoLevelsAtTheirStridesAndDecodeUsesThem() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(2);
            SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, 3));
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 48));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(2, 3, 32, 48));
            Features f = net.encode(ps, x, false);
            assertEquals(4, f.lowLevelStride());
            assertEquals(16, f.highLevelStride());
            assertEquals(new Shape(2, net.spec().scaled(64), 8, 12), f.lowLevel().getShape());
            assertEquals(new Shape(2, net.spec().scaled(512), 2, 3), f.highLevel().getShape());
            DecoderOutput out = net.decode(ps, f, 32, 48, false);
            assertEquals(new Shape(2, 3, 32, 48), out.logits().getShape());
            assertEquals(new Shape(2, net.featureChannels(), 8, 12), out.features().getShape());
            // the classifier alone maps those features to the logits before upsampling
            NDArray small = net.classify(ps, out.features(), false);
            assertEquals(new Shape(2, 3, 8, 12), small.getShape());
            // decoding perturbed features gives other logits (the decoder reads both levels)
            DecoderOutput zeroLow = net.decode(ps, f.with(f.lowLevel().zerosLike(), f.highLevel()), 32, 48, false);
            assertTrue(zeroLow.logits().sub(out.logits()).abs().max().getFloat() > 0);
            NDList forward = net.forward(ps, new NDList(x), false);
            assertEquals(forward.get(0).getShape(), out.logits().getShape());
        }
    }
}
