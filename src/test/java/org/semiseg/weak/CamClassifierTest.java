package org.semiseg.weak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The CAM classifier's loss and the CAMs' normalisation, computed by hand. */
class CamClassifierTest {
    /**
     * The multi-label loss (the authors' {@code F.multilabel_soft_margin_loss}): mean over images and outputs of
     * −t log σ(y) − (1 − t) log(1 − σ(y)). For y = [[0, 2], [−1, 3]] and t = [[1, 0], [0, 1]]: log 2 = 0.693147,
     * −log(1 − σ(2)) = 2.126928, −log(1 − σ(−1)) = 0.313262, −log σ(3) = 0.048587; mean 0.795481.
     */
    @Test
    void theLossIsTheMeanBinaryCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray y = m.create(new float[] {0, 2, -1, 3}, new Shape(2, 2));
            NDArray t = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            assertEquals(0.795481, CamClassifier.loss(y, t).getFloat(), 1e-5);
            NDArray large = m.create(new float[] {100, -100}, new Shape(1, 2));
            NDArray ones = m.create(new float[] {0, 1}, new Shape(1, 2));
            assertEquals(100.0, CamClassifier.loss(large, ones).getFloat(), 1e-3, "stable for large logits");
        }
    }

    /** Each map is divided by its maximum + 1e-5 (irn's make_cam.py); an all-zero map stays zero. */
    @Test
    void mapsAreNormalisedByTheirMaximum() {
        float[] map = CamClassifier.normalised(new float[] {0f, 2f, 4f});
        assertArrayEquals(new float[] {0f, 2f / (4f + 1e-5f), 4f / (4f + 1e-5f)}, map, 1e-7f);
        assertArrayEquals(new float[] {0f, 0f}, CamClassifier.normalised(new float[] {0f, 0f}));
    }
}
