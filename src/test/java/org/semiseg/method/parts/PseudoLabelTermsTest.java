package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.semiseg.method.Batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Pseudo-labels (Eq. 5), the pixel-weighted L_pseudo term (Eq. 6) and entropy (Eq. 7) on arrays computed by hand. */
class PseudoLabelTermsTest {
    private static final int IGNORE = 255;

    @Test
    void eq7IsTheMeanEntropyOverValidPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (1, 2 classes, 1, 2): pixel 0 logits (0, 0) -> p = (1/2, 1/2), H = ln 2 = 0.693147;
            // pixel 1 logits (ln 3, 0) -> p = (3/4, 1/4), H = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.562335
            NDArray logP = m.create(new float[] {0f, (float) Math.log(3), 0f, 0f}, new Shape(1, 2, 1, 2)).logSoftmax(1);
            NDArray both = m.create(new boolean[] {true, true}, new Shape(1, 1, 2));
            NDArray first = m.create(new boolean[] {true, false}, new Shape(1, 1, 2));
            assertEquals((0.693147f + 0.562335f) / 2, Entropy.mean(logP, both).getFloat(), 1e-5f);
            assertEquals(0.693147f, Entropy.mean(logP, first).getFloat(), 1e-5f, "ignored pixels leave N too");
        }
    }

    @Test
    void eq5TakesArgmaxAndMaxProbabilityAndIgnoresPadding() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 3 pixels, 2 classes: logits (0, ln 3) -> class 1, p 3/4; (ln 4, 0) -> class 0, p 4/5; the third is padded
            float ln3 = (float) Math.log(3);
            float ln4 = (float) Math.log(4);
            NDArray logits = m.create(new float[] {0f, ln4, 0f, ln3, 0f, 0f}, new Shape(1, 2, 1, 3));
            NDArray padded = m.create(new boolean[] {false, false, true}, new Shape(1, 1, 3));
            PseudoLabels p = PseudoLabels.of(logits, new Batch.Padding(padded), IGNORE);
            assertArrayEquals(new long[] {1, 0, IGNORE}, p.labels().toLongArray());
            assertArrayEquals(new float[] {0.75f, 0.8f, 0f}, p.confidence().toFloatArray(), 1e-6f);
            assertEquals(0.5, p.confidentShare(0.77, IGNORE).getFloat(), 1e-12, "1 of the 2 labelled pixels is above 0.77");
        }
    }

    @Test
    void eq6WeighsPixelsByConfidenceToTheSAndClassesByAlpha() {
        try (NDManager m = NDManager.newBaseManager()) {
            // student logits: pixel 0 (0, 0) -> log p = (-ln 2, -ln 2); pixel 1 (ln 3, 0) -> p = (3/4, 1/4)
            NDArray logP = m.create(new float[] {0f, (float) Math.log(3), 0f, 0f}, new Shape(1, 2, 1, 2)).logSoftmax(1);
            // pseudo-labels 1 and 0 with confidences 0.5 and 0.9; s = 2 -> beta = 0.25 and 0.81; alpha = (1, 2)
            PseudoLabels target = new PseudoLabels(m.create(new long[] {1, 0}, new Shape(1, 1, 2)),
                    m.create(new float[] {0.5f, 0.9f}, new Shape(1, 1, 2)));
            NDArray alpha = m.create(new float[] {1f, 2f});
            // Eq. 3: -(1/N) sum alpha_y beta log p_y = (2 * 0.25 * ln 2 + 1 * 0.81 * -ln 0.75) / 2
            double expected = (2 * 0.25 * Math.log(2) + 0.81 * -Math.log(0.75)) / 2;
            assertEquals(expected, PseudoLabelLoss.of(logP, target, alpha, 2, IGNORE).getFloat(), 1e-6);
            // without alpha and with s = 0 every weight is 1: the plain mean cross-entropy
            double plain = (Math.log(2) - Math.log(0.75)) / 2;
            assertEquals(plain, PseudoLabelLoss.of(logP, target, null, 0, IGNORE).getFloat(), 1e-6);
            // an ignored pixel leaves the sum and N
            PseudoLabels one = new PseudoLabels(m.create(new long[] {1, IGNORE}, new Shape(1, 1, 2)),
                    m.create(new float[] {0.5f, 0f}, new Shape(1, 1, 2)));
            assertEquals(0.25 * Math.log(2), PseudoLabelLoss.of(logP, one, null, 2, IGNORE).getFloat(), 1e-6);
        }
    }

    @Test
    void pseudoLabelsFollowAViewAndAMix() {
        try (NDManager m = NDManager.newBaseManager()) {
            // a 1x3 weak view; the strong view is its mirror image: labels and confidences are mirrored too
            org.semiseg.augment.ViewGeometry weak = org.semiseg.augment.ViewGeometry.identity(1, 3);
            org.semiseg.augment.ViewGeometry mirror = new org.semiseg.augment.ViewGeometry(1, 3, 1, 3, 0, 0, 1, 3, true);
            ViewMap map = ViewMap.between(new org.semiseg.augment.ViewGeometry[] {weak},
                    new org.semiseg.augment.ViewGeometry[] {mirror}, m);
            PseudoLabels p = new PseudoLabels(m.create(new long[] {0, 1, 2}, new Shape(1, 1, 3)),
                    m.create(new float[] {0.1f, 0.2f, 0.3f}, new Shape(1, 1, 3)));
            PseudoLabels followed = p.follow(map, IGNORE);
            assertArrayEquals(new long[] {2, 1, 0}, followed.labels().toLongArray());
            assertArrayEquals(new float[] {0.3f, 0.2f, 0.1f}, followed.confidence().toFloatArray());
            NDArray mask = m.create(new float[] {1, 0, 0}, new Shape(1, 1, 1, 3)).toType(DataType.FLOAT32, false);
            Mix self = Mix.of(mask, new int[] {0}, new int[] {0});
            assertArrayEquals(new long[] {2, 1, 0}, followed.mix(self).labels().toLongArray(), "a self-mix changes nothing");
        }
    }
}
