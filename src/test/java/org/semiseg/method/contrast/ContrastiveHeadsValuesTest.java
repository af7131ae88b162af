package org.semiseg.method.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.semiseg.model.ParameterNames;

/**
 * {@link ContrastiveHeads} with every parameter set by hand (features 2, dim 2, one class), against the same
 * computation in plain double arithmetic: Linear - BN - ReLU - Linear for the heads, Linear - BN - LeakyReLU(0.2) -
 * Linear - Sigmoid for the selectors, BN on batch statistics (biased variance) in training mode and on running
 * statistics in inference mode, eps 1e-5. The inputs are chosen so that every head meets a negative pre-activation,
 * which tells ReLU from LeakyReLU and the slope 0.2 from another.
 */
class ContrastiveHeadsValuesTest {

    private static final double EPS = 1e-5;
    private static final float TOLERANCE = 2e-6f;

    /** One Linear(2, 2) - BN(2) - activation - Linear(2, out) stack: weights as torch stores them, (out, in). */
    private record Stack(double[][] w1, double[] b1, double[] gamma, double[] beta, double[] runningMean,
                         double[] runningVar, double[][] w2, double[] b2) {
    }

    private static final Stack PROJECTION = new Stack(
            new double[][] {{0.5, -1.0}, {1.5, 0.25}}, new double[] {0.1, -0.2},
            new double[] {1.2, 0.8}, new double[] {0.1, -0.3}, new double[] {0.2, -0.5}, new double[] {1.5, 0.6},
            new double[][] {{1.0, -0.5}, {0.3, 2.0}}, new double[] {0.05, -0.1});
    private static final Stack PREDICTION = new Stack(
            new double[][] {{-0.4, 0.9}, {0.7, 0.6}}, new double[] {0.3, 0.0},
            new double[] {0.9, 1.1}, new double[] {-0.2, 0.15}, new double[] {0.1, 0.4}, new double[] {0.8, 2.0},
            new double[][] {{0.6, 1.3}, {-1.1, 0.2}}, new double[] {-0.05, 0.2});
    private static final Stack PRED_SELECTOR = new Stack(
            new double[][] {{1.1, -0.3}, {0.2, 0.8}}, new double[] {-0.1, 0.25},
            new double[] {1.0, 0.7}, new double[] {0.05, -0.1}, new double[] {0.3, 0.1}, new double[] {0.9, 1.2},
            new double[][] {{0.8, -1.5}}, new double[] {0.1});
    private static final Stack PROJ_SELECTOR = new Stack(
            new double[][] {{-0.6, 0.5}, {0.9, -1.2}}, new double[] {0.2, 0.05},
            new double[] {0.85, 1.3}, new double[] {0.0, 0.2}, new double[] {-0.2, 0.3}, new double[] {1.1, 0.7},
            new double[][] {{-1.2, 0.9}}, new double[] {-0.3});

    /** Three rows of two values each, as inputs of every head. */
    private static final double[][] V = {{1.0, 2.0}, {-1.0, 0.5}, {3.0, -2.0}};
    private static final double[][] Z = {{0.3, -1.2}, {2.0, 0.4}, {-0.7, 0.9}};

