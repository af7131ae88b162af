package org.semiseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ModelShapesTest {

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (String backbone : ModelSpec.BACKBONES) {
            out.add(Arguments.of(ModelSpec.DEEPLABV2, backbone, 8));
            out.add(Arguments.of(ModelSpec.DEEPLABV3PLUS, backbone, 8));
            out.add(Arguments.of(ModelSpec.DEEPLABV3PLUS, backbone, 16));
            out.add(Arguments.of(ModelSpec.PSPNET, backbone, 8));
        }
        out.add(Arguments.of(ModelSpec.PSPNET, "resnet18", 16));
        return out.stream();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @ParameterizedTest(name = "{0} {1} os{2}")
    @MethodSource("variants")
    void logitsComeBackAtInputSizeAndFeaturesAtTheirStride(String arch, String backbone, int os) {
        ModelSpec spec = new ModelSpec(arch, backbone, os, 0.125, 5);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(spec);
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            Shape input = new Shape(2, 3, 33, 47);
            NDList out = net.forward(new ParameterStore(manager, false),
                    new NDList(manager.randomNormal(input)), false);
            assertEquals(new Shape(2, 5, 33, 47), out.get(0).getShape());
            int stride = net.featureStride();
            assertEquals(arch.equals(ModelSpec.DEEPLABV3PLUS) ? 4 : os, stride);
            assertEquals(new Shape(2, net.featureChannels(), ceilDiv(33, stride), ceilDiv(47, stride)),
                    out.get(1).getShape());
            assertArrayEquals(new Shape[] {out.get(0).getShape(), out.get(1).getShape()},
                    net.getOutputShapes(new Shape[] {input}));
            assertEquals(os, net.outputStride());
            assertTrue(Float.isFinite(out.get(0).sum().getFloat()));
        }
    }

    /**
     * pspnet (CCT's network, Ouali et al., CVPR 2020): encode ends with the pyramid pooling (layer4's channels / 4, at
     * the output stride), classify is the pixel-shuffle decoder (logits at 8x the features' size), decode resizes them
     * to the requested size; a backward pass reaches the backbone, the pyramid pooling and the decoder.
     */
    @Test
    void pspnetEncodesWithPyramidPoolingAndDecodesWithPixelShuffle() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(new ModelSpec(ModelSpec.PSPNET, "resnet50", 8, 0.125, 5));
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            assertEquals(64, net.highLevelChannels(), "resnet50 x0.125: layer4 256 channels, a quarter");
            assertEquals(64, net.featureChannels());
            assertTrue(net.headParameters().contains(ParameterNames.of(net).get("psp.stage6.conv.weight")));
            assertTrue(net.headParameters().contains(ParameterNames.of(net).get("decoder.up3.bias")));
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                ParameterStore ps = new ParameterStore(step, false);
                Features f = net.encode(ps, step.randomNormal(new Shape(2, 3, 32, 40)), true);
                assertEquals(new Shape(2, 64, 4, 5), f.highLevel().getShape());
                assertEquals(new Shape(2, 5, 32, 40), net.classify(ps, f.highLevel(), true).getShape());
                DecoderOutput out = net.decode(ps, f, 30, 37, true);
                assertEquals(new Shape(2, 5, 30, 37), out.logits().getShape());
                assertEquals(f.highLevel().getShape(), out.features().getShape());
                collector.backward(out.logits().square().mean());
            }
            for (Parameter p : net.getParameters().values()) {
                if (p.requiresGradient()) {
                    try (NDArray g = p.getArray().getGradient()) {
                        assertFalse(g.abs().sum().getFloat() == 0f, "no gradient for " + p.getName());
                    }
                }
            }
        }
    }

    @Test
    void featureChannelsFollowTheWidth() {
        assertEquals(2048, Models.build(new ModelSpec("deeplabv2", "resnet101", 8, 1.0, 19)).featureChannels());
        assertEquals(512, Models.build(new ModelSpec("deeplabv2", "resnet18", 8, 1.0, 19)).featureChannels());
        assertEquals(256, Models.build(new ModelSpec("deeplabv3plus", "resnet50", 16, 1.0, 19)).featureChannels());
        assertEquals(64, Models.build(new ModelSpec("deeplabv3plus", "resnet50", 16, 0.25, 19)).featureChannels());
        assertEquals(8, Models.build(new ModelSpec("deeplabv3plus", "resnet18", 8, 0.01, 19)).featureChannels());
    }

    @Test
    void trainingStepGivesGradientsToBackboneAndHeadWhichPartitionTheTrainableParameters() {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, 3));
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            List<Parameter> backbone = net.backboneParameters();
            List<Parameter> head = net.headParameters();
            Set<Parameter> union = new HashSet<>(backbone);
            union.addAll(head);
            assertEquals(backbone.size() + head.size(), union.size());
            long trainable = net.getParameters().values().stream().filter(Parameter::requiresGradient).count();
            assertEquals(trainable, union.size());
            assertTrue(backbone.contains(ParameterNames.of(net).get("backbone.conv1.weight")));
            assertTrue(head.contains(ParameterNames.of(net).get("classifier.weight")));
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray x = step.randomNormal(new Shape(2, 3, 32, 40));
                NDList out = net.forward(new ParameterStore(step, false), new NDList(x), true);
                collector.backward(out.get(0).square().mean().add(out.get(1).mean()));
            }
            for (Parameter p : union) {
                try (NDArray g = p.getArray().getGradient()) {
                    assertFalse(g.abs().sum().getFloat() == 0f, "no gradient for " + p.getName());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"deeplabv2", "deeplabv3plus", "pspnet"})
    void forwardLeavesOnlyItsOutputsInTheCallersManager(String arch) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = Models.build(new ModelSpec(arch, "resnet50", 8, 0.125, 3));
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32));
            for (boolean training : new boolean[] {false, true}) {
                try (NDManager step = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray x = step.randomNormal(new Shape(2, 3, 32, 40));
                    NDList out = net.forward(new ParameterStore(step, false), new NDList(x), training);
                    // x, logits, features (+ at most a couple of views); intermediates are closed as they go
                    int alive = step.getManagedArrays().size();
                    assertTrue(alive <= 5, alive + " arrays left open");
                    if (training) {
                        collector.backward(out.get(0).mean().add(out.get(1).mean()));
                    }
                }
            }
        }
    }
}
