package org.semiseg.bench;

import org.junit.jupiter.api.Test;
import org.semiseg.config.Config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grid files committed under {@code bench/grids/}: each one loads, and every one of its runs has a valid config. */
class GridFilesTest {
    private static final Path GRIDS = Path.of("bench", "grids");

    @Test
    void everyCommittedGridAndEveryRunConfigLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(GRIDS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no grid files under " + GRIDS);
        for (Path file : files) {
            GridSpec grid = GridSpec.read(file);
            assertFalse(grid.cells().isEmpty(), file.toString());
            for (GridSpec.Cell cell : grid.cells()) {
                Config c = grid.configOf(cell);
                assertEquals(cell.method(), c.method().name(), file + " " + cell.runName());
                assertEquals(cell.seed(), c.seed(), file + " " + cell.runName());
            }
        }
    }

    /** Issue 6's comparison: 1/8 on three splits for the baseline and the methods, and supervised on every label. */
    @Test
    void camvidGridIsTheComparisonTheIssueAsksFor() {
        GridSpec grid = GridSpec.read(GRIDS.resolve("camvid.yaml"));
        assertEquals("test", grid.testSplit());
        assertEquals(Path.of("bench", "results", "camvid"), grid.results());
        Set<String> runs = grid.cells().stream().map(GridSpec.Cell::runName).collect(Collectors.toSet());
        assertTrue(runs.contains("supervised-all-s1"), runs.toString());
        for (String method : List.of("supervised", "classmix", "memory-bank")) {
            for (int seed = 1; seed <= 3; seed++) {
                assertTrue(runs.contains(method + "-1_8-s" + seed), method + " seed " + seed + " missing: " + runs);
            }
        }
        assertEquals(List.of(new GridCompare("memory-bank", "classmix")), grid.compare(), "the two methods the README cannot separate");
        // the upper bound comes first, then the baseline, so that the size of the gap is known early
        assertEquals("supervised-all-s1", grid.cells().get(0).runName());
        assertEquals("supervised", grid.cells().get(1).method());
        Config c = grid.configOf(grid.cells().get(0));
        assertEquals("camvid", c.data().dataset());
        assertTrue(c.model().pretrained() == null || c.model().pretrained().isBlank(), "trained from scratch");
    }
    /**
     * Issue 21's weak-label grid shares camvid-views' runs: the same base config, set and out folder, so a run both
     * list has one config; each weak run reads the pseudo-masks of its own split.
     */
    @Test
    void camvidWeakGridSharesTheViewsGridsRunsAndReadsItsSplitsMasks() {
        GridSpec views = GridSpec.read(GRIDS.resolve("camvid-views.yaml"));
        GridSpec weak = GridSpec.read(GRIDS.resolve("camvid-weak.yaml"));
        assertEquals(views.out(), weak.out());
        assertEquals(views.config(), weak.config());
        assertEquals(views.gridOverrides(), weak.gridOverrides());
        Map<String, GridSpec.Cell> viewRuns = views.cells().stream()
                .collect(Collectors.toMap(GridSpec.Cell::runName, c -> c));
        int shared = 0;
        for (GridSpec.Cell cell : weak.cells()) {
            GridSpec.Cell same = viewRuns.get(cell.runName());
            if (same != null) {
                assertEquals(views.configOf(same), weak.configOf(cell), cell.runName());
                shared++;
            } else {
                assertEquals("weak", cell.tag(), cell.runName());
                String masks = weak.configOf(cell).data().pseudoMasks();
                assertTrue(masks.endsWith("camvid-weak-masks/s" + cell.seed()), masks);
            }
        }
        assertEquals(9, shared, "supervised, supervised [uniweak] and cct on three splits");
    }
}
