package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/** conv (no bias) -> BN -> ReLU; children named {@code conv} and {@code bn}. */
public final class ConvBnRelu extends ModuleBlock {

    private final Conv2d conv;
    private final BatchNorm2d bn;

    public ConvBnRelu(int in, int out, int kernel, int dilation) {
        conv = addChildBlock("conv", new Conv2d(in, out, kernel, 1, dilation, false));
        bn = addChildBlock("bn", new BatchNorm2d(out));
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return reluAndClose(BatchNorm2d.afterConv(ps, conv, bn, x, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }
}
