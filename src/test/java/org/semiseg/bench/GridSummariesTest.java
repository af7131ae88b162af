package org.semiseg.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A grid's rows computed from runs, on numbers worked out by hand. */
class GridSummariesTest {
    private static GridResults.Run run(String method, String ratio, long seed, String status, double testMiou) {
        return run(method, null, ratio, seed, status, testMiou);
    }

    private static GridResults.Run run(String method, String tag, String ratio, long seed, String status, double testMiou) {
        String name = method + (tag == null ? "" : "@" + tag) + "-" + ratio.replace('/', '_') + "-s" + seed;
        return new GridResults.Run(name, name, method, tag, GridSpec.Cell.label(method, tag), ratio, seed, status, 10, 100,
                status.equals("finished") ? 100 : 50, 100, testMiou, status.equals("finished") ? testMiou : null,
                List.of(), 60.0, 1.0, 100.0, null, null, 5, null, null, null);
    }

    /**
     * "Gap closed" uses the gap on the splits the gain is paired on. Supervised on every label 0.50; supervised 1/2 on
     * splits 1-3: 0.30, 0.40, 0.20; classmix finished on splits 1 and 2 (0.35, 0.43), split 3 still training.
     * Gains +0.05 and +0.03: mean 0.04. Supervised 1/2 on those splits: (0.30 + 0.40) / 2 = 0.35, so the gap is
     * 0.50 − 0.35 = 0.15 and the share 0.04 / 0.15 = 0.26667. (Over all three supervised splits the gap would be
     * 0.50 − 0.30 = 0.20 and the share 0.20: a gain from two splits over a gap from three.)
     */
    @Test
    void gapClosedIsOnTheSplitsTheGainIsPairedOn() {
        List<GridResults.Run> runs = new ArrayList<>();
        runs.add(run("supervised", "all", 1, "finished", 0.50));
        double[] sup = {0.30, 0.40, 0.20};
        for (int s = 0; s < 3; s++) {
            runs.add(run("supervised", "1/2", s + 1, "finished", sup[s]));
        }
        runs.add(run("classmix", "1/2", 1, "finished", 0.35));
        runs.add(run("classmix", "1/2", 2, "finished", 0.43));
        runs.add(run("classmix", "1/2", 3, "partial", 0.0));

        GridSummaries.Summary cm = GridSummaries.of(runs).stream()
                .filter(s -> s.method().equals("classmix")).findFirst().orElseThrow();
        assertEquals(2, cm.gainSeeds());
        assertEquals(0.04, cm.gainMean(), 1e-12);
        assertEquals(0.15, cm.gap(), 1e-12);
        assertEquals(0.04 / 0.15, cm.gapShare(), 1e-12);
        assertEquals(0.39, cm.testMiouMean(), 1e-12); // the unfinished split counts nowhere

        GridSummaries.Summary plain = GridSummaries.of(runs).stream()
                .filter(s -> s.method().equals("supervised") && s.ratio().equals("1/2")).findFirst().orElseThrow();
        assertNull(plain.gap()); // supervised is the baseline, not a row with a gain
    }

    /**
     * A row on every label has a gain over supervised on every label but no gap to close: supervised on every label
     * is the upper bound itself (0.50 and 0.52 on two seeds; the variant 0.53 on seed 1 only: gain +0.03, no gap,
     * where an average over other seeds would have made one of 0.01 and a share of 300 %).
     */
    @Test
    void aRowOnEveryLabelHasNoGap() {
        List<GridResults.Run> runs = List.of(run("supervised", "all", 1, "finished", 0.50),
                run("supervised", "all", 2, "finished", 0.52), run("supervised", "uniweak", "all", 1, "finished", 0.53));
        GridSummaries.Summary variant = GridSummaries.of(runs).stream()
                .filter(s -> "uniweak".equals(s.tag())).findFirst().orElseThrow();
        assertEquals(0.03, variant.gainMean(), 1e-12);
        assertNull(variant.gap());
        assertNull(variant.gapShare());
    }
}
