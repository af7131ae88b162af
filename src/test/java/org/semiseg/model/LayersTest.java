package org.semiseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class LayersTest {

    @Test
    void bilinearMatchesTorchAlignCornersFalse() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            NDArray y = Interpolation.bilinear(x, 4, 4);
            // torch.nn.functional.interpolate(x, size=(4, 4), mode="bilinear", align_corners=False)
            assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f, 0.5f, 0.75f, 1.25f, 1.5f,
                1.5f, 1.75f, 2.25f, 2.5f, 2f, 2.25f, 2.75f, 3f}, y.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void batchNormUsesTorchMomentumAndBatchStatisticsInTraining() {
        try (NDManager m = NDManager.newBaseManager()) {
            BatchNorm2d bn = new BatchNorm2d(2);
            bn.initialize(m, DataType.FLOAT32, new Shape(1, 2, 1, 2));
            NDArray x = m.create(new float[] {1, 3, 10, 10, 5, 7, 20, 20}, new Shape(2, 2, 1, 2));
            NDArray y = bn.apply(new ParameterStore(m, false), x, true);
            var names = ParameterNames.of(bn);
            assertEquals(java.util.List.of("weight", "bias", "running_mean", "running_var"),
                    new java.util.ArrayList<>(names.keySet()));
            // batch means 4 and 15; torch: running = 0.9 * running + 0.1 * batch (unbiased variance)
            assertArrayEquals(new float[] {0.4f, 1.5f}, names.get("running_mean").getArray().toFloatArray(), 1e-5f);
            float var0 = (9 + 1 + 1 + 9) / 3f;
            float var1 = (25 + 25 + 25 + 25) / 3f;
            assertArrayEquals(new float[] {0.9f + 0.1f * var0, 0.9f + 0.1f * var1},
                    names.get("running_var").getArray().toFloatArray(), 1e-4f);
            float sd0 = (float) Math.sqrt(5 + 1e-5);
            assertEquals(-3 / sd0, y.getFloat(0, 0, 0, 0), 1e-5f);
            NDArray eval = bn.apply(new ParameterStore(m, false), x, false);
            assertEquals((1 - 0.4f) / Math.sqrt(0.9f + 0.1f * var0 + 1e-5), eval.getFloat(0, 0, 0, 0), 1e-5);
        }
    }
}
