package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.cli.Main;
import org.semiseg.config.ConfigLoader;
import org.semiseg.train.Trainer;
import org.semiseg.train.TrainerTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code semiseg bench}: grid expansion, skipping and resuming runs, and the summary's arithmetic. */
class GridTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path gridFile(String extra) throws IOException {
        StringBuilder yaml = new StringBuilder("name: tiny\nset:\n");
        for (String s : TrainerTest.TINY) {
            if (!s.startsWith("data.labeled")) {
                String[] kv = s.split("=", 2);
                yaml.append("  ").append(kv[0]).append(": ").append(kv[1]).append('\n');
            }
        }
        yaml.append("out: ").append(dir.resolve("grid")).append('\n').append("results: ").append(dir.resolve("results")).append('\n').append("seeds: [1, 2]\ntest_split: val\n")
                .append("groups:\n  - methods: [supervised, classmix]\n    ratios: [\"1/2\"]\n")
                .append("  - methods: [supervised]\n    ratios: [all]\n    seeds: [1]\n").append(extra);
        Path file = dir.resolve("grid.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void expandsGroupsInOrderEachSeedBySeed() throws IOException {
        GridSpec grid = GridSpec.read(gridFile(""));
        assertEquals(List.of("supervised-1_2-s1", "classmix-1_2-s1", "supervised-1_2-s2", "classmix-1_2-s2",
                "supervised-all-s1"), grid.cells().stream().map(GridSpec.Cell::runName).toList());
        assertTrue(grid.overridesOf(grid.cells().get(1)).containsAll(List.of("method.name=classmix", "seed=1",
                "data.split_seed=1", "data.labeled=\"1/2\"", "train.iterations=6")));
    }

