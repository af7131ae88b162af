package org.semiseg.method.u2pl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The term of one anchor of U2PL's L_c (Wang et al., CVPR 2022, Eq. 3) on two-dimensional vectors, by hand. */
class InfoNceTest {

    @Test
    void eachAnchorIsACrossEntropyWithThePositiveFirst() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray anchors = m.create(new float[] {1, 0, 0, 2}, new Shape(2, 2));
            NDArray positives = m.create(new float[] {3, 0, 1, 1}, new Shape(2, 2));
            NDArray negatives = m.create(new float[] {0, 1, -1, 0, 0, -1, 5, 0}, new Shape(2, 2, 2));
            float[] loss = InfoNce.perAnchor(anchors, positives, negatives, 0.5).toFloatArray();
            // anchor 0: cosines 1 (positive), 0 and -1; over tau 0.5: 2, 0, -2
            assertEquals(-Math.log(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-2))), loss[0], 1e-5);
            // anchor 1 = (0, 1): positive (1, 1) at cosine 1/sqrt 2; negatives -1 and 0
            double s = Math.sqrt(2);
            assertEquals(-Math.log(Math.exp(s) / (Math.exp(s) + Math.exp(-2) + 1)), loss[1], 1e-5);
        }
    }

    /** A zero representation has cosine 0 with everything: log(1 + K), and a finite (zero) gradient. */
    @Test
    void aZeroAnchorGivesLogOnePlusKAndAFiniteGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray anchors = m.zeros(new Shape(1, 3));
            anchors.setRequiresGradient(true);
            NDArray positives = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray negatives = m.create(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1}, new Shape(1, 4, 3));
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray loss = InfoNce.perAnchor(anchors, positives, negatives, 0.5).sum();
                assertEquals(Math.log(5), loss.getFloat(), 1e-6);
                c.backward(loss);
            }
            for (float g : anchors.getGradient().toFloatArray()) {
                assertTrue(Float.isFinite(g), "gradient " + g);
            }
        }
    }
}
