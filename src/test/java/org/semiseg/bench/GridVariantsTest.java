package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.cli.Main;
import org.semiseg.train.TrainerTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Variants in a grid: a group's {@code tag} and {@code set}, their run names and configs, their errors, their checks
 * before training, and their rows in the results, paired with plain supervised (from fake run folders; nothing
 * trains).
 */
class GridVariantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The tiny demo grid of GridTest (seeds 1 and 2) with {@code groups} as its last lines. */
    private Path grid(String groups) throws IOException {
        return tinyGrid(dir, groups);
    }

    /** {@link #grid} in {@code dir}: grids/tiny.yaml, its runs in grids/runs, its results in grids/results. */
    static Path tinyGrid(Path dir, String groups) throws IOException {
        StringBuilder yaml = new StringBuilder("name: tiny\nset:\n");
        for (String s : TrainerTest.TINY) {
            if (!s.startsWith("data.labeled")) {
                String[] kv = s.split("=", 2);
                yaml.append("  ").append(kv[0]).append(": ").append(kv[1]).append('\n');
            }
        }
        yaml.append("out: runs\nresults: results\nseeds: [1, 2]\ntest_split: val\ngroups:\n").append(groups);
        Path file = dir.resolve("grids/tiny.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    private static final String PLAIN = "  - methods: [supervised, classmix]\n    ratios: [\"1/2\"]\n";
    private static final String UNIWEAK = "  - methods: [supervised]\n    ratios: [\"1/2\"]\n    tag: uniweak\n"
            + "    set:\n      augment.labeled: unimatch-weak\n";

    @Test
    void taggedRunsAreNamedApartAndPlainRunsAsBefore() throws IOException {
        GridSpec grid = GridSpec.read(grid(PLAIN + UNIWEAK + "  - methods: [supervised]\n    ratios: [all]\n    seeds: [1]\n"
                + "  - methods: [classmix]\n    ratios: [\"1/2\"]\n    seeds: [1]\n    tag: strongaug\n"
                + "    set: {augment: {unlabeled: unimatch-strong}}\n"));
        assertEquals(List.of("supervised-1_2-s1", "classmix-1_2-s1", "supervised-1_2-s2", "classmix-1_2-s2",
                        "supervised@uniweak-1_2-s1", "supervised@uniweak-1_2-s2", "supervised-all-s1", "classmix@strongaug-1_2-s1"),
                grid.cells().stream().map(GridSpec.Cell::runName).toList());
        GridSpec.Cell plain = grid.cells().get(0);
        GridSpec.Cell tagged = grid.cells().get(4);
        assertNull(plain.tag());
        assertEquals("supervised", plain.label());
        assertEquals("uniweak", tagged.tag());
        assertEquals("supervised [uniweak]", tagged.label());
        assertEquals("classmix [strongaug]", grid.cells().get(7).label());
        assertEquals(1, tagged.group());
        assertEquals(List.of("uniweak", "strongaug"), grid.variants().stream().map(GridSpec.Variant::tag).toList());

        // the group's set is in the tagged cell's config alone; the plain cell's overrides are what they were
        assertEquals("unimatch-weak", grid.configOf(tagged).augment().labeled());
        assertNull(grid.configOf(plain).augment().labeled());
        assertEquals("unimatch-strong", grid.configOf(grid.cells().get(7)).augment().unlabeled(), "nested keys too");
        List<String> gridSet = grid.gridOverrides();
        assertEquals(gridSet.size() + 4, grid.overridesOf(plain).size());
        assertEquals(gridSet, grid.overridesOf(plain).subList(0, gridSet.size()));
        assertEquals("augment.labeled=\"unimatch-weak\"", grid.overridesOf(tagged).get(gridSet.size()));
    }

    @Test
    void theCommandLineComesAfterTheGroupsSetAndTheGroupsSetAfterTheGrids() throws IOException {
        Path file = grid(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "augment.labeled: unimatch-weak\n"
                + "      train.iterations: 4\n      data.split_dir: splits"));
        GridSpec grid = GridSpec.read(file, List.of("augment.labeled=strong"));
        GridSpec.Cell tagged = grid.cells().stream().filter(c -> c.tag() != null).findFirst().orElseThrow();
        assertEquals("strong", grid.configOf(tagged).augment().labeled(), "--set wins over the group's set");
        assertEquals(4, grid.configOf(tagged).train().iterations(), "the group's set wins over the grid's (6)");
        assertEquals(6, grid.configOf(grid.cells().get(0)).train().iterations());
        assertTrue(grid.overridesOf(tagged).contains("data.split_dir=\"" + file.getParent().toAbsolutePath().resolve("splits")
                .normalize() + "\""), "a path in a group's set is read from the grid file's folder: " + grid.overridesOf(tagged));
    }

    /** The paths in each entry of data.domains are read from the grid file's folder, as the top-level ones. */
    @Test
    void pathsInDomainEntriesAreReadFromTheGridFilesFolder() throws IOException {
        Path file = grid(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "augment.labeled: unimatch-weak\n"
                + "      data.domains: [{name: a}, {name: b, dataset: folder, root: data/b, split_dir: splits/b}]"));
        GridSpec grid = GridSpec.read(file, List.of());
        GridSpec.Cell tagged = grid.cells().stream().filter(c -> c.tag() != null).findFirst().orElseThrow();
        String domains = grid.overridesOf(tagged).stream().filter(o -> o.startsWith("data.domains=")).findFirst()
                .orElseThrow();
        Path base = file.getParent().toAbsolutePath();
        assertTrue(domains.contains("\"root\":\"" + base.resolve("data/b").normalize() + "\""), domains);
        assertTrue(domains.contains("\"split_dir\":\"" + base.resolve("splits/b").normalize() + "\""), domains);
    }

    @Test
    void aTagMayServeSeveralGroupsWithTheSameSet() throws IOException {
        GridSpec grid = GridSpec.read(grid(PLAIN + UNIWEAK + UNIWEAK.replace("\"1/2\"", "all").replace("tag:", "seeds: [1]\n    tag:")));
        assertEquals(List.of("supervised@uniweak-1_2-s1", "supervised@uniweak-1_2-s2", "supervised@uniweak-all-s1"),
                grid.cells().stream().filter(c -> c.tag() != null).map(GridSpec.Cell::runName).toList());
        assertEquals(1, grid.variants().size());
        // a tag alone (no set) repeats the plain runs under another name
        grid = GridSpec.read(grid(PLAIN + "  - methods: [supervised]\n    ratios: [\"1/2\"]\n    tag: rerun\n"));
        GridSpec.Cell rerun = grid.cells().get(4);
        assertEquals("supervised@rerun-1_2-s1", rerun.runName());
        assertEquals(grid.configOf(grid.cells().get(0)), grid.configOf(rerun));
    }

    @Test
    void badTagsAndSetsGetOneLineNamingTheFileAndTheGroup() throws IOException {
        refused(PLAIN + "  - methods: [supervised]\n    ratios: [\"1/2\"]\n    set: {augment.labeled: strong}\n",
                "groups[1]: a group with 'set' needs a 'tag'");
        for (String tag : List.of("UniWeak", "-x", "a_b", "a@b", "\"uni weak\"")) {
            refused(PLAIN + UNIWEAK.replace("tag: uniweak", "tag: " + tag), "groups[1].tag: must be a simple name");
        }
        refused(PLAIN + UNIWEAK.replace("tag: uniweak", "tag: [a]"), "'groups[1].tag' must be a non-empty text");
        refused(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "method.name: classmix"),
                "groups[1].set: key 'method.name' is set by each run itself");
        refused(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "data:\n        labeled: \"1/4\""),
                "groups[1].set: key 'data.labeled' is set by each run itself");
        refused(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "seed: 3"), "groups[1].set: key 'seed'");
        refused(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "data.split_seed: 3"),
                "groups[1].set: key 'data.split_seed'");
        refused(PLAIN + UNIWEAK + UNIWEAK.replace("unimatch-weak", "strong"),
                "groups[2]: tag 'uniweak' is already used by groups[1] with another 'set'");
        refused(PLAIN + UNIWEAK.replace("    set:\n      augment.labeled: unimatch-weak\n", "    set: [1]\n"),
                "key 'groups[1].set' must map config keys to values");
    }

    /**
     * {seed} in a group's set becomes each run's seed (pseudo-masks are made per labeled split), and a run whose
     * pseudo-masks are missing is named before anything trains.
     */
    @Test
    void aSeedInAGroupsSetBecomesEachRunsSeed() throws IOException {
        Path file = grid("  - methods: [cct]\n    ratios: [\"1/2\"]\n    tag: weak\n"
                + "    set: {data.weak: all, data.pseudo_masks: \"masks/s{seed}\"}\n");
        GridSpec grid = GridSpec.read(file);
        Path base = file.getParent().toAbsolutePath();
        assertEquals(List.of("cct@weak-1_2-s1", "cct@weak-1_2-s2"), grid.cells().stream().map(GridSpec.Cell::runName).toList());
        assertEquals(base.resolve("masks/s1").normalize().toString(), grid.configOf(grid.cells().get(0)).data().pseudoMasks());
        assertEquals(base.resolve("masks/s2").normalize().toString(), grid.configOf(grid.cells().get(1)).data().pseudoMasks());
        assertTrue(grid.variants().get(0).set().stream().anyMatch(o -> o.contains("masks/s{seed}")),
                "the variant's set, as the results list it, keeps the placeholder: " + grid.variants().get(0).set());

        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(Main.EXIT_INPUT, Main.execute("bench", file.toString(), "--dry-run"));
        } finally {
            System.setErr(savedErr);
        }
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertTrue(text.startsWith("semiseg: error: grid file " + file + ": groups[0] (run cct@weak-1_2-s1): data.pseudo_masks: "
                + base.resolve("masks/s1").normalize().resolve("pseudo-masks.json") + " does not exist") && !text.contains("\n"), text);
        assertFalse(Files.exists(dir.resolve("grids/runs")), "nothing trained");
    }

    private void refused(String groups, String expected) throws IOException {
        Path file = grid(groups);
        SemisegException e = assertThrows(SemisegException.class, () -> GridSpec.read(file), groups);
        String text = e.getMessage();
        assertTrue(text.startsWith("grid file " + file + ": ") && text.contains(expected) && !text.contains("\n"), text);
    }

    @Test
    void aTypoInAGroupsSetIsRefusedBeforeAnythingTrains() throws IOException {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Path file = grid(PLAIN + UNIWEAK);
            assertEquals(0, Main.execute("bench", file.toString(), "--dry-run"), err.toString(StandardCharsets.UTF_8));
            String listing = out.toString(StandardCharsets.UTF_8);
            assertTrue(listing.contains("supervised@uniweak-1_2-s2  groups[1]  new  8 labeled, 4 val images\n"), listing);
            assertTrue(listing.contains("augment.labeled=unimatch-weak"), listing);

            file = grid(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "augment.labled: unimatch-weak"));
            err.reset();
            assertEquals(Main.EXIT_INPUT, Main.execute("bench", file.toString(), "--dry-run"));
            String text = err.toString(StandardCharsets.UTF_8).strip();
            assertTrue(text.startsWith("semiseg: error: grid file " + file + ": groups[1].set (tag uniweak): "
                    + "augment.labled: unknown key") && !text.contains("\n"), text);
            file = grid(PLAIN + UNIWEAK.replace("augment.labeled: unimatch-weak", "augment.labeled: unimatch-wek"));
            err.reset();
            assertEquals(Main.EXIT_INPUT, Main.execute("bench", file.toString()));
            text = err.toString(StandardCharsets.UTF_8).strip();
            assertTrue(text.startsWith("semiseg: error: grid file " + file + ": groups[1].set (tag uniweak): ")
                    && text.contains("unimatch-wek") && !text.contains("\n"), text);
            assertFalse(Files.exists(dir.resolve("grids/runs")), "nothing trained");
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /**
     * A supervised variant and a classmix variant are each paired with plain supervised on the same split; a
     * supervised variant on every label is a row of its own, not the upper bound of the gap.
     */
    @Test
    void variantsArePairedWithPlainSupervisedBySplit() throws IOException {
        Path file = grid(PLAIN + UNIWEAK + "  - methods: [supervised]\n    ratios: [all]\n    seeds: [1]\n"
                + "  - methods: [supervised]\n    ratios: [all]\n    seeds: [1]\n    tag: uniweak\n"
                + "    set:\n      augment.labeled: unimatch-weak\n"
                + "  - methods: [classmix]\n    ratios: [\"1/2\"]\n    tag: strongaug\n"
                + "    set: {augment.unlabeled: unimatch-strong}\n");
        GridSpec grid = GridSpec.read(file);
        fakeRun(grid, "supervised-1_2-s1", 0.30, 400);
        fakeRun(grid, "supervised-1_2-s2", 0.40, 400);
        fakeRun(grid, "classmix-1_2-s1", 0.35, 700);
        fakeRun(grid, "supervised@uniweak-1_2-s1", 0.33, 450);
        fakeRun(grid, "supervised@uniweak-1_2-s2", 0.41, 440);
        fakeRun(grid, "supervised-all-s1", 0.50, 400);
        fakeRun(grid, "supervised@uniweak-all-s1", 0.60, 400);
        fakeRun(grid, "classmix@strongaug-1_2-s2", 0.46, 800);   // seed 1 not run yet
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());

        JsonNode supervised = summary(r, "supervised", "1/2");
        assertTrue(supervised.get("tag").isNull() && supervised.get("gain_mean").isNull(), supervised.toString());
        JsonNode uniweak = summary(r, "supervised [uniweak]", "1/2");
        assertEquals("supervised", uniweak.get("method").asText());
        assertEquals("uniweak", uniweak.get("tag").asText());
        assertEquals((0.03 + 0.01) / 2, uniweak.get("gain_mean").asDouble(), 1e-9);
        assertEquals(Math.abs(0.03 - 0.01) / Math.sqrt(2), uniweak.get("gain_std").asDouble(), 1e-9);
        assertEquals(2, uniweak.get("gain_seeds").asInt());
        double gap = 0.50 - (0.30 + 0.40) / 2;   // plain supervised: every label minus 1/2 on the paired splits 1, 2
        assertEquals(0.02 / gap, uniweak.get("gap_share").asDouble(), 1e-9);
        JsonNode strongaug = summary(r, "classmix [strongaug]", "1/2");
        assertEquals(0.46 - 0.40, strongaug.get("gain_mean").asDouble(), 1e-9, "paired with supervised seed 2");
        assertEquals(1, strongaug.get("gain_seeds").asInt());
        assertEquals(0.06 / (0.50 - 0.40), strongaug.get("gap_share").asDouble(), 1e-9, "the gap on split 2, its pair");
        JsonNode classmix = summary(r, "classmix", "1/2");
        assertEquals(0.05, classmix.get("gain_mean").asDouble(), 1e-9);
        assertEquals(0.05 / (0.50 - 0.30), classmix.get("gap_share").asDouble(), 1e-9,
                "the gap on split 1, its pair; the variant on every label is no upper bound");
        JsonNode uniweakAll = summary(r, "supervised [uniweak]", "all");
        assertEquals(0.10, uniweakAll.get("gain_mean").asDouble(), 1e-9, "paired with plain supervised on every label");
        assertTrue(summary(r, "supervised", "all").get("gain_mean").isNull());

        // step times: a variant's extra cost is over plain supervised on the same split
        assertEquals(50, run(r, "supervised@uniweak-1_2-s1").get("extra_ms").asDouble(), 1e-9);
        assertEquals(0, run(r, "supervised-1_2-s1").get("extra_ms").asDouble(), 1e-9);
        assertEquals("supervised [uniweak]", run(r, "supervised@uniweak-1_2-s1").get("label").asText());
        assertEquals("supervised", run(r, "supervised-1_2-s1").get("label").asText());

        // what each variant changes
        JsonNode variants = r.get("variants");
        assertEquals(2, variants.size());
        assertEquals("uniweak", variants.get(0).get("tag").asText());
        assertEquals("augment.labeled=\"unimatch-weak\"", variants.get(0).get("set").get(0).asText());
        assertEquals("classmix", variants.get(1).get("methods").get(0).asText());

        String md = Files.readString(grid.results().resolve("results.md"));
        // two pairs (+3, +1): se 0.01, t(0.975, 1) = 12.706, so 2.00 ± 12.71; p = 1 - (2/pi) atan(2) = 0.295
        assertTrue(md.contains("| supervised [uniweak] | 1/2 (8) | 2/2 | 33.00, 41.00 | 37.00 ± 5.66 | 50.00 | +2.00 ± 1.41 (2) "
                + "| [-10.71, +14.71] | 0.295 | 13 % |"), md);
        assertTrue(md.contains("| classmix [strongaug] | 1/2 (8) | 1/2 | (pending), 46.00 | 46.00 | 50.00 | +6.00 (1) | n < 2 "
                + "| n < 2 | 60 % |"), md);   // +6.00 over the gap on split 2, 50.00 - 40.00
        assertTrue(md.contains("| supervised | 1/2 (8) | 2/2 | 30.00, 40.00 |"), md);
        assertTrue(md.contains("## Variants") && md.contains("| uniweak | supervised | `augment.labeled=\"unimatch-weak\"` |")
                && md.contains("| strongaug | classmix | `augment.unlabeled=\"unimatch-strong\"` |"), md);
        assertTrue(md.contains("| supervised@uniweak-1_2-s1 | finished |"), md);
        assertTrue(Files.readString(grid.results().resolve("report.html")).contains("supervised [uniweak]"));
    }

    @Test
    void aGridWithoutTagsHasNoVariantsInItsResults() throws IOException {
        GridSpec grid = GridSpec.read(grid(PLAIN));
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());
        assertEquals(0, r.get("variants").size());
        assertEquals("classmix-1_2-s1", r.get("runs").get(1).get("name").asText());
        assertFalse(Files.readString(grid.results().resolve("results.md")).contains("## Variants"));
    }

    /** A finished run's files as a grid reads them (as GridCheckTest's), with its test mIoU and step time. */
    static void fakeRun(GridSpec grid, String name, double testMiou, double computeMs) throws IOException {
        Path run = Files.createDirectories(grid.out().resolve(name));
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i <= 4; i++) {
            metrics.append("{\"iter\": ").append(i + 1).append(", \"loss\": 1.0, \"data_ms\": 2, \"compute_ms\": ")
                    .append(i == 0 ? 5000 : computeMs).append("}\n");
        }
        metrics.append("{\"iter\": 6, \"eval\": {\"mIoU\": 0.5}}\n");
        Files.writeString(run.resolve("metrics.jsonl"), metrics);
        Files.writeString(run.resolve("eval.json"), "{\"mIoU\": 0.5}");
        Files.writeString(run.resolve("eval-val.json"), "{\"mIoU\": " + testMiou + ", \"iou\": {}}");
        Files.writeString(run.resolve(GridRunner.BENCH_JSON), "{\"wall_s\": 60, \"segments\": 1, \"labeled_images\": 8}");
    }

    private static JsonNode run(JsonNode r, String name) {
        for (JsonNode run : r.get("runs")) {
            if (run.get("name").asText().equals(name)) {
                return run;
            }
        }
        throw new AssertionError("no run " + name);
    }

    private static JsonNode summary(JsonNode r, String label, String ratio) {
        for (JsonNode s : r.get("summary")) {
            if (s.get("label").asText().equals(label) && s.get("ratio").asText().equals(ratio)) {
                return s;
            }
        }
        throw new AssertionError("no summary " + label + " " + ratio);
    }
}
