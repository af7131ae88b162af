package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Channel dropout, as torch's {@code nn.Dropout2d(p)}: in training mode every channel of every image, (N, C, H, W),
 * is zeroed with probability {@code p} and the kept channels are scaled by 1 / (1 - p); in inference mode the input
 * is returned unchanged. The draws come from the engine's generator, so {@code Engine.setRandomSeed} makes them
 * reproducible. UniMatch perturbs both encoder levels with {@code Dropout2d(0.5)} in its feature stream.
 */
public final class Dropout2d extends ModuleBlock {

    private final float p;

    public Dropout2d(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        this.p = (float) p;
    }

    public double probability() {
        return p;
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        if (!training || p == 0) {
            return x;
        }
        Shape s = x.getShape();
        // keep = 1 / (1 - p) with probability 1 - p, else 0; made by torch from a uniform draw (no graph of its own),
        // so the scalar ops below never meet an array that autograd keeps
        NDArray uniform = x.getManager().randomUniform(0f, 1f, new Shape(s.get(0), s.get(1), 1, 1), DataType.FLOAT32,
                x.getDevice());
        NDArray kept = uniform.gte(p).toType(x.getDataType(), false);
        NDArray keep = kept.div(1f - p);
        uniform.close();
        kept.close();
        return x.mul(keep);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
