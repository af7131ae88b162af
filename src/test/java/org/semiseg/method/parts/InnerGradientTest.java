package org.semiseg.method.parts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.semiseg.method.contrast.ContrastiveHeads;
import org.semiseg.model.ParameterNames;

class InnerGradientTest {

    /** Linear(3 -> 1) with weight w = [0.5, -1, 2] and bias 0.25. */
    private static Block block(NDManager m) {
        Block linear = Linear.builder().setUnits(1).build();
        linear.initialize(m, DataType.FLOAT32, new Shape(2, 3));
        for (Parameter p : linear.getParameters().values()) {
            float[] value = p.getName().equals("weight") ? new float[] {0.5f, -1f, 2f} : new float[] {0.25f};
            p.getArray().set(new NDIndex("..."), m.create(value, p.getArray().getShape()));
        }
        return linear;
    }

    /** f(x) = sum over rows of w · x² + b: df/dx = 2 w x (row-wise). x is (2, 3). */
    private static BiFunction<NDArray, ParameterStore, NDArray> squares(Block block) {
        return (x, ps) -> block.forward(ps, new NDList(x.mul(x)), true).singletonOrThrow().sum();
    }

    private static NDArray x(NDManager m) {
        return m.create(new float[] {1f, -2f, 3f, 0.5f, 4f, -1f}, new Shape(2, 3));
    }

    /** 2 w x for x above: row 1 (1, 4, 12), row 2 (0.5, -8, -4). */
    private static final float[] EXPECTED = {1f, 4f, 12f, 0.5f, -8f, -4f};

