package org.semiseg.model;

/** Builds segmentation networks from a {@link ModelSpec}. */
public final class Models {

    private Models() {}

    /**
     * An uninitialised network. Initialise with
     * {@code net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, h, w))} (every parameter has a fixed shape,
     * so any input shape will do); with {@code Engine.getInstance().setRandomSeed(seed)} first, the initial values
     * are reproducible. Convs: Kaiming-normal (fan_out, ReLU gain); DeepLabv2 ASPP: N(0, 0.01); pspnet's decoder:
     * {@link ShuffleDecoder}'s (fan_in, ICNR); BN: weight 1, bias 0, running mean 0, running var 1; biases 0.
     */
    public static SegmentationNet build(ModelSpec spec) {
        return new SegmentationNet(spec);
    }

    /**
     * An uninitialised network for {@code numClasses} classes that shares {@code first}'s encoder: its ResNet and, for
     * pspnet, its pyramid pooling are {@code first}'s blocks, the very same arrays (BN statistics too); its decoder and
     * classifier are its own (CCT's several domains, Ouali et al. CVPR 2020, Section 3.4). Initialising it creates
     * its own parts only and leaves the shared ones as they are.
     */
    public static SegmentationNet sharingEncoder(SegmentationNet first, int numClasses) {
        ModelSpec s = first.spec();
        return new SegmentationNet(new ModelSpec(s.arch(), s.backbone(), s.outputStride(), s.width(), numClasses), first);
    }
}
