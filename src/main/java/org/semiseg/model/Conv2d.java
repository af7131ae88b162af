package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;

/**
 * 2-D convolution (N, in, H, W) -> (N, out, H', W') with "same"-style padding dilation * (k - 1) / 2, as torchvision's
 * conv3x3/conv1x1. Parameters are named like torch: {@code weight} (out, in, k, k) and optionally {@code bias} (out).
 * Weights start Kaiming-normal (fan_out, relu gain), biases at zero.
 */
public final class Conv2d extends ModuleBlock {

    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final Shape strideShape;
    private final Shape paddingShape;
    private final Shape dilationShape;
    private final Parameter weight;
    private final Parameter bias;

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int dilation, boolean withBias) {
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.dilation = dilation;
        this.padding = dilation * (kernel - 1) / 2;
        this.strideShape = new Shape(stride, stride);
        this.paddingShape = new Shape(padding, padding);
        this.dilationShape = new Shape(dilation, dilation);
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outChannels, inChannels, kernel, kernel))
                .optInitializer(new XavierInitializer(
                        XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2f))
                .build());
        this.bias = withBias
                ? addParameter(Parameter.builder()
                        .setName("bias")
                        .setType(Parameter.Type.BIAS)
                        .optShape(new Shape(outChannels))
                        .build())
                : null;
    }

    public static Conv2d conv1x1(int in, int out, int stride) {
        return new Conv2d(in, out, 1, stride, 1, false);
    }

    public static Conv2d conv3x3(int in, int out, int stride, int dilation) {
        return new Conv2d(in, out, 3, stride, dilation, false);
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = value(ps, weight, x, training);
        NDArray b = value(ps, bias, x, training);
        return x.getNDArrayInternal()
                .convolution(x, w, b, strideShape, paddingShape, dilationShape, 1)
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), outChannels,
                convOut(s.get(2), kernel, stride, padding, dilation),
                convOut(s.get(3), kernel, stride, padding, dilation))};
    }
}
