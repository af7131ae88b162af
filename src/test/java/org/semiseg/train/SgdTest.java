package org.semiseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SgdTest {
    private static void backwardOfDot(NDManager manager, NDArray w, float[] c) {
        try (NDManager step = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(w.mul(step.create(c)).sum()); // d/dw of c·w is c
        }
    }

    @Test
    void followsTorchRuleAcrossLearningRateChanges() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1, 2});
            w.setRequiresGradient(true);
            Sgd sgd = new Sgd(List.of(new Sgd.Group(Map.of("w", w), 1.0)), 0.9, 0.1, manager);
            // step 1, lr 0.1: d = (1, 1) + 0.1 (1, 2) = (1.1, 1.2); buf = d; w = (1, 2) - 0.1 d = (0.89, 1.88)
            backwardOfDot(manager, w, new float[] {1, 1});
            sgd.step(0.1);
            assertArrayEquals(new float[] {0.89f, 1.88f}, w.toFloatArray(), 1e-6f);
            // step 2, lr 0.05: d = (1.089, 1.188); buf = 0.9 (1.1, 1.2) + d = (2.079, 2.268);
            // w = (0.89, 1.88) - 0.05 buf = (0.78605, 1.7666)
            backwardOfDot(manager, w, new float[] {1, 1});
            sgd.step(0.05);
            assertArrayEquals(new float[] {0.78605f, 1.7666f}, w.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {2.079f, 2.268f}, sgd.state().get(0).toFloatArray(), 1e-6f);
            try (NDArray g = w.getGradient()) {
                assertArrayEquals(new float[] {0, 0}, g.toFloatArray(), "gradients are zeroed after the update");
            }
        }
    }

    @Test
    void allocatedGradientsAreZerosAndLeaveTheUpdateAsItWas() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1, 2});
            NDArray b = manager.create(new float[][] {{3}, {4}, {5}});
            w.setRequiresGradient(true);
            b.setRequiresGradient(true);
            Sgd sgd = new Sgd(List.of(new Sgd.Group(Map.of("w", w), 1.0), new Sgd.Group(Map.of("b", b), 10.0)), 0.9,
                    0.1, manager);
            sgd.allocateGradients();
            try (NDArray gw = w.getGradient(); NDArray gb = b.getGradient()) {
                assertArrayEquals(new float[] {0, 0}, gw.toFloatArray());
                assertEquals(b.getShape(), gb.getShape());
                assertArrayEquals(new float[] {0, 0, 0}, gb.toFloatArray());
            }
            assertArrayEquals(new float[] {1, 2}, w.toFloatArray(), "the weights are untouched");
            assertArrayEquals(new float[] {3, 4, 5}, b.toFloatArray());
            // the first step as in followsTorchRuleAcrossLearningRateChanges: w = (0.89, 1.88)
            backwardOfDot(manager, w, new float[] {1, 1});
            try (NDManager step = manager.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(b.sum()); // d/db = 1
            }
            sgd.step(0.1);
            assertArrayEquals(new float[] {0.89f, 1.88f}, w.toFloatArray(), 1e-6f);
            // b: d = 1 + 0.1 b = (1.3, 1.4, 1.5); b -= (0.1 * 10) d = (1.7, 2.6, 3.5)
            assertArrayEquals(new float[] {1.7f, 2.6f, 3.5f}, b.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void groupMultiplierScalesTheLearningRate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1});
            w.setRequiresGradient(true);
            Sgd sgd = new Sgd(List.of(new Sgd.Group(Map.of("head", w), 10.0)), 0.0, 0.0, manager);
            backwardOfDot(manager, w, new float[] {2});
            sgd.step(0.01); // w = 1 - (0.01 * 10) * 2 = 0.8
            assertEquals(0.8f, w.getFloat(), 1e-6f);
        }
    }

    @Test
    void polyScheduleDecaysToZero() {
        PolyLr lr = new PolyLr(0.01, 100, 0.9);
        assertEquals(0.01, lr.at(0), 1e-12);
        assertEquals(0.01 * Math.pow(0.5, 0.9), lr.at(50), 1e-12);
        assertEquals(0.0, new PolyLr(0.01, 100, 0.9).at(100), 1e-12);
    }
}
