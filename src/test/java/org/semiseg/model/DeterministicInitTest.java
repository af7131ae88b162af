package org.semiseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeterministicInitTest {

    private static List<float[]> init(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet50", 8, 0.125, 3));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
        List<float[]> values = new ArrayList<>();
        for (Parameter p : ParameterNames.of(net).values()) {
            values.add(p.getArray().toFloatArray());
        }
        return values;
    }

    @Test
    void sameSeedSameParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<float[]> a = init(manager, 7);
            List<float[]> b = init(manager, 7);
            List<float[]> c = init(manager, 8);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i));
            }
            assertFalse(java.util.Arrays.equals(a.get(0), c.get(0)));
        }
    }

    @Test
    void convsAreKaimingFanOutAndBatchNormStartsAtIdentity() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet50", 16, 1.0, 3));
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            Map<String, Parameter> p = ParameterNames.of(net);
            // layer3.0.conv2: (256, 256, 3, 3), fan_out = 256 * 9, std = sqrt(2 / fan_out)
            float std = p.get("backbone.layer3.0.conv2.weight").getArray().pow(2).mean().sqrt().getFloat();
            assertEquals(Math.sqrt(2.0 / (256 * 9)), std, 0.01 * std);
            assertArrayEquals(new float[] {1, 1}, head(p.get("backbone.bn1.weight").getArray().toFloatArray()));
            assertArrayEquals(new float[] {0, 0}, head(p.get("backbone.bn1.bias").getArray().toFloatArray()));
            assertArrayEquals(new float[] {1, 1}, head(p.get("aspp.pool.bn.running_var").getArray().toFloatArray()));
            assertArrayEquals(new float[] {0, 0}, head(p.get("classifier.bias").getArray().toFloatArray()));
        }
    }

    private static float[] head(float[] values) {
        return new float[] {values[0], values[1]};
    }
}
