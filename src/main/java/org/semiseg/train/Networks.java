package org.semiseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.semiseg.SemisegException;
import org.semiseg.config.ModelConfig;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.PretrainedWeights;
import org.semiseg.model.SegmentationNet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Builds the configured network, initialised from the seed, with its optional pretrained backbone. */
public final class Networks {
    private Networks() {
    }

    public static ModelSpec spec(ModelConfig model, int numClasses) {
        return new ModelSpec(model.arch(), model.backbone(), model.outputStride(), model.width(), numClasses);
    }

    /** A one-line description that checkpoints record. */
    public static String describe(ModelSpec spec) {
        return spec.arch() + " " + spec.backbone() + " os" + spec.outputStride() + " width " + spec.width()
                + " classes " + spec.numClasses();
    }

    public static SegmentationNet create(ModelConfig model, int numClasses, long seed, NDManager manager) {
        Engine.getInstance().setRandomSeed((int) seed);
        SegmentationNet net = Models.build(spec(model, numClasses));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
        if (model.pretrained() != null) {
            Path file = Path.of(model.pretrained());
            if (!Files.isRegularFile(file)) {
                throw new SemisegException("config key 'model.pretrained': file " + file + " does not exist");
            }
            try {
                PretrainedWeights.loadBackbone(net, file, manager);
            } catch (RuntimeException e) {
                throw new SemisegException(e.getMessage(), e);
            }
        }
        return net;
    }

    /** Trainable parameters by stable name, split into the backbone group and the head group (10x learning rate). */
    public static Map<Boolean, Map<String, Parameter>> trainableByGroup(SegmentationNet net) {
        Set<Parameter> backbone = net.backboneParameters().stream().collect(Collectors.toSet());
        Map<Boolean, Map<String, Parameter>> groups = new LinkedHashMap<>();
        groups.put(true, new LinkedHashMap<>());
        groups.put(false, new LinkedHashMap<>());
        ParameterNames.of(net).forEach((name, p) -> {
            if (p.requiresGradient()) {
                groups.get(backbone.contains(p)).put(name, p);
            }
        });
        return groups;
    }
}
