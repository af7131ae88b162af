package org.semiseg.model;

import java.util.List;

/**
 * What network to build.
 *
 * @param arch "deeplabv2" (dilated ResNet at output stride 8 + ASPP classifier), "deeplabv3plus", or "pspnet" (dilated
 *     ResNet + pyramid pooling, CCT's encoder, with CCT's pixel-shuffle decoder as the main decoder)
 * @param backbone resnet18, resnet34, resnet50 or resnet101 (torchvision layouts)
 * @param outputStride stride of the encoder output: 8 or 16 (deeplabv2: only 8)
 * @param width channel multiplier, 1.0 = torchvision channel counts; every width is max(8, round(c * width))
 * @param numClasses number of output classes, at least 1
 */
public record ModelSpec(String arch, String backbone, int outputStride, double width, int numClasses) {

    public static final String DEEPLABV2 = "deeplabv2";
    public static final String DEEPLABV3PLUS = "deeplabv3plus";
    public static final String PSPNET = "pspnet";
    public static final List<String> ARCHS = List.of(DEEPLABV2, DEEPLABV3PLUS, PSPNET);
    public static final List<String> BACKBONES = List.of("resnet18", "resnet34", "resnet50", "resnet101");

    public ModelSpec {
        if (arch == null || !ARCHS.contains(arch)) {
            throw new IllegalArgumentException("arch must be one of " + ARCHS + ", got " + arch);
        }
        if (backbone == null || !BACKBONES.contains(backbone)) {
            throw new IllegalArgumentException("backbone must be one of " + BACKBONES + ", got " + backbone);
        }
        if (outputStride != 8 && outputStride != 16) {
            throw new IllegalArgumentException("outputStride must be 8 or 16, got " + outputStride);
        }
        if (arch.equals(DEEPLABV2) && outputStride != 8) {
            throw new IllegalArgumentException("outputStride must be 8 for deeplabv2, got " + outputStride);
        }
        if (!(width > 0) || Double.isInfinite(width)) {
            throw new IllegalArgumentException("width must be a positive number, got " + width);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
    }

    /** A channel count of the torchvision layout scaled by {@link #width()}: max(8, round(channels * width)). */
    public int scaled(int channels) {
        return Math.max(8, (int) Math.round(channels * width));
    }
}
