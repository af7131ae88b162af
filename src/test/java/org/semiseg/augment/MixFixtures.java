package org.semiseg.augment;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batches whose values name their origin, and the provenance check shared by the mix tests. */
final class MixFixtures {
    private MixFixtures() {
    }

    /** Image value of batch item i, channel c, pixel p. */
    static float code(int i, int c, int p) {
        return i * 100_000f + c * 10_000f + p;
    }

    /**
     * Labels in rectangular blobs (so classes form regions), a random subset of {@code classes} per image, and some
     * ignore pixels; confidence i + p / 10000.
     */
    static MixBatch batch(int n, int h, int w, int classes, int ignore, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int plane = h * w;
        float[] images = new float[n * 3 * plane];
        int[] labels = new int[n * plane];
        float[] confidence = new float[n * plane];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < plane; p++) {
                    images[(i * 3 + c) * plane + p] = code(i, c, p);
                }
            }
            int blobs = 1 + rng.nextInt(6);
            int[] blobClass = new int[blobs];
            for (int b = 0; b < blobs; b++) {
                blobClass[b] = rng.nextInt(5) == 0 ? ignore : rng.nextInt(classes);
            }
            for (int p = 0; p < plane; p++) {
                int y = p / w;
                labels[i * plane + p] = blobClass[(y * blobs) / h];
                confidence[i * plane + p] = i + p / 10_000f;
            }
            // A few stray ignore pixels.
            for (int k = 0; k < plane / 20; k++) {
                labels[i * plane + rng.nextInt(plane)] = ignore;
            }
        }
        return new MixBatch(images, labels, confidence, n, 3, h, w);
    }

    /** Every output value comes from the image its mask names, at the same pixel. */
    static void assertProvenance(MixBatch in, Mixed mixed) {
        MixBatch out = mixed.out();
        int plane = in.h() * in.w();
        assertEquals(in.n(), out.n());
        for (int i = 0; i < in.n(); i++) {
            for (int p = 0; p < plane; p++) {
                byte m = mixed.masks()[i * plane + p];
                assertTrue(m == 0 || m == 1);
                int from = m == 1 ? mixed.sourceIndex()[i] : mixed.targetIndex()[i];
                for (int c = 0; c < in.channels(); c++) {
                    assertEquals(in.images()[(from * in.channels() + c) * plane + p],
                            out.images()[(i * in.channels() + c) * plane + p]);
                }
                if (in.labels() != null) {
                    assertEquals(in.labels()[from * plane + p], out.labels()[i * plane + p]);
                }
                if (in.confidence() != null) {
                    assertEquals(in.confidence()[from * plane + p], out.confidence()[i * plane + p]);
                }
            }
        }
    }
}
