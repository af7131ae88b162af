package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** The shortcut projection of a residual block: 1x1 conv (children "0") + BN ("1"), as torchvision's Sequential. */
final class Downsample extends ModuleBlock {

    private final Conv2d conv;
    private final BatchNorm2d bn;

    Downsample(int in, int out, int stride) {
        conv = addChildBlock("0", Conv2d.conv1x1(in, out, stride));
        bn = addChildBlock("1", new BatchNorm2d(out));
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return BatchNorm2d.afterConv(ps, conv, bn, x, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
