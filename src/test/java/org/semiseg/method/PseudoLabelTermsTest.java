package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.semiseg.augment.ClassMix;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The entropy term (Eq. 7) and the device-side ClassMix on small arrays computed by hand. */
class PseudoLabelTermsTest {
    @Test
    void eq7IsTheMeanEntropyOverValidPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            // (1, 2 classes, 1, 2): pixel 0 logits (0, 0) -> p = (1/2, 1/2), H = ln 2 = 0.693147;
            // pixel 1 logits (ln 3, 0) -> p = (3/4, 1/4), H = -(3/4 ln 3/4 + 1/4 ln 1/4) = 0.562335
            NDArray logits = m.create(new float[] {0f, (float) Math.log(3), 0f, 0f}, new Shape(1, 2, 1, 2));
            NDArray both = m.create(new boolean[] {true, true}, new Shape(1, 1, 2));
            NDArray first = m.create(new boolean[] {true, false}, new Shape(1, 1, 2));
            assertEquals((0.693147f + 0.562335f) / 2, MeanTeacher.entropy(logits, both).getFloat(), 1e-5f);
            assertEquals(0.693147f, MeanTeacher.entropy(logits, first).getFloat(), 1e-5f, "ignored pixels leave N too");
        }
    }

    @Test
    void deviceMixPastesTheSourceWhereTheMaskIsOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            // two 1-channel 1x2 images: a = (1, 2), b = (3, 4); output 0 pastes b's second pixel, output 1 a's first
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(2, 1, 1, 2));
            ClassMix.Choice choice = new ClassMix.Choice(new byte[] {0, 1, 1, 0}, new int[] {1, 0}, new int[] {0, 1});
            assertArrayEquals(new float[] {1, 4, 1, 4}, DeviceMix.images(m, x, choice).toFloatArray());
            assertArrayEquals(new int[] {10, 21, 10, 21}, DeviceMix.labels(new int[] {10, 11, 20, 21}, choice));
            assertArrayEquals(new float[] {.1f, .4f, .1f, .4f}, DeviceMix.values(new float[] {.1f, .2f, .3f, .4f}, choice));
            ClassMix.Choice none = new ClassMix.Choice(new byte[4], new int[] {0, 1}, new int[] {0, 1});
            assertSame(x, DeviceMix.images(m, x, none), "nothing pasted: the batch as it is");
        }
    }
}
