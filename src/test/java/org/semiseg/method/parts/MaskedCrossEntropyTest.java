package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * UniMatch's unsupervised term (Yang et al., CVPR 2023, Sec. 3.1; normalisation of their {@code unimatch.py}) on
 * values computed by hand: the cross-entropy of the confident pixels, summed, over the count of non-padded pixels.
 */
class MaskedCrossEntropyTest {
    private static final int IGNORE = 255;

    /**
     * Three pixels, two classes. p0: logits (0, 0), label 0, confidence 0.96: CE ln 2. p1: logits (ln 3, 0), so
     * p = (3/4, 1/4), label 1, confidence 0.5: CE ln 4. p2: padded (ignore, confidence 0).
     */
    @Test
    void confidentPixelsOverNonPaddedPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0, (float) Math.log(3), IGNORE_LOGIT, 0, 0, 0}, new Shape(1, 2, 1, 3));
            PseudoLabels target = new PseudoLabels(m.create(new long[] {0, 1, IGNORE}, new Shape(1, 1, 3)),
                    m.create(new float[] {0.96f, 0.5f, 0f}, new Shape(1, 1, 3)));
            // tau 0.95: only p0, divided by the 2 non-padded pixels
            assertEquals(Math.log(2) / 2, MaskedCrossEntropy.of(logits, target, 0.95, IGNORE, null).getFloat(), 1e-6);
            // tau 0.5 keeps p1 too (confidence >= tau): (ln 2 + ln 4) / 2
            assertEquals((Math.log(2) + Math.log(4)) / 2, MaskedCrossEntropy.of(logits, target, 0.5, IGNORE, null).getFloat(), 1e-6);
            // tau above every confidence: 0, not a mean over an empty set
            assertEquals(0, MaskedCrossEntropy.of(logits, target, 0.99, IGNORE, null).getFloat(), 0);
            // every pixel padded: 0
            PseudoLabels padded = new PseudoLabels(m.full(new Shape(1, 1, 3), IGNORE, DataType.INT64), m.zeros(new Shape(1, 1, 3)));
            assertEquals(0, MaskedCrossEntropy.of(logits, padded, 0, IGNORE, null).getFloat(), 0);
        }
    }

    /**
     * balance_unlabeled: each kept pixel's term times α of its pseudo-label's class (Alonso et al. Eq. 3 carried to
     * L_u), the denominator still every non-padded pixel. The pixels above, α = (2, 3).
     */
    @Test
    void classWeightsScaleTheKeptTermsOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.create(new float[] {0, (float) Math.log(3), IGNORE_LOGIT, 0, 0, 0}, new Shape(1, 2, 1, 3));
            PseudoLabels target = new PseudoLabels(m.create(new long[] {0, 1, IGNORE}, new Shape(1, 1, 3)),
                    m.create(new float[] {0.96f, 0.5f, 0f}, new Shape(1, 1, 3)));
            NDArray alpha = m.create(new float[] {2, 3});
            // tau 0.95: 2 ln 2 over the 2 non-padded pixels
            assertEquals(2 * Math.log(2) / 2, MaskedCrossEntropy.of(logits, target, 0.95, IGNORE, alpha).getFloat(), 1e-6);
            // tau 0.5: (2 ln 2 + 3 ln 4) / 2
            assertEquals((2 * Math.log(2) + 3 * Math.log(4)) / 2,
                    MaskedCrossEntropy.of(logits, target, 0.5, IGNORE, alpha).getFloat(), 1e-6);
            // null: the authors' unweighted term
            assertEquals((Math.log(2) + Math.log(4)) / 2,
                    MaskedCrossEntropy.of(logits, target, 0.5, IGNORE, null).getFloat(), 1e-6);
        }
    }

    /** Any finite logit for the padded pixel: it must not count. */
    private static final float IGNORE_LOGIT = 7f;
}
