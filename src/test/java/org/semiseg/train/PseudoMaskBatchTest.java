package org.semiseg.train;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.HostBatch;
import org.semiseg.data.Sample;
import org.semiseg.data.UnlabeledViews;
import org.semiseg.method.Batch;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The tagged images' pseudo-masks travel through the unlabeled loader in the weak view's mask (one geometric
 * transform for both) and come apart in the step's batch: {@link Batch.Unlabeled#weakLabels()} and the padding.
 */
class PseudoMaskBatchTest {
    private static final int IGNORE = 255;
    private static final int SIDE = 8;

    /** Pixel i of the tagged image: ignored where i % 3 == 0, else class i % 3. */
    private static int[] pseudo() {
        int[] mask = new int[SIDE * SIDE];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = i % 3 == 0 ? IGNORE : i % 3;
        }
        return mask;
    }

    private static int count(int[] values, int value) {
        int n = 0;
        for (int v : values) {
            n += v == value ? 1 : 0;
        }
        return n;
    }

    @Test
    void pseudoMasksFollowTheCropAndComeApartFromThePadding() {
        // an 8x8 image cropped to 8x9: one column of padding
        UnlabeledViews views = TrainAugment.unlabeled(ConfigLoader.load(null, List.of("augment.crop=[8, 9]")).augment(),
                AugmentPreset.NONE, IGNORE, 1, true, s -> s.id().equals("tagged") ? pseudo() : null);
        float[] pixels = new float[3 * SIDE * SIDE];
        int[] a = views.geometric().apply(new Sample("tagged", pixels, null, SIDE, SIDE), new SplittableRandom(1)).sample().mask();
        int[] b = views.geometric().apply(new Sample("untagged", pixels, null, SIDE, SIDE), new SplittableRandom(1)).sample().mask();
        int ignored = count(pseudo(), IGNORE);
        assertEquals(SIDE, count(a, IGNORE), "the ignore index marks the padding only");
        assertEquals(ignored, count(a, TrainAugment.NO_WEAK_LABEL), "pixels the pseudo-mask leaves out");
        assertEquals(count(pseudo(), 1), count(a, 1));
        assertEquals(count(pseudo(), 2), count(a, 2));
        assertEquals(SIDE * SIDE, count(b, TrainAugment.NO_WEAK_LABEL), "an untagged image has no label anywhere");
        int plane = SIDE * (SIDE + 1);
        int[] masks = new int[2 * plane];
        System.arraycopy(a, 0, masks, 0, plane);
        System.arraycopy(b, 0, masks, plane, plane);
        HostBatch host = new HostBatch(new float[2 * 3 * plane], new float[][] {new float[2 * 3 * plane]}, masks,
                new String[] {"tagged", "untagged"}, 2, SIDE, SIDE + 1);
        try (NDManager m = NDManager.newBaseManager()) {
            Batch.Unlabeled u = StepBatches.of(m, host, host, null, IGNORE, true).unlabeled();
            long[] weak = u.weakLabels().toLongArray();
            boolean[] padded = u.padding().padded().toBooleanArray();
            for (int i = 0; i < masks.length; i++) {
                assertEquals(masks[i] >= 0 && masks[i] != IGNORE ? masks[i] : IGNORE, weak[i], "pixel " + i);
                assertEquals(masks[i] == IGNORE, padded[i], "pixel " + i + ": padding only");
            }
            assertNull(StepBatches.of(m, host, host, null, IGNORE, false).unlabeled().weakLabels());
        }
    }
}
