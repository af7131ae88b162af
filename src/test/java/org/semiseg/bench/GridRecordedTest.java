package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keep_recorded: true}: finished runs whose folders are gone keep their results.json record, in the tables, the
 * paired gains, the checks and the runner, and only while the record is of the same run (fake run folders; nothing
 * trains).
 */
class GridRecordedTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The tiny demo grid (supervised and classmix at 1/2, seeds 1 and 2), with {@code extra} top-level lines after its groups. */
    private Path grid(String extra) throws IOException {
        return GridVariantsTest.tinyGrid(dir, "  - methods: [supervised, classmix]\n    ratios: [\"1/2\"]\n" + extra);
    }

    /** Four finished runs written to results.json, then the folders of split 1 deleted. */
    private GridSpec finishedThenSplit1Lost(String extra) throws IOException {
        GridSpec grid = GridSpec.read(grid(extra));
        GridVariantsTest.fakeRun(grid, "supervised-1_2-s1", 0.30, 400);
        GridVariantsTest.fakeRun(grid, "supervised-1_2-s2", 0.40, 400);
        GridVariantsTest.fakeRun(grid, "classmix-1_2-s1", 0.36, 700);
        GridVariantsTest.fakeRun(grid, "classmix-1_2-s2", 0.42, 700);
        Files.writeString(grid.out().resolve("classmix-1_2-s1").resolve(GridRunner.BENCH_JSON),
                "{\"wall_s\": 60, \"segments\": 1, \"labeled_images\": 8, \"machines\": [\"AMD EPYC 7B13, 2 cores\"]}");
        GridResults.write(grid, "test");
        deleteTree(grid.out().resolve("supervised-1_2-s1"));
        deleteTree(grid.out().resolve("classmix-1_2-s1"));
        return grid;
    }

    @Test
    void recordedRunsStayInTheTablesAndThePairedGains() throws IOException {
        GridSpec grid = finishedThenSplit1Lost("keep_recorded: true\n");
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());
        JsonNode lost = run(r, "classmix-1_2-s1");
        assertEquals("finished", lost.get("status").asText());
        assertTrue(lost.get("recorded").asBoolean());
        assertEquals(0.36, lost.get("test_miou").asDouble(), 1e-12);
        assertEquals(300, lost.get("extra_ms").asDouble(), 1e-9, "its extra cost over its recorded supervised pair");
        assertFalse(run(r, "classmix-1_2-s2").has("recorded"), "a run read from its folder carries no mark");
        assertEquals("AMD EPYC 7B13, 2 cores", lost.get("machines").get(0).asText(), "the record keeps its machine");
        assertFalse(run(r, "classmix-1_2-s2").has("machines"), "none recorded in its bench.json");
        JsonNode classmix = summary(r, "classmix");
        assertEquals(2, classmix.get("gain_seeds").asInt());
        assertEquals((0.06 + 0.02) / 2, classmix.get("gain_mean").asDouble(), 1e-9);
        String md = Files.readString(grid.results().resolve("results.md"));
        assertTrue(md.contains("| classmix | 1/2 (8) | 2/2 | 36.00, 42.00 |"), md);
        assertTrue(md.contains("their run folders are gone; the grid's keep_recorded): supervised-1_2-s1, classmix-1_2-s1."), md);
        assertTrue(md.contains("| 36.00 | 0h01m00s | 700 | AMD EPYC 7B13, 2 cores |"), md);

        // written again from its own output: the records are kept, not lost on the second write
        GridResults.write(grid, "test");
        r = JSON.readTree(grid.results().resolve("results.json").toFile());
        assertTrue(run(r, "supervised-1_2-s1").get("recorded").asBoolean());
        assertEquals(0.30, run(r, "supervised-1_2-s1").get("test_miou").asDouble(), 1e-12);
    }

    @Test
    void theChecksAndTheRunnerSkipARecordedRunWithoutMakingItsFolder() throws IOException {
        GridSpec grid = finishedThenSplit1Lost("keep_recorded: true\n");
        List<GridCheck.Planned> planned = GridCheck.check(grid);
        assertEquals(List.of("recorded", "recorded", "finished", "finished"),
                planned.stream().map(GridCheck.Planned::state).toList());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int failed = new GridRunner(grid, "test", new PrintStream(log, true, StandardCharsets.UTF_8), () -> false).run();
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, failed, text);
        assertTrue(text.contains("0 to train"), text);
        assertTrue(text.contains("supervised-1_2-s1: kept as results.json records it (its run folder is gone; "
                + "keep_recorded): val mIoU 30.00"), text);
        assertFalse(Files.exists(grid.out().resolve("supervised-1_2-s1")), "nothing trained, no folder made");
    }

    @Test
    void withoutTheKeyALostRunIsPendingAndTrainsAgain() throws IOException {
        GridSpec grid = finishedThenSplit1Lost("");
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());
        assertEquals("pending", run(r, "classmix-1_2-s1").get("status").asText());
        assertEquals("new", GridCheck.check(grid).get(1).state());
    }

    @Test
    void aFolderWithMetricsWinsAndARecordOfOtherIterationsIsNotKept() throws IOException {
        GridSpec grid = finishedThenSplit1Lost("keep_recorded: true\n");
        GridVariantsTest.fakeRun(grid, "classmix-1_2-s1", 0.50, 700);   // trained again since
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());
        assertEquals(0.50, run(r, "classmix-1_2-s1").get("test_miou").asDouble(), 1e-12);
        assertFalse(run(r, "classmix-1_2-s1").has("recorded"));
        assertTrue(run(r, "supervised-1_2-s1").get("recorded").asBoolean());

        // the same grid at other iterations: the record is of another run, so the cell trains again
        GridSpec longer = GridSpec.read(grid.file(), List.of("train.iterations=9"));
        GridResults.write(longer, "test");
        r = JSON.readTree(grid.results().resolve("results.json").toFile());
        assertEquals("pending", run(r, "supervised-1_2-s1").get("status").asText());
    }

    @Test
    void aKeepRecordedThatIsNotABooleanIsRefused() throws IOException {
        Path file = grid("keep_recorded: yes please\n");
        SemisegException e = assertThrows(SemisegException.class, () -> GridSpec.read(file));
        assertEquals("grid file " + file + ": key 'keep_recorded' must be true or false (got 'yes please')", e.getMessage());
    }

    private static JsonNode run(JsonNode r, String name) {
        for (JsonNode run : r.get("runs")) {
            if (run.get("name").asText().equals(name)) {
                return run;
            }
        }
        throw new AssertionError("no run " + name);
    }

    private static JsonNode summary(JsonNode r, String label) {
        for (JsonNode s : r.get("summary")) {
            if (s.get("label").asText().equals(label)) {
                return s;
            }
        }
        throw new AssertionError("no summary " + label);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var files = Files.walk(root)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
