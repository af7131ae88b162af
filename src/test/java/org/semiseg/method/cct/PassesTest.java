package org.semiseg.method.cct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** How CCT's auxiliary decoders are cut into passes ({@link Passes}). */
class PassesTest {

    /**
     * Decoders per pass: 30 MiB over N·C·(s·h)·(s·w) float32 logits before the resize, at most K; all K when one
     * decoder alone passes the budget.
     */
    @Test
    void aPassKeepsItsLogitsUnderTheMmapThreshold() {
        // the CamVid grid: 90x120 at stride 8 gives 12x15 features, logits 96x120: 4,055,040 B a decoder, 7.76 fit
        assertEquals(7, Passes.chunk(8, 11, 96, 120, 30, Passes.CHUNK_BYTES));
        // configs/camvid.yaml's 176x240 crops: 14,868,480 B a decoder, 2.1 fit
        assertEquals(2, Passes.chunk(8, 11, 176, 240, 30, Passes.CHUNK_BYTES));
        // the demo: 786,432 B a decoder, 40 fit, K = 30 caps it
        assertEquals(30, Passes.chunk(8, 6, 64, 64, 30, Passes.CHUNK_BYTES));
        // 512x512: 92,274,688 B a decoder, over the budget alone: one pass of all 30
        assertEquals(30, Passes.chunk(8, 11, 512, 512, 30, Passes.CHUNK_BYTES));
        // 384 B a decoder, a budget of 1,157 B: 3 fit
        assertEquals(3, Passes.chunk(2, 3, 4, 4, 7, 3 * 384 + 5));
    }

    /** K = 3 decoders of F = 2 channels each, 2 a pass: channels [0, 4) and [4, 6); one pass returns the input. */
    @Test
    void splitCutsWholeDecodersAndTheLastPassIsShorter() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray input = m.arange(12f).reshape(new Shape(2, 6, 1, 1));   // (N=2, K·F=6, 1, 1), value = n·6 + c
            NDList passes = Passes.splitChannels(input, 3, 2);
            assertEquals(2, passes.size());
            assertArrayEquals(new float[] {0, 1, 2, 3, 6, 7, 8, 9}, passes.get(0).toFloatArray());
            assertArrayEquals(new float[] {4, 5, 10, 11}, passes.get(1).toFloatArray());
            assertSame(input, Passes.splitChannels(input, 3, 3).singletonOrThrow());
        }
    }
}
