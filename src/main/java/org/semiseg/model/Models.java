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
}