    @Test
    void runsSkipsResumesAndSummarises() throws IOException {
        GridSpec grid = GridSpec.read(gridFile(""));
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        // stop in the middle of the second run (the first takes 6 steps; the trainer asks once per step)
        AtomicInteger asked = new AtomicInteger();
        assertThrows(Trainer.TrainingStopped.class,
                () -> new GridRunner(grid, "test", quiet, () -> asked.incrementAndGet() == 9).run());
        JsonNode partial = JSON.readTree(grid.results().resolve("results.json").toFile());
        assertEquals("finished", partial.get("runs").get(0).get("status").asText());
        assertEquals("partial", partial.get("runs").get(1).get("status").asText());
        assertEquals("pending", partial.get("runs").get(2).get("status").asText());
        byte[] firstMetrics = Files.readAllBytes(grid.out().resolve("supervised-1_2-s1/metrics.jsonl"));

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int failed = new GridRunner(grid, "test", new PrintStream(log, true, StandardCharsets.UTF_8), () -> false).run();
        assertEquals(0, failed);
        String text = log.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("supervised-1_2-s1: finished, skipped (done: val mIoU "), text);
        // a line per finished run with its val and test mIoU, as it goes
        assertTrue(text.matches("(?s).*\\[4/5] classmix-1_2-s2: done: val mIoU \\d+\\.\\d\\d \\(best, iteration \\d\\), val mIoU"
                + " \\d+\\.\\d\\d, 0h00m\\d\\ds, \\d+ ms/step.*"), text);
        assertTrue(text.matches("(?s).*classmix-1_2-s1: resuming at iteration [1-5] .*"), text);
        assertArrayEquals(firstMetrics, Files.readAllBytes(grid.out().resolve("supervised-1_2-s1/metrics.jsonl")));
        assertEquals(2, JSON.readTree(grid.out().resolve("classmix-1_2-s1/bench.json").toFile()).get("segments").asInt());

        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());
        for (JsonNode run : r.get("runs")) {
            assertEquals("finished", run.get("status").asText(), run.toString());
            JsonNode eval = JSON.readTree(grid.results().resolve(run.get("dir").asText()).resolve("eval-val.json").toFile());
            assertEquals(eval.get("mIoU").asDouble(), run.get("test_miou").asDouble(), 1e-12);
            assertTrue(run.get("wall_s").asDouble() > 0);
        }
        assertEquals(8, run(r, "supervised-1_2-s1").get("labeled_images").asInt());   // half of 16 demo images
        assertEquals(16, run(r, "supervised-all-s1").get("labeled_images").asInt());
        // by hand: mean and sample std over the two seeds, the gap share, the extra step time
        double sup1 = testMiou(r, "supervised-1_2-s1");
        double sup2 = testMiou(r, "supervised-1_2-s2");
        double cm1 = testMiou(r, "classmix-1_2-s1");
        double cm2 = testMiou(r, "classmix-1_2-s2");
        double all = testMiou(r, "supervised-all-s1");
        JsonNode sup = summary(r, "supervised", "1/2");
        JsonNode cm = summary(r, "classmix", "1/2");
        assertEquals((sup1 + sup2) / 2, sup.get("test_miou_mean").asDouble(), 1e-12);
        assertEquals(Math.abs(sup1 - sup2) / Math.sqrt(2), sup.get("test_miou_std").asDouble(), 1e-12);
        // the gain is paired by split: the mean and sample std of (classmix - supervised) seed by seed
        double d1 = cm1 - sup1;
        double d2 = cm2 - sup2;
        assertEquals((d1 + d2) / 2, cm.get("gain_mean").asDouble(), 1e-12);
        assertEquals(Math.abs(d1 - d2) / Math.sqrt(2), cm.get("gain_std").asDouble(), 1e-12);
        assertEquals(2, cm.get("gain_seeds").asInt());
        assertTrue(sup.get("gain_mean").isNull(), "supervised has no gain over itself");
        double gap = all - (sup1 + sup2) / 2;
        if (gap > 0) {
            assertEquals(((cm1 + cm2) / 2 - (sup1 + sup2) / 2) / gap, cm.get("gap_share").asDouble(), 1e-9);
        } else {
            assertTrue(cm.get("gap_share").isNull());
        }
        assertTrue(summary(r, "supervised", "all").get("test_miou_std").isNull(), "one seed has no std");
        assertEquals((run(r, "classmix-1_2-s1").get("wall_s").asDouble() + run(r, "classmix-1_2-s2").get("wall_s").asDouble()) / 2,
                cm.get("wall_s_mean").asDouble(), 1e-9);
        JsonNode cmRun = run(r, "classmix-1_2-s2");
        assertEquals(cmRun.get("compute_ms").asDouble() - run(r, "supervised-1_2-s2").get("compute_ms").asDouble(),
                cmRun.get("extra_ms").asDouble(), 1e-9);
        assertTrue(Files.readString(grid.results().resolve("report.html")).contains("classmix"));
        String md = Files.readString(grid.results().resolve("results.md"));
        assertTrue(md.contains("| classmix | 1/2 (8) | 2/2 |"), md);
        assertTrue(md.contains(String.format(java.util.Locale.ROOT, "%.2f", 100 * all)), md);
    }

    @Test
    void refusesARunMadeWithOtherSettings() throws IOException {
        GridSpec grid = GridSpec.read(gridFile(""));
        Path first = grid.out().resolve("supervised-1_2-s1");
        Files.createDirectories(first);
        List<String> changed = new java.util.ArrayList<>(grid.overridesOf(grid.cells().get(0)));
        changed.add("train.iterations=7");
        String other = ConfigLoader.toYaml(ConfigLoader.load(null, changed));
        Files.writeString(first.resolve("config.yaml"), other);
        SemisegException e = assertThrows(SemisegException.class,
                () -> new GridRunner(grid, "test", new PrintStream(new ByteArrayOutputStream()), () -> false).run());
        assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains("iterations: 7"), e.getMessage());
        assertEquals(other, Files.readString(first.resolve("config.yaml")));
    }

    @Test
    void summaryOnlyTrainsNothingAndBadGridsGetOneLine() throws IOException {
        Path file = gridFile("");
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute("bench", file.toString(), "--summary-only"));
            JsonNode r = JSON.readTree(dir.resolve("results/results.json").toFile());
            assertEquals(5, r.get("runs").size());
            for (JsonNode run : r.get("runs")) {
                assertEquals("pending", run.get("status").asText());
            }
            assertTrue(Files.notExists(dir.resolve("grid/supervised-1_2-s1")), "nothing trained");
            err.reset();
            Files.writeString(file, Files.readString(file) + "sedes: [1]\n");
            assertEquals(2, Main.execute("bench", file.toString()));
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(text.startsWith("semiseg: error: grid file " + file) && !text.contains("\n"), text);
    }

    @Test
    void badGridFilesNameTheKey() throws IOException {
        Path file = gridFile("sedes: [1]\n");
        SemisegException e = assertThrows(SemisegException.class, () -> GridSpec.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("'sedes'"), e.getMessage());
        Files.writeString(file, "name: x\ngroups: []\n");
        e = assertThrows(SemisegException.class, () -> GridSpec.read(file));
        assertTrue(e.getMessage().contains("'groups'"), e.getMessage());
        Files.writeString(file, "groups:\n  - methods: [supervised]\n    ratios: [all]\n    seeds: [one]\n");
        e = assertThrows(SemisegException.class, () -> GridSpec.read(file));
        assertTrue(e.getMessage().contains("groups[0].seeds") && e.getMessage().contains("'one'"), e.getMessage());
        assertThrows(SemisegException.class, () -> GridSpec.read(dir.resolve("missing.yaml")));
    }

    private static double testMiou(JsonNode r, String name) {
        return run(r, name).get("test_miou").asDouble();
    }

    private static JsonNode run(JsonNode r, String name) {
        for (JsonNode run : r.get("runs")) {
            if (run.get("name").asText().equals(name)) {
                return run;
            }
        }
        throw new AssertionError("no run " + name);
    }

    private static JsonNode summary(JsonNode r, String method, String ratio) {
        for (JsonNode s : r.get("summary")) {
            if (s.get("method").asText().equals(method) && s.get("ratio").asText().equals(ratio)) {
                return s;
            }
        }
        throw new AssertionError("no summary " + method + " " + ratio);
    }
}
