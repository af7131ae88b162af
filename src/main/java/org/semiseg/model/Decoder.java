package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * DeepLabv3+ decoder: low-level features (N, L, h4, w4) -> {@code reduce} (1x1 conv + BN + ReLU, 48*width ch);
 * ASPP output upsampled bilinearly to h4 x w4 and concatenated in front of them; then {@code fuse1}, {@code fuse2}
 * (3x3 conv + BN + ReLU, C ch each). The result (N, C, h4, w4) is the pre-classifier feature map.
 */
public final class Decoder extends ModuleBlock {

    private final ConvBnRelu reduce;
    private final ConvBnRelu fuse1;
    private final ConvBnRelu fuse2;
    private final int channels;

    public Decoder(int lowLevelChannels, int reducedChannels, int asppChannels, int channels) {
        this.channels = channels;
        reduce = addChildBlock("reduce", new ConvBnRelu(lowLevelChannels, reducedChannels, 1, 1));
        fuse1 = addChildBlock("fuse1", new ConvBnRelu(asppChannels + reducedChannels, channels, 3, 1));
        fuse2 = addChildBlock("fuse2", new ConvBnRelu(channels, channels, 3, 1));
    }

    /** @return (N, C, h4, w4) */
    public NDArray apply(ParameterStore ps, NDArray aspp, NDArray lowLevel, boolean training) {
        NDArray reduced = reduce.apply(ps, lowLevel, training);
        Shape s = lowLevel.getShape();
        NDArray up = Interpolation.bilinear(aspp, s.get(2), s.get(3));
        NDArray concatenated = NDArrays.concat(new NDList(up, reduced), 1);
        reduced.close();
        if (up != aspp) {
            up.close();
        }
        NDArray y = fuse1.apply(ps, concatenated, training);
        concatenated.close();
        NDArray features = fuse2.apply(ps, y, training);
        y.close();
        return features;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        throw new UnsupportedOperationException("the decoder needs [aspp output, low-level features]");
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            ai.djl.util.PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape low = inputShapes[1];
        return new Shape[] {new Shape(low.get(0), channels, low.get(2), low.get(3))};
    }
}