    @Test
    void gradientOfWeightedSquaresIsTwoWX() {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = block(m);
            NDArray x = x(m);
            // outside any collector
            NDArray g = InnerGradient.gradient(x, squares(block));
            assertArrayEquals(EXPECTED, g.toFloatArray(), 0f);
            assertEquals(new Shape(2, 3), g.getShape());
            assertEquals(m, g.getManager());
            // inside one
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray inside = InnerGradient.gradient(x, squares(block));
                assertArrayEquals(EXPECTED, inside.toFloatArray(), 0f);
                assertFalse(inside.hasGradient());
                // a scalar that does not depend on x: zeros
                NDArray none = InnerGradient.gradient(x, (d, ps) -> block.forward(ps, new NDList(x), true)
                        .singletonOrThrow().sum());
                assertArrayEquals(new float[6], none.toFloatArray(), 0f);
            }
        }
    }

    /**
     * One training step: a first backward (so parameters already hold a gradient), a main loss, {@code inner}
     * inner gradients, then the main loss's backward. Returns gradients of weight, bias and the input x after the
     * first backward, after the inner calls and at the end, and the inner results.
     */
    private static List<float[]> step(int inner, boolean detachedStore) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = block(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = x(m);
            x.setRequiresGradient(true);
            List<float[]> out = new ArrayList<>();
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray first = block.forward(ps, new NDList(x), true).singletonOrThrow().sum();
                c.backward(first);
                out.addAll(gradients(block, x));
                NDArray y = block.forward(ps, new NDList(x.mul(x)), true).singletonOrThrow();
                NDArray main = y.mul(y).sum();
                BiFunction<NDArray, ParameterStore, NDArray> f = squares(block);
                // negative control: the scalar read through the step's normal store instead of the given one
                BiFunction<NDArray, ParameterStore, NDArray> scalarOf =
                        detachedStore ? f : (d, ignored) -> f.apply(d, ps);
                NDArray d = x;
                for (int i = 0; i < inner; i++) {
                    d = InnerGradient.gradient(d, scalarOf);
                    out.add(d.toFloatArray());
                }
                out.addAll(gradients(block, x));
                c.backward(main);
            }
            out.addAll(gradients(block, x));
            return out;
        }
    }

    private static List<float[]> gradients(Block block, NDArray x) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            try (NDArray g = p.getArray().getGradient()) {
                out.add(g.toFloatArray());
            }
        }
        try (NDArray g = x.getGradient()) {
            out.add(g.toFloatArray());
        }
        return out;
    }

    @Test
    void parameterGradientsAreUntouched() {
        List<float[]> reference = step(0, true);
        List<float[]> withInner = step(1, true);
        assertArrayEquals(EXPECTED, withInner.get(3), 0f);
        withInner.remove(3);
        assertEquals(reference.size(), withInner.size());
        for (int i = 0; i < reference.size(); i++) {
            assertArrayEquals(reference.get(i), withInner.get(i), 0f, "gradient " + i);
        }
        // the gradients held before the inner call are still there after it (weight, bias, x)
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(withInner.get(i), withInner.get(3 + i), 0f, "held gradient " + i);
        }
    }

    /** The check above can fail: through the step's normal store the inner backward reaches the weights. */
    @Test
    void negativeControlThroughTheNormalStoreChangesParameterGradients() {
        List<float[]> reference = step(0, true);
        List<float[]> leaky = step(1, false);
        assertArrayEquals(EXPECTED, leaky.get(3), 0f);
        leaky.remove(3);
        // weight gradient after the inner call: it gained d f / d w = sum over rows of x²
        assertFalse(Arrays.equals(reference.get(3), leaky.get(3)));
        assertFalse(Arrays.equals(reference.get(6), leaky.get(6)));
    }

    @Test
    void twiceInOneStep() {
        List<float[]> reference = step(0, true);
        List<float[]> twice = step(2, true);
        assertArrayEquals(EXPECTED, twice.get(3), 0f);
        // second: 2 w (2 w x) = 4 w² x
        float[] w = {0.5f, -1f, 2f};
        float[] x = {1f, -2f, 3f, 0.5f, 4f, -1f};
        float[] second = new float[6];
        for (int i = 0; i < 6; i++) {
            second[i] = 4 * w[i % 3] * w[i % 3] * x[i];
        }
        assertArrayEquals(second, twice.get(4), 0f);
        twice.remove(4);
        twice.remove(3);
        for (int i = 0; i < reference.size(); i++) {
            assertArrayEquals(reference.get(i), twice.get(i), 0f, "gradient " + i);
        }
    }

    /** Sum of squares of the projection head's output, in training mode (BN on batch statistics). */
    private static BiFunction<NDArray, ParameterStore, NDArray> projected(ContrastiveHeads heads) {
        return (v, ps) -> {
            NDArray z = heads.project(ps, v, true);
            return z.mul(z).sum();
        };
    }

    @Test
    void batchNormRunningStatisticsStayAndGradientMatchesAPlainBackward() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            ContrastiveHeads heads = new ContrastiveHeads(2, 2, 1);
            heads.initialize(m, DataType.FLOAT32, new Shape(1, 2));
            Map<String, Parameter> params = ParameterNames.of(heads);
            NDArray mean = params.get("projection.1.running_mean").getArray();
            NDArray var = params.get("projection.1.running_var").getArray();
            float[] mean0 = mean.toFloatArray();
            float[] var0 = var.toFloatArray();
            NDArray v = m.create(new float[] {1f, 2f, -1f, 0.5f, 3f, -2f}, new Shape(3, 2));

            NDArray inner;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                inner = InnerGradient.gradient(v, projected(heads));
            }
            assertArrayEquals(mean0, mean.toFloatArray(), 0f);
            assertArrayEquals(var0, var.toFloatArray(), 0f);
            for (Parameter p : params.values()) {
                if (p.requiresGradient()) {
                    try (NDArray g = p.getArray().getGradient()) {
                        assertArrayEquals(new float[(int) g.size()], g.toFloatArray(), 0f, p.getName());
                    }
                }
            }

            // the same gradient by a plain backward through the normal store, which does move the statistics
            NDArray leaf = v.duplicate();
            leaf.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                c.backward(projected(heads).apply(leaf, new ParameterStore(m, false)));
            }
            assertArrayEquals(leaf.getGradient().toFloatArray(), inner.toFloatArray(), 1e-6f);
            assertFalse(Arrays.equals(mean0, mean.toFloatArray()), "negative control: running mean moved");
        }
    }
}
