package org.semiseg.method.pc2seg;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host draws of PC2Seg's contrast (Zhong et al., ICCV 2021, Sec. 3: z⁻_in ~ Discrete({z_j}; {p_ij}), N draws per
 * anchor; anchors a random subset of each image's pixels).
 */
class PixelDrawsTest {

    /**
     * The rows of {@link NegativeRuleTest}'s debiased rule: the draws follow p_i· = w_i· / Σ w_i·, never take a pixel
     * of weight 0 (the anchor's own one-hot class, the anchor, padding), and a row of zeros draws nothing.
     */
    @Test
    void negativesFollowTheNormalisedWeights() {
        float[] weights = {0, 0, 1, 0, 0, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0, 0, 0, 0, 0, 0, 0, 0};
        double[][] expected = {{0, 0, 2 / 3.0, 0, 0, 1 / 3.0}, {0.25, 0.25, 0.25, 0.25, 0, 0}};
        int count = 60_000;
        int[] drawn = PixelDraws.negatives(weights, 3, 6, count, new SplittableRandom(7));
        for (int r = 0; r < 2; r++) {
            int[] hits = new int[6];
            for (int k = 0; k < count; k++) {
                hits[drawn[r * count + k]]++;
            }
            for (int j = 0; j < 6; j++) {
                if (expected[r][j] == 0) {
                    assertEquals(0, hits[j], "row " + r + " never draws pixel " + j);
                } else {
                    // binomial standard deviation at most sqrt(0.25 / 60,000) = 0.002; 5 of them
                    assertEquals(expected[r][j], hits[j] / (double) count, 0.01, "row " + r + ", pixel " + j);
                }
            }
        }
        for (int k = 0; k < count; k++) {
            assertEquals(-1, drawn[2 * count + k], "a row without an allowed negative draws nothing");
        }
        assertArrayEquals(drawn, PixelDraws.negatives(weights, 3, 6, count, new SplittableRandom(7)),
                "the same generator state draws the same negatives");
    }

    /** Inverting the cumulative sum: the first index whose sum exceeds u; indices of weight 0 are skipped. */
    @Test
    void theInverseOfTheCumulativeSum() {
        double[] cumulative = {0, 0, 1, 1, 1.5};
        assertEquals(2, PixelDraws.firstAbove(cumulative, 0));
        assertEquals(2, PixelDraws.firstAbove(cumulative, 0.999));
        assertEquals(4, PixelDraws.firstAbove(cumulative, 1));
        assertEquals(4, PixelDraws.firstAbove(cumulative, 1.49));
    }

    /** Anchors: distinct valid pixels, up to perImage of every image, all of an image's valid pixels when fewer. */
    @Test
    void anchorsAreDistinctValidPixelsOfEachImage() {
        int perImage = 12;
        boolean[] valid = new boolean[3 * perImage];
        for (int j = 0; j < valid.length; j++) {
            valid[j] = j < perImage ? j % 3 != 0 : j < 2 * perImage || j == 2 * perImage + 5;
        }
        int[] anchors = PixelDraws.anchors(valid, 3, perImage, 5, new SplittableRandom(3));
        assertEquals(5 + 5 + 1, anchors.length, "image 2 has one valid pixel");
        assertEquals(2 * perImage + 5, anchors[10]);
        for (int a = 0; a < anchors.length; a++) {
            assertTrue(valid[anchors[a]], "anchor " + anchors[a] + " is valid");
            assertEquals(a < 5 ? 0 : a < 10 ? 1 : 2, anchors[a] / perImage, "image by image");
        }
        assertEquals(anchors.length, Arrays.stream(anchors).distinct().count(), "no pixel twice");
        assertArrayEquals(anchors, PixelDraws.anchors(valid, 3, perImage, 5, new SplittableRandom(3)));
        int[] all = PixelDraws.anchors(valid, 3, perImage, 100, new SplittableRandom(3));
        assertEquals(8 + 12 + 1, all.length, "every valid pixel when an image has fewer than perImage");
    }
}
