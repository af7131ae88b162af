package org.semiseg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Eq. 3 on three pixels computed by hand. */
class WeightedCrossEntropyTest {
    private static final double LN2 = Math.log(2);
    private NDManager manager;
    private NDArray logits;
    private NDArray labels;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        // One image, 2 classes, 1x3 pixels. Pixel 0: logits (0, 0) -> p = (1/2, 1/2), label 0.
        // Pixel 1: logits (ln 3, 0) -> p = (3/4, 1/4), label 1. Pixel 2: label 255 (ignored).
        float ln3 = (float) Math.log(3);
        logits = manager.create(new float[] {0, ln3, 5, 0, 0, -5}, new Shape(1, 2, 1, 3));
        labels = manager.create(new long[] {0, 1, 255}, new Shape(1, 1, 3));
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void unweightedIsMeanOverValidPixels() {
        // (-ln 1/2 - ln 1/4) / 2 = (ln2 + 2 ln2) / 2 = 1.5 ln2
        double loss = WeightedCrossEntropy.hard(logits, labels, 255, null, null).getFloat();
        assertEquals(1.5 * LN2, loss, 1e-6);
    }

    @Test
    void classWeightsMultiplyEachPixelByItsLabelsWeight() {
        // alpha = (1, 3): (1 * ln2 + 3 * 2 ln2) / 2 = 3.5 ln2 (divided by N = 2, not by the weight sum)
        NDArray alpha = manager.create(new float[] {1, 3});
        assertEquals(3.5 * LN2, WeightedCrossEntropy.hard(logits, labels, 255, alpha, null).getFloat(), 1e-6);
    }

    @Test
    void pixelWeightsMultiplyEachPixel() {
        // beta = (0.5, 1, 7): (0.5 ln2 + 2 ln2) / 2 = 1.25 ln2; the ignored pixel's weight plays no part
        NDArray beta = manager.create(new float[] {0.5f, 1, 7}, new Shape(1, 1, 3));
        assertEquals(1.25 * LN2, WeightedCrossEntropy.hard(logits, labels, 255, null, beta).getFloat(), 1e-6);
    }

    @Test
    void softTargetsFollowTheSameEquation() {
        // Only the first two pixels: pixel 0 target (1/2, 1/2): ln2; pixel 1 target (1, 0): -ln(3/4).
        NDArray twoLogits = logits.get(":, :, :, 0:2");
        NDArray target = manager.create(new float[] {0.5f, 1, 0.5f, 0}, new Shape(1, 2, 1, 2));
        double expected = (LN2 - Math.log(0.75)) / 2;
        assertEquals(expected, WeightedCrossEntropy.soft(twoLogits, target, null, null).getFloat(), 1e-6);
        // alpha = (2, 1), beta = (1, 0.5): pixel 0: 2*0.5*ln2 + 1*0.5*ln2 = 1.5 ln2; pixel 1: 0.5 * 2 * -ln(3/4)
        NDArray alpha = manager.create(new float[] {2, 1});
        NDArray beta = manager.create(new float[] {1, 0.5f}, new Shape(1, 1, 2));
        double weighted = (1.5 * LN2 + 0.5 * 2 * -Math.log(0.75)) / 2;
        assertEquals(weighted, WeightedCrossEntropy.soft(twoLogits, target, alpha, beta).getFloat(), 1e-6);
    }
}
