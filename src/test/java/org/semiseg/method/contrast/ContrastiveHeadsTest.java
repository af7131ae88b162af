package org.semiseg.method.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.semiseg.model.ParameterNames;

/** Shapes, names and initialisation; every head's values on known weights: {@link ContrastiveHeadsValuesTest}. */
class ContrastiveHeadsTest {

    private static final int F = 6;
    private static final int DIM = 8;
    private static final int C = 3;

    private static ContrastiveHeads build(NDManager m, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        ContrastiveHeads heads = new ContrastiveHeads(F, DIM, C);
        heads.initialize(m, DataType.FLOAT32, new Shape(1, F));
        return heads;
    }

    @Test
    void shapesOfHeadsAndScores() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = build(m, 1);
            assertEquals(DIM, heads.dim());
            assertEquals(C, heads.numClasses());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray v = m.randomNormal(new Shape(5, F));
            NDArray z = heads.project(ps, v, true);
            assertEquals(new Shape(5, DIM), z.getShape());
            NDArray p = heads.predict(ps, z, true);
            assertEquals(new Shape(5, DIM), p.getShape());
            for (boolean training : new boolean[] {true, false}) {
                for (NDArray s : new NDArray[] {heads.predictionScore(ps, 0, p, training),
                    heads.projectionScore(ps, C - 1, z, training)}) {
                    assertEquals(new Shape(5), s.getShape());
                    for (float x : s.toFloatArray()) {
                        assertTrue(x > 0 && x < 1, "score " + x);
                    }
                }
            }
        }
    }

    @Test
    void parameterNamesFollowTheChildren() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> params = ParameterNames.of(build(m, 1));
            for (String name : new String[] {"projection.0.weight", "projection.0.bias", "projection.1.running_var",
                "projection.3.weight", "prediction.0.weight", "prediction.3.bias", "pred_selectors.0.0.weight",
                "pred_selectors.0.1.weight", "pred_selectors.0.3.bias", "proj_selectors.0.0.weight",
                "proj_selectors." + (C - 1) + ".3.weight"}) {
                assertTrue(params.containsKey(name), name + " in " + params.keySet());
            }
            // per class: 2 Linear (weight, bias) + BN (4) in each of 2 selectors; 2 heads likewise
            assertEquals((2 + 2 * C) * 8, params.size());
            assertEquals(new Shape(DIM, F), params.get("projection.0.weight").getArray().getShape());
            assertEquals(new Shape(1, DIM), params.get("proj_selectors.2.3.weight").getArray().getShape());
        }
    }

    @Test
    void initialisationIsTorchLinearDefaultAndReproducible() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<float[]> a = values(build(m, 7));
            List<float[]> b = values(build(m, 7));
            List<float[]> c = values(build(m, 8));
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i));
            }
            assertFalse(Arrays.equals(a.get(0), c.get(0)));

            Map<String, Parameter> params = ParameterNames.of(build(m, 7));
            // nn.Linear: weight and bias uniform in ±1/sqrt(fan_in)
            checkUniform(params.get("projection.0.weight"), 1 / Math.sqrt(F));
            checkUniform(params.get("projection.0.bias"), 1 / Math.sqrt(F));
            checkUniform(params.get("prediction.3.weight"), 1 / Math.sqrt(DIM));
            checkUniform(params.get("pred_selectors.1.3.bias"), 1 / Math.sqrt(DIM));
            float[] ones = new float[DIM];
            Arrays.fill(ones, 1f);
            assertArrayEquals(ones, params.get("proj_selectors.0.1.weight").getArray().toFloatArray());
            assertArrayEquals(new float[DIM], params.get("proj_selectors.0.1.bias").getArray().toFloatArray());
            assertArrayEquals(new float[DIM], params.get("projection.1.running_mean").getArray().toFloatArray());
            assertArrayEquals(ones, params.get("projection.1.running_var").getArray().toFloatArray());
        }
    }

    private static void checkUniform(Parameter p, double bound) {
        float[] v = p.getArray().toFloatArray();
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        assertTrue(max <= bound, p.getName() + " reaches " + max + " > " + bound);
        if (v.length >= 8) {
            assertTrue(max > 0.3 * bound, p.getName() + " only reaches " + max);
        } else {
            assertTrue(max > 0, p.getName() + " is all zeros");
        }
    }

    private static List<float[]> values(ContrastiveHeads heads) {
        List<float[]> out = new ArrayList<>();
        for (Parameter p : ParameterNames.of(heads).values()) {
            out.add(p.getArray().toFloatArray());
        }
        return out;
    }
}
