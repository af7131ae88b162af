package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * DeepLabv2's ASPP classifier: four 3x3 convs with bias and dilation 6/12/18/24 on the encoder output
 * (N, F, h, w), each producing class logits (N, numClasses, h, w); their sum is the output. Children "0".."3".
 * Weights start N(0, 0.01) as in the original DeepLab-v2, biases at zero.
 */
public final class DeepLabV2Head extends ModuleBlock {

    private static final int[] RATES = {6, 12, 18, 24};
    private final Conv2d[] branches = new Conv2d[RATES.length];

    public DeepLabV2Head(int inChannels, int numClasses) {
        for (int i = 0; i < RATES.length; i++) {
            branches[i] = addChildBlock(Integer.toString(i), new Conv2d(inChannels, numClasses, 3, 1, RATES[i], true));
            branches[i].weight().setInitializer(new NormalInitializer(0.01f));
        }
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray sum = branches[0].apply(ps, x, training);
        for (int i = 1; i < branches.length; i++) {
            NDArray branch = branches[i].apply(ps, x, training);
            sum.addi(branch);
            branch.close();
        }
        return sum;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return branches[0].getOutputShapes(inputShapes);
    }
}
