package org.semiseg.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The two model parts of CCT (Ouali et al., CVPR 2020): the authors' pixel-shuffle decoder ({@link ShuffleDecoder},
 * their {@code upsample}) and the pyramid pooling that ends their encoder ({@link PyramidPooling}), on hand values.
 */
class CctModelPartsTest {

    private static void set(Parameter p, NDManager m, float... values) {
        p.getArray().set(new NDIndex("..."), m.create(values, p.getArray().getShape()));
    }

    /**
     * One decoder, F = C = 1, upscale 2: project weight 2, block weights (1, −1, 0.5, 2) and biases (0, 0, 0, 1).
     * Input 1 -> 2 -> conv (2, −2, 1, 5) -> ReLU (2, 0, 1, 5) -> shuffle [[2, 0], [1, 5]].
     */
    @Test
    void shuffleDecoderIsProjectionThenConvReluPixelShuffle() {
        try (NDManager m = NDManager.newBaseManager()) {
            ShuffleDecoder d = new ShuffleDecoder(1, 1, 2, 1);
            d.initialize(m, DataType.FLOAT32, new Shape(1, 1, 1, 1));
            Map<String, Parameter> p = ParameterNames.of(d);
            assertEquals(java.util.List.of("project.weight", "up1.weight", "up1.bias"), java.util.List.copyOf(p.keySet()));
            set(p.get("project.weight"), m, 2);
            set(p.get("up1.weight"), m, 1, -1, 0.5f, 2);
            set(p.get("up1.bias"), m, 0, 0, 0, 1);
            NDArray out = d.apply(new ParameterStore(m, false), m.create(new float[] {1}, new Shape(1, 1, 1, 1)), false);
            assertEquals(new Shape(1, 1, 2, 2), out.getShape());
            assertArrayEquals(new float[] {2, 0, 1, 5}, out.toFloatArray(), 0f);
        }
    }

    /** K decoders in one grouped pass give what each gives alone on its own channels; log2(8) = 3 blocks. */
    @Test
    void groupedDecodersEqualEachDecoderAlone() {
        Engine.getInstance().setRandomSeed(4);
        try (NDManager m = NDManager.newBaseManager()) {
            int k = 3;
            int f = 4;
            int c = 2;
            ShuffleDecoder d = new ShuffleDecoder(f, c, 8, k);
            d.initialize(m, DataType.FLOAT32, new Shape(1, k * f, 1, 1));
            for (Parameter bias : ParameterNames.of(d).values()) {
                if (bias.getName().equals("bias")) {
                    bias.getArray().set(new NDIndex("..."), m.randomUniform(-0.5f, 0.5f, bias.getArray().getShape()));
                }
            }
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomUniform(0f, 1f, new Shape(2, k * f, 3, 5));
            NDArray all = d.apply(ps, x, true);
            assertEquals(new Shape(2, k * c, 24, 40), all.getShape());
            for (int i = 0; i < k; i++) {
                NDArray alone = d.apply(ps, x.get(":, " + i * f + ":" + (i + 1) * f), i, i + 1, true);
                assertArrayEquals(all.get(":, " + i * c + ":" + (i + 1) * c).toFloatArray(), alone.toFloatArray(), 1e-5f);
            }
            NDArray two = d.apply(ps, x.get(":, " + f + ":"), 1, 3, true);
            assertArrayEquals(all.get(":, " + c + ":").toFloatArray(), two.toFloatArray(), 1e-5f);
        }
    }

    /** ICNR with zero biases: the 4 kernels a shuffle interleaves are equal, so every 2x2 output cell is uniform. */
    @Test
    void icnrStartsWithUniformTwoByTwoCells() {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager m = NDManager.newBaseManager()) {
            ShuffleDecoder d = new ShuffleDecoder(3, 2, 4, 2);
            d.initialize(m, DataType.FLOAT32, new Shape(1, 6, 1, 1));
            NDArray w = ParameterNames.of(d).get("up2.weight").getArray();          // (2 · 8, 2, 1, 1)
            for (int row = 0; row < 16; row += 4) {
                for (int s = 1; s < 4; s++) {
                    assertArrayEquals(w.get(row).toFloatArray(), w.get(row + s).toFloatArray(), 0f);
                }
            }
            NDArray out = d.apply(new ParameterStore(m, false), m.randomUniform(0f, 1f, new Shape(1, 6, 2, 2)), false);
            float[] cell = out.get(":, :, 0::2, 0::2").toFloatArray();
            assertArrayEquals(cell, out.get(":, :, 1::2, 0::2").toFloatArray(), 0f);
            assertArrayEquals(cell, out.get(":, :, 0::2, 1::2").toFloatArray(), 0f);
            assertArrayEquals(cell, out.get(":, :, 1::2, 1::2").toFloatArray(), 0f);
        }
    }

    /** torch's adaptive average pooling bins: row i averages [floor(i n / b), ceil((i + 1) n / b)). */
    @Test
    void poolingMatricesFollowTorchsAdaptiveBins() {
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0, 0.5f, 0.5f}, PyramidPooling.poolingMatrix(3, 2), 0f);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0, 0, 0, 0.5f, 0.5f}, PyramidPooling.poolingMatrix(4, 2), 0f);
        assertArrayEquals(new float[] {1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1}, PyramidPooling.poolingMatrix(2, 6), 0f);
        assertArrayEquals(new float[] {1 / 3f, 1 / 3f, 1 / 3f}, PyramidPooling.poolingMatrix(3, 1), 1e-7f);
    }

    /** 1..9 on a 3x3 map pooled to 2x2: means of the overlapping 2x2 windows, 3, 4, 6, 7. */
    @Test
    void adaptivePoolingOfAThreeByThreeMap() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(1f, 10f).reshape(1, 1, 3, 3);
            assertArrayEquals(new float[] {3, 4, 6, 7}, PyramidPooling.adaptiveAveragePool(x, 2).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {5}, PyramidPooling.adaptiveAveragePool(x, 1).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void pyramidPoolingKeepsTheSizeAndGivesAQuarterOfTheChannels() {
        Engine.getInstance().setRandomSeed(6);
        try (NDManager m = NDManager.newBaseManager()) {
            PyramidPooling psp = new PyramidPooling(16);
            psp.initialize(m, DataType.FLOAT32, new Shape(2, 16, 5, 7));
            assertEquals(4, psp.outChannels());
            NDArray out = psp.apply(new ParameterStore(m, false), m.randomUniform(0f, 1f, new Shape(2, 16, 5, 7)), true);
            assertEquals(new Shape(2, 4, 5, 7), out.getShape());
            assertEquals(java.util.List.of("stage1", "stage2", "stage3", "stage6", "bottleneck"),
                    ParameterNames.of(psp).keySet().stream().map(n -> n.substring(0, n.indexOf('.'))).distinct().toList());
        }
    }
}
