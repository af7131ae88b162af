package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CutMixedViews#losses}: each strong view's term reads its own rows of the stacked logits and its own mixed
 * targets, and a pasted padded region leaves the denominator (UniMatch's {@code ignore_mask_cutmixed},
 * {@code unimatch.py}; Yang et al., CVPR 2023, Sec. 3.1 and 3.3). Values by hand.
 */
class CutMixedViewsTest {
    private static final int IGNORE = 255;

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    /**
     * Two images of 1 x 2 pixels, two classes. The weak view's pseudo-labels: image 0 labels (0, 1) with confidences
     * (0.5, 0.99); image 1 labels (1, padded), confidences (0.99, 0). View 1 pastes image 1's pixel 1 (padded) onto
     * image 0's pixel 1; view 2 is not mixed. Each row's logits are (d, 0) per pixel, so CE is softplus(−d) for label
     * 0 and softplus(d) for label 1; the rows' d are 1..8 in order, view 1 rows 0-1 and view 2 rows 2-3. With τ 0.95:
     * <ul>
     *   <li>view 1: image 0 pixel 0 is below τ and pixel 1 is now padded; image 1 pixel 0 counts (d 3, label 1) and
     *       pixel 1 is padded: softplus(3) over 2 non-padded pixels;</li>
     *   <li>view 2: image 0 pixel 0 below τ but non-padded, pixel 1 (d 6, label 1), image 1 pixel 0 (d 7, label 1):
     *       (softplus(6) + softplus(7)) over 3 non-padded pixels.</li>
     * </ul>
     */
    @Test
    void eachViewReadsItsRowsAndItsMixedTargets() {
        try (NDManager m = NDManager.newBaseManager()) {
            PseudoLabels weak = new PseudoLabels(m.create(new long[] {0, 1, 1, IGNORE}, new Shape(2, 1, 2)),
                    m.create(new float[] {0.5f, 0.99f, 0.99f, 0f}, new Shape(2, 1, 2)));
            Mix pasted = Mix.of(m.create(new float[] {0, 1, 0, 0}, new Shape(2, 1, 1, 2)), new int[] {1, 0},
                    new int[] {0, 1});
            Mix none = Mix.none(m, 2, 1, 2);
            PseudoLabels first = weak.mix(pasted);
            assertArrayEquals(new long[] {0, IGNORE, 1, IGNORE}, first.labels().toLongArray());
            assertArrayEquals(new float[] {0.5f, 0f, 0.99f, 0f}, first.confidence().toFloatArray());
            CutMixedViews views = new CutMixedViews(m.zeros(new Shape(4, 3, 1, 2)), List.of(first, weak.mix(none)));

            // logits (4, 2, 1, 2): row r, class 0 = (2r + 1, 2r + 2), class 1 = 0
            float[] v = new float[16];
            for (int r = 0; r < 4; r++) {
                v[r * 4] = 2 * r + 1;
                v[r * 4 + 1] = 2 * r + 2;
            }
            List<NDArray> losses = views.losses(m.create(v, new Shape(4, 2, 1, 2)), 0.95, IGNORE, null);
            assertEquals(2, losses.size());
            assertEquals(softplus(3) / 2, losses.get(0).getFloat(), 1e-5);
            assertEquals((softplus(6) + softplus(7)) / 3, losses.get(1).getFloat(), 1e-5);
        }
    }
}
