package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Batch normalisation over channel axis 1 of (N, C, H, W), eps 1e-5, torch momentum 0.1
 * (running = 0.9 * running + 0.1 * batch). Parameters use torch names: {@code weight}, {@code bias},
 * {@code running_mean}, {@code running_var} (the last two have no gradient).
 *
 * <p>Calls torch's batch_norm directly (axis -1 path of DJL's PyTorch engine); DJL's own BatchNorm block goes through
 * a swapAxes pair and a sub-manager on every call.
 */
public final class BatchNorm2d extends ModuleBlock {

    static final float EPS = 1e-5f;
    /** DJL's convention: weight of the old running value; the engine hands torch 1 - this = 0.1. */
    private static final float DJL_MOMENTUM = 0.9f;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    public BatchNorm2d(int channels) {
        Shape shape = new Shape(channels);
        gamma = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(shape).build());
        beta = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(shape).build());
        runningMean = addParameter(Parameter.builder().setName("running_mean").setType(Parameter.Type.RUNNING_MEAN)
                .optShape(shape).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("running_var").setType(Parameter.Type.RUNNING_VAR)
                .optShape(shape).optRequiresGrad(false).build());
    }

    /** {@code bn(conv(x))}, freeing the convolution's output as soon as it is normalised. */
    public static NDArray afterConv(ParameterStore ps, Conv2d conv, BatchNorm2d bn, NDArray x, boolean training) {
        NDArray convolved = conv.apply(ps, x, training);
        NDArray normalised = bn.apply(ps, convolved, training);
        convolved.close();
        return normalised;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return x.getNDArrayInternal()
                .batchNorm(x,
                        value(ps, runningMean, x, training),
                        value(ps, runningVar, x, training),
                        value(ps, gamma, x, training),
                        value(ps, beta, x, training),
                        -1, DJL_MOMENTUM, EPS, training)
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
