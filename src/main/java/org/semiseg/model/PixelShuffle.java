package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Sub-pixel upsampling, as torch's {@code nn.PixelShuffle(r)}: (N, C·r², H, W) -> (N, C, H·r, W·r), where output pixel
 * (y·r + i, x·r + j) of channel c is input channel c·r² + i·r + j at (y, x). CCT's auxiliary decoders upsample with it.
 */
public final class PixelShuffle extends ModuleBlock {

    private final int factor;

    public PixelShuffle(int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("pixel shuffle factor must be at least 1, got " + factor);
        }
        this.factor = factor;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        Shape s = x.getShape();
        long r = factor;
        if (s.get(1) % (r * r) != 0) {
            throw new IllegalArgumentException("pixel shuffle by " + r + " needs channels divisible by " + r * r
                    + ", got " + s.get(1));
        }
        long c = s.get(1) / (r * r);
        long h = s.get(2);
        long w = s.get(3);
        try (NDArray split = x.reshape(s.get(0), c, r, r, h, w);
             NDArray moved = split.transpose(0, 1, 4, 2, 5, 3)) {
            return moved.reshape(s.get(0), c, h * r, w * r);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1) / ((long) factor * factor), s.get(2) * factor, s.get(3) * factor)};
    }
}
