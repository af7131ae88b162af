package org.semiseg.eval;

import ai.djl.ndarray.NDArray;

/**
 * Runs the network in eval mode ({@code training=false}) and returns logits {@code (N, C, H, W)} at the input's
 * size, for a normalised batch {@code (N, 3, H, W)} float32 (see {@link ImageTensors#toBatch}).
 *
 * <p>The returned array may live in any manager; {@link Inference} attaches it to its own scratch manager and
 * closes it after use.
 */
@FunctionalInterface
public interface LogitsFunction {
    NDArray apply(NDArray normalisedImages);
}
