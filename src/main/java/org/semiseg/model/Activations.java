package org.semiseg.model;

import ai.djl.ndarray.NDArray;

/** Element-wise activations of any shape, differentiable; for methods that build heads from the layer toolkit. */
public final class Activations {
    private Activations() {
    }

    /** max(0, x). */
    public static NDArray relu(NDArray x) {
        return x.getNDArrayInternal().relu();
    }

    /** x where x >= 0, slope·x elsewhere (torch's {@code leaky_relu}). */
    public static NDArray leakyRelu(NDArray x, float slope) {
        return x.getNDArrayInternal().leakyRelu(slope);
    }

    /** 1 / (1 + exp(−x)). */
    public static NDArray sigmoid(NDArray x) {
        return x.getNDArrayInternal().sigmoid();
    }
}
