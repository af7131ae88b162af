package org.semiseg.weak;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The confident positions of CCT's weak labels (Ouali et al., CVPR 2020, "Using image-level labels", step 3; the
 * authors' thresholds 0.30 and 0.05, {@code pseudo_labels/run.py}) on hand-made activation maps.
 */
class CamThresholdsTest {
    private static final int IGNORE = 255;

    /**
     * Two tags, classes 2 and 4, background class 0, six pixels:
     * <pre>
     * pixel      0     1     2     3     4     5
     * CAM(2)   0.90  0.31  0.30  0.04  0.20  0.00
     * CAM(4)   0.10  0.60  0.29  0.01  0.04  0.05
     * </pre>
     * 0: class 2 exceeds 0.30 → 2. 1: both exceed 0.30, class 4 is stronger → 4. 2: 0.30 does not exceed 0.30, and
     * not every CAM is below 0.05 → ignored. 3: every CAM below 0.05 → background. 4: 0.20 is neither → ignored. 5: a
     * CAM of exactly 0.05 is not below 0.05 → ignored.
     */
    @Test
    void foregroundAboveThirtyBackgroundBelowFiveIgnoredBetween() {
        List<float[]> cams = List.of(new float[] {0.90f, 0.31f, 0.30f, 0.04f, 0.20f, 0.00f},
                new float[] {0.10f, 0.60f, 0.29f, 0.01f, 0.04f, 0.05f});
        int[] mask = CamThresholds.pseudoMask(cams, List.of(2, 4), 6, 0.30, 0.05, 0, IGNORE);
        assertArrayEquals(new int[] {2, 4, IGNORE, 0, IGNORE, IGNORE}, mask);
        CamThresholds.LabelMaps maps = CamThresholds.labelMaps(cams, 6, 0.30, 0.05);
        assertArrayEquals(new int[] {1, 2, 0, 0, 0, 0}, maps.foreground(), "1-based positions among the tags");
        assertArrayEquals(new int[] {1, 2, 1, 0, 1, 2}, maps.background(), "0 only where every CAM is below 0.05");
    }

    /** Without a background class (CamVid), the pixels no CAM claims are ignored, not given a class. */
    @Test
    void withoutABackgroundClassLowPixelsAreIgnored() {
        List<float[]> cams = List.of(new float[] {0.9f, 0.0f});
        assertArrayEquals(new int[] {3, IGNORE}, CamThresholds.pseudoMask(cams, List.of(3), 2, 0.30, 0.05, -1, IGNORE));
    }

    /** An image whose only tag is the background has no CAM: every pixel is background. */
    @Test
    void anImageWithoutTagsIsAllBackground() {
        assertArrayEquals(new int[] {0, 0, 0}, CamThresholds.pseudoMask(List.of(), List.of(), 3, 0.30, 0.05, 0, IGNORE));
    }

    /** Other thresholds are keys: at 0.5 / 0.2 the same maps give other masks. */
    @Test
    void theThresholdsAreParameters() {
        List<float[]> cams = List.of(new float[] {0.45f, 0.15f, 0.55f});
        assertArrayEquals(new int[] {IGNORE, 0, 1}, CamThresholds.pseudoMask(cams, List.of(1), 3, 0.5, 0.2, 0, IGNORE));
    }
}
