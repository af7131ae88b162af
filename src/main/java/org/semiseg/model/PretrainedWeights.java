package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import org.semiseg.io.Safetensors;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Imports ImageNet-pretrained encoder weights written by torch (torchvision names, safetensors). */
public final class PretrainedWeights {

    private static final String PREFIX = "backbone.";

    private PretrainedWeights() {}

    /**
     * Loads a torchvision-named ResNet state dict (safetensors; e.g. {@code conv1.weight},
     * {@code layer1.0.bn1.running_mean}) into the encoder of an initialised network, all or nothing. Keys
     * {@code fc.*} and {@code *num_batches_tracked} are ignored; other dtypes are converted to float32.
     *
     * @throws WeightImportException naming the file and the missing / unexpected / mis-shaped keys (first few and a
     *     count) or the read error; the network is left unchanged then
     * @throws IllegalStateException if the network is not initialised yet
     */
    public static void loadBackbone(SegmentationNet net, Path safetensors, NDManager manager) {
        if (!net.isInitialized()) {
            throw new IllegalStateException("initialize the network before loading " + safetensors);
        }
        Map<String, Parameter> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : ParameterNames.of(net).entrySet()) {
            if (e.getKey().startsWith(PREFIX)) {
                expected.put(e.getKey().substring(PREFIX.length()), e.getValue());
            }
        }
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> file = read(safetensors, scratch);
            String mismatches = WeightMatch.mismatches(expected, file);
            if (!mismatches.isEmpty()) {
                throw new WeightImportException("cannot load backbone weights from " + safetensors + ":" + mismatches);
            }
            for (Map.Entry<String, Parameter> e : expected.entrySet()) {
                NDArray value = file.get(e.getKey());
                NDArray target = e.getValue().getArray();
                if (value.getDataType() != target.getDataType()) {
                    value = value.toType(target.getDataType(), false);
                }
                target.set(new NDIndex("..."), value);
            }
        }
    }

    /** Tensors of the file by name, without fc.* and num_batches_tracked; sorted by name. */
    private static Map<String, NDArray> read(Path file, NDManager manager) {
        Map<String, NDArray> all;
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            all = Safetensors.read(in, manager);
        } catch (IOException | RuntimeException e) {
            throw new WeightImportException("cannot read safetensors file " + file + ": " + e.getMessage(), e);
        }
        NDList list = new NDList(all.values());
        Map<String, NDArray> out = new TreeMap<>();
        for (NDArray array : list) {
            String name = array.getName();
            if (name == null || name.startsWith("fc.") || name.endsWith("num_batches_tracked")) {
                continue;
            }
            if (array.getDataType() == DataType.STRING) {
                continue;
            }
            out.put(name, array);
        }
        return out;
    }
}