    /**
     * The stack step by step: h = W1 x + b1; BN a = γ (h − μ) / sqrt(σ² + eps) + β with the batch's mean and
     * biased variance (training) or the running ones; the activation (slope 0 is ReLU); y = W2 a + b2;
     * sigmoid if asked.
     * Fails unless some pre-activation is negative (otherwise the activation would not be tested).
     */
    private static double[][] reference(Stack s, double[][] x, boolean training, double slope, boolean sigmoid) {
        int n = x.length;
        double[][] h = new double[n][2];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < 2; j++) {
                h[r][j] = s.b1[j] + s.w1[j][0] * x[r][0] + s.w1[j][1] * x[r][1];
            }
        }
        double[] mean = s.runningMean.clone();
        double[] var = s.runningVar.clone();
        if (training) {
            for (int j = 0; j < 2; j++) {
                double sum = 0;
                for (double[] row : h) {
                    sum += row[j];
                }
                mean[j] = sum / n;
                double squares = 0;
                for (double[] row : h) {
                    squares += (row[j] - mean[j]) * (row[j] - mean[j]);
                }
                var[j] = squares / n;
            }
        }
        int negatives = 0;
        int out = s.w2.length;
        double[][] y = new double[n][out];
        for (int r = 0; r < n; r++) {
            double[] a = new double[2];
            for (int j = 0; j < 2; j++) {
                double normalised = s.gamma[j] * (h[r][j] - mean[j]) / Math.sqrt(var[j] + EPS) + s.beta[j];
                if (normalised < 0) {
                    negatives++;
                }
                a[j] = normalised >= 0 ? normalised : slope * normalised;
            }
            for (int k = 0; k < out; k++) {
                double v = s.b2[k] + s.w2[k][0] * a[0] + s.w2[k][1] * a[1];
                y[r][k] = sigmoid ? 1 / (1 + Math.exp(-v)) : v;
            }
        }
        assertTrue(negatives > 0, "no negative pre-activation: choose other inputs");
        return y;
    }

    private static float[] flat(double[][] rows) {
        float[] out = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            for (int k = 0; k < rows[r].length; k++) {
                out[r * rows[r].length + k] = (float) rows[r][k];
            }
        }
        return out;
    }

    private static void set(Map<String, Parameter> params, String name, double... values) {
        NDArray array = params.get(name).getArray();
        float[] f = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            f[i] = (float) values[i];
        }
        assertEquals(array.size(), f.length, name);
        array.set(new NDIndex("..."), array.getManager().create(f, array.getShape()));
    }

    private static void set(Map<String, Parameter> params, String prefix, Stack s) {
        set(params, prefix + ".0.weight", concat(s.w1));
        set(params, prefix + ".0.bias", s.b1);
        set(params, prefix + ".1.weight", s.gamma);
        set(params, prefix + ".1.bias", s.beta);
        set(params, prefix + ".1.running_mean", s.runningMean);
        set(params, prefix + ".1.running_var", s.runningVar);
        set(params, prefix + ".3.weight", concat(s.w2));
        set(params, prefix + ".3.bias", s.b2);
    }

    private static double[] concat(double[][] rows) {
        double[] out = new double[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * rows[r].length, rows[r].length);
        }
        return out;
    }

    /** A (1-class) heads block with the stacks above; every parameter is set (the count is checked). */
    private static ContrastiveHeads heads(NDManager m) {
        ContrastiveHeads heads = new ContrastiveHeads(2, 2, 1);
        heads.initialize(m, DataType.FLOAT32, new Shape(1, 2));
        Map<String, Parameter> params = ParameterNames.of(heads);
        assertEquals(4 * 8, params.size());
        set(params, "projection", PROJECTION);
        set(params, "prediction", PREDICTION);
        set(params, "pred_selectors.0", PRED_SELECTOR);
        set(params, "proj_selectors.0", PROJ_SELECTOR);
        return heads;
    }

    private static void check(boolean training) {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray v = m.create(flat(V), new Shape(3, 2));
            NDArray z = m.create(flat(Z), new Shape(3, 2));
            // a fresh block per call: a training forward moves the running statistics
            assertArrayEquals(flat(reference(PROJECTION, V, training, 0, false)),
                    heads(m).project(ps, v, training).toFloatArray(), TOLERANCE, "project");
            assertArrayEquals(flat(reference(PREDICTION, Z, training, 0, false)),
                    heads(m).predict(ps, z, training).toFloatArray(), TOLERANCE, "predict");
            assertArrayEquals(flat(reference(PRED_SELECTOR, Z, training, 0.2, true)),
                    heads(m).predictionScore(ps, 0, z, training).toFloatArray(), TOLERANCE, "predictionScore");
            assertArrayEquals(flat(reference(PROJ_SELECTOR, Z, training, 0.2, true)),
                    heads(m).projectionScore(ps, 0, z, training).toFloatArray(), TOLERANCE, "projectionScore");
            // as a block the heads project
            assertArrayEquals(flat(reference(PROJECTION, V, training, 0, false)),
                    heads(m).forward(ps, new NDList(v), training).singletonOrThrow().toFloatArray(), TOLERANCE);
        }
    }

    @Test
    void trainingModeUsesBatchStatistics() {
        check(true);
    }

    @Test
    void inferenceModeUsesRunningStatistics() {
        check(false);
    }

    /** torch's update: running = 0.9 running + 0.1 batch, with the unbiased variance (n − 1). */
    @Test
    void trainingForwardMovesRunningStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = heads(m);
            heads.project(new ParameterStore(m, false), m.create(flat(V), new Shape(3, 2)), true);
            Map<String, Parameter> params = ParameterNames.of(heads);
            double[] mean = new double[2];
            double[] var = new double[2];
            for (int j = 0; j < 2; j++) {
                double[] h = new double[3];
                for (int r = 0; r < 3; r++) {
                    h[r] = PROJECTION.b1[j] + PROJECTION.w1[j][0] * V[r][0] + PROJECTION.w1[j][1] * V[r][1];
                }
                double mu = (h[0] + h[1] + h[2]) / 3;
                double unbiased =
                        ((h[0] - mu) * (h[0] - mu) + (h[1] - mu) * (h[1] - mu) + (h[2] - mu) * (h[2] - mu)) / 2;
                mean[j] = 0.9 * PROJECTION.runningMean[j] + 0.1 * mu;
                var[j] = 0.9 * PROJECTION.runningVar[j] + 0.1 * unbiased;
            }
            assertArrayEquals(flat(new double[][] {mean}),
                    params.get("projection.1.running_mean").getArray().toFloatArray(), TOLERANCE);
            assertArrayEquals(flat(new double[][] {var}),
                    params.get("projection.1.running_var").getArray().toFloatArray(), 1e-5f);
            // the other stacks were not used
            assertArrayEquals(flat(new double[][] {PREDICTION.runningMean}),
                    params.get("prediction.1.running_mean").getArray().toFloatArray(), 0f);
        }
    }
}
