package org.semiseg.augment;

import org.junit.jupiter.api.Test;
import org.semiseg.data.BatchLoader;
import org.semiseg.data.Sample;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** One shared transform used from several threads gives what it gives sequentially. */
class ConcurrencyTest {
    @Test
    void sharedTransformIsThreadSafe() throws Exception {
        Sample s = Fixtures.sample("a", 24, 32, 5, 1);
        BatchLoader.Transform t = Augmentations.full(AugmentPreset.STRONG, 20, 20, Fixtures.IGNORE);
        int jobs = 32;
        List<Sample> expected = new ArrayList<>();
        for (int k = 0; k < jobs; k++) {
            expected.add(t.apply(s, new SplittableRandom(k)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Sample>> futures = new ArrayList<>();
            for (int k = 0; k < jobs; k++) {
                long seed = k;
                futures.add(pool.submit(() -> t.apply(s, new SplittableRandom(seed))));
            }
            for (int k = 0; k < jobs; k++) {
                Sample got = futures.get(k).get();
                assertArrayEquals(expected.get(k).image(), got.image());
                assertArrayEquals(expected.get(k).mask(), got.mask());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
