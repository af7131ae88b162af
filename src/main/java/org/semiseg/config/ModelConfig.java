package org.semiseg.config;

import java.util.List;

/** The network: architecture, backbone, output stride, channel width and optional pretrained backbone file. */
public record ModelConfig(String arch, String backbone, int outputStride, double width, String pretrained) {
    public ModelConfig {
        Check.oneOf("model.arch", arch, List.of("deeplabv2", "deeplabv3plus", "pspnet"));
        Check.oneOf("model.backbone", backbone, List.of("resnet18", "resnet34", "resnet50", "resnet101"));
        if (outputStride != 8 && outputStride != 16) {
            throw ConfigException.key("model.output_stride", "must be 8 or 16 (got " + outputStride + ")");
        }
        if (arch.equals("deeplabv2") && outputStride != 8) {
            throw ConfigException.key("model.output_stride", "deeplabv2 runs at output stride 8 (got " + outputStride + ")");
        }
        Check.inRange("model.width", width, 0.01, 4.0);
    }

    /** The same network without the pretrained file (weights come from a checkpoint instead). */
    public ModelConfig withoutPretrained() {
        return new ModelConfig(arch, backbone, outputStride, width, null);
    }
}
