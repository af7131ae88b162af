package org.semiseg.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedWeightsTest {

    private static final ModelSpec TINY = new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, 4);

    @TempDir
    Path dir;

    private static SegmentationNet tinyNet(NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        SegmentationNet net = Models.build(TINY);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        return net;
    }

    /** The backbone's tensors under torchvision names, plus the fc and num_batches_tracked entries torch writes. */
    private static NDList stateDict(SegmentationNet net, NDManager manager) {
        NDList list = new NDList();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(net).entrySet()) {
            if (e.getKey().startsWith("backbone.")) {
                NDArray copy = e.getValue().getArray().duplicate();
                copy.setName(e.getKey().substring("backbone.".length()));
                list.add(copy);
            }
        }
        NDArray fc = manager.ones(new Shape(1000, 64));
        fc.setName("fc.weight");
        NDArray tracked = manager.create(5L);
        tracked.setName("bn1.num_batches_tracked");
        list.add(fc);
        list.add(tracked);
        return list;
    }

    private Path write(NDList list, String name) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        return file;
    }

    private static NDList without(NDList list, String name) {
        NDList out = new NDList();
        for (NDArray a : list) {
            if (!a.getName().equals(name)) {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void loadsABackboneIgnoringFcAndBatchCounters() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet source = tinyNet(manager, 1);
            SegmentationNet target = tinyNet(manager, 2);
            Path file = write(stateDict(source, manager), "good.safetensors");
            Map<String, Parameter> expected = ParameterNames.of(source);
            Map<String, Parameter> actual = ParameterNames.of(target);
            assertFalse(expected.get("backbone.conv1.weight").getArray()
                    .contentEquals(actual.get("backbone.conv1.weight").getArray()));
            float[] classifierBefore = actual.get("classifier.weight").getArray().toFloatArray();
            PretrainedWeights.loadBackbone(target, file, manager);
            for (String name : expected.keySet()) {
                if (name.startsWith("backbone.")) {
                    assertTrue(expected.get(name).getArray().contentEquals(actual.get(name).getArray()), name);
                }
            }
            assertArrayEquals(classifierBefore, actual.get("classifier.weight").getArray().toFloatArray());
        }
    }

    @Test
    void namesMissingUnexpectedAndMisShapedKeysAndLeavesTheNetUnchanged() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = tinyNet(manager, 1);
            NDList bad = without(stateDict(net, manager), "layer1.0.conv1.weight");
            bad = without(bad, "conv1.weight");
            NDArray wrongShape = manager.zeros(new Shape(8, 3, 3, 3));
            wrongShape.setName("conv1.weight");
            NDArray extra = manager.zeros(new Shape(2));
            extra.setName("layer5.0.bn1.weight");
            bad.add(wrongShape);
            bad.add(extra);
            Path file = write(bad, "bad.safetensors");
            float[] before = ParameterNames.of(net).get("backbone.bn1.weight").getArray().toFloatArray();

            WeightImportException e = assertThrows(WeightImportException.class,
                    () -> PretrainedWeights.loadBackbone(net, file, manager));
            String message = e.getMessage();
            assertFalse(message.contains("\n"), message);
            assertTrue(message.contains(file.toString()), message);
            assertTrue(message.contains("1 missing [layer1.0.conv1.weight]"), message);
            assertTrue(message.contains("1 unexpected [layer5.0.bn1.weight]"), message);
            assertTrue(message.contains("1 mis-shaped [conv1.weight (8, 3, 3, 3) vs model (8, 3, 7, 7)]"), message);
            assertArrayEquals(before, ParameterNames.of(net).get("backbone.bn1.weight").getArray().toFloatArray());
        }
    }

    @Test
    void listsTheFirstFewOfManyMissingKeysWithACount() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = tinyNet(manager, 1);
            NDArray only = manager.zeros(new Shape(8, 3, 7, 7));
            only.setName("conv1.weight");
            Path file = write(new NDList(only), "partial.safetensors");
            int expectedMissing = (int) ParameterNames.of(net).keySet().stream()
                    .filter(n -> n.startsWith("backbone.")).count() - 1;
            WeightImportException e = assertThrows(WeightImportException.class,
                    () -> PretrainedWeights.loadBackbone(net, file, manager));
            assertTrue(e.getMessage().contains(expectedMissing + " missing [bn1.weight, bn1.bias, bn1.running_mean,"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("...;"), e.getMessage());
        }
    }

    @Test
    void unreadableFileIsNamed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SegmentationNet net = tinyNet(manager, 1);
            Path file = dir.resolve("nope.safetensors");
            WeightImportException e = assertThrows(WeightImportException.class,
                    () -> PretrainedWeights.loadBackbone(net, file, manager));
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }

    @Test
    void namesFollowTorchConventions() {
        List<String> names = List.copyOf(ParameterNames.of(Models.build(TINY)).keySet());
        assertEquals("backbone.conv1.weight", names.get(0));
        assertTrue(names.containsAll(List.of("backbone.bn1.running_mean", "backbone.layer1.0.conv1.weight",
                "backbone.layer2.0.downsample.0.weight", "backbone.layer2.0.downsample.1.running_var",
                "aspp.branch0.conv.weight", "aspp.branch3.bn.running_var", "aspp.pool.conv.weight",
                "aspp.project.bn.bias", "decoder.reduce.conv.weight", "decoder.fuse2.bn.weight",
                "classifier.weight", "classifier.bias")), names.toString());
        List<String> v2 = List.copyOf(ParameterNames.of(
                Models.build(new ModelSpec("deeplabv2", "resnet101", 8, 0.125, 4))).keySet());
        assertTrue(v2.containsAll(List.of("backbone.layer3.22.bn3.running_mean", "aspp.0.weight", "aspp.3.bias")));
        assertEquals(v2.size(), new java.util.HashSet<>(v2).size());
    }
}
