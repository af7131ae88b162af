package org.semiseg.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Models#sharingEncoder}: two domains' networks hold the very same encoder arrays and their own heads. */
class SharedEncoderTest {
    @ParameterizedTest
    @ValueSource(strings = {"deeplabv3plus", "pspnet", "deeplabv2"})
    void theEncoderArraysAreTheSameAndTheHeadsAreEachOwn(String arch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            SegmentationNet first = Models.build(new ModelSpec(arch, "resnet18", 8, 0.125, 3));
            first.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Parameter> a = ParameterNames.of(first);
            float[] conv1 = a.get("backbone.conv1.weight").getArray().toFloatArray();

            SegmentationNet second = Models.sharingEncoder(first, 5);
            second.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Map<String, Parameter> b = ParameterNames.of(second);
            assertEquals(5, second.spec().numClasses());
            assertEquals(a.keySet().stream().filter(k -> !isHead(k, arch)).toList(),
                    b.keySet().stream().filter(k -> !isHead(k, arch)).toList());
            int shared = 0;
            for (Map.Entry<String, Parameter> e : b.entrySet()) {
                boolean encoder = e.getKey().startsWith("backbone.") || e.getKey().startsWith("psp.");
                assertEquals(encoder, second.encoderParameters().contains(e.getValue()), e.getKey());
                if (encoder) {
                    assertSame(a.get(e.getKey()), e.getValue(), e.getKey());
                    assertSame(a.get(e.getKey()).getArray(), e.getValue().getArray(), e.getKey() + ": the same array");
                    shared++;
                } else if (a.containsKey(e.getKey())) {
                    assertNotSame(a.get(e.getKey()).getArray(), e.getValue().getArray(), e.getKey());
                }
            }
            assertTrue(shared > 0);
            assertEquals(first.encoderParameters(), second.encoderParameters());
            assertArrayEquals(conv1, b.get("backbone.conv1.weight").getArray().toFloatArray(),
                    "initialising the second network leaves the shared encoder as it was");
            // the heads are sized to each domain's classes
            NDArray x = manager.randomNormal(new Shape(2, 3, 32, 32));
            ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(manager, false);
            assertEquals(new Shape(2, 3, 32, 32), first.apply(ps, x, false).getShape());
            assertEquals(new Shape(2, 5, 32, 32), second.apply(ps, x, false).getShape());
        }
    }

    private static boolean isHead(String name, String arch) {
        return !(name.startsWith("backbone.") || name.startsWith("psp."));
    }
}
