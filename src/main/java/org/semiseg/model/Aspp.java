package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * DeepLabv3's ASPP on the encoder output (N, F, h, w) -> (N, C, h, w): a 1x1 branch ({@code branch0}), three 3x3
 * atrous branches ({@code branch1..3}, rates 6/12/18 at output stride 16, doubled at 8) and image pooling
 * ({@code pool}: global average -> 1x1 conv -> BN -> ReLU -> broadcast back to h x w), each C channels with BN + ReLU;
 * concatenated (5C) and projected by {@code project} (1x1 conv + BN + ReLU) to C channels. No dropout.
 */
public final class Aspp extends ModuleBlock {

    private final ConvBnRelu[] branches = new ConvBnRelu[4];
    private final ConvBnRelu pool;
    private final ConvBnRelu project;
    private final int channels;

    public Aspp(int inChannels, int channels, int outputStride) {
        this.channels = channels;
        int scale = 16 / outputStride;
        branches[0] = addChildBlock("branch0", new ConvBnRelu(inChannels, channels, 1, 1));
        for (int i = 1; i < 4; i++) {
            branches[i] = addChildBlock("branch" + i, new ConvBnRelu(inChannels, channels, 3, 6 * i * scale));
        }
        pool = addChildBlock("pool", new ConvBnRelu(inChannels, channels, 1, 1));
        project = addChildBlock("project", new ConvBnRelu(5 * channels, channels, 1, 1));
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDList parts = new NDList(5);
        for (ConvBnRelu branch : branches) {
            parts.add(branch.apply(ps, x, training));
        }
        Shape s = x.getShape();
        // adaptive average pooling to 1x1, as torch's AdaptiveAvgPool2d; (N, F) -> (N, F, 1, 1) is a view
        NDArray global = x.getNDArrayInternal().globalAvgPool().reshape(s.get(0), s.get(1), 1, 1);
        NDArray pooled = pool.apply(ps, global, training);
        global.close();
        parts.add(pooled.broadcast(new Shape(s.get(0), channels, s.get(2), s.get(3))));
        pooled.close();
        NDArray concatenated = NDArrays.concat(parts, 1);
        parts.close();
        NDArray projected = project.apply(ps, concatenated, training);
        concatenated.close();
        return projected;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), channels, s.get(2), s.get(3))};
    }
}
