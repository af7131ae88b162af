package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;

/**
 * Fully connected layer on rows, (N, in) -> (N, out), with bias; parameters named like torch's nn.Linear:
 * {@code weight} (out, in) and {@code bias} (out). Both start as torch's default does: uniform in
 * ±1/sqrt(in), drawn from the engine's random generator (so {@code Engine.setRandomSeed} makes them reproducible).
 */
public final class Linear extends ModuleBlock {

    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this.outFeatures = outFeatures;
        float bound = (float) (1.0 / Math.sqrt(inFeatures));
        this.weight = addParameter(Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(outFeatures, inFeatures))
                .optInitializer(new UniformInitializer(bound))
                .build());
        this.bias = addParameter(Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(outFeatures))
                .optInitializer(new UniformInitializer(bound))
                .build());
    }

    @Override
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return x.getNDArrayInternal()
                .linear(x, value(ps, weight, x, training), value(ps, bias, x, training))
                .singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), outFeatures)};
    }
}
