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
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The statistics of a grid's results: every row's paired gain over supervised with its t interval and p-value, and the
 * grid's {@code compare} pairs (their syntax, their errors before anything trains, their results), from fake run
 * folders holding the CamVid grid's test mIoU (README, bench/README.md); nothing trains.
 */
class GridCompareTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUPS = "  - methods: [supervised, memory-bank, classmix]\n    ratios: [\"1/2\"]\n"
            + "  - methods: [supervised]\n    ratios: [all]\n    seeds: [1]\n"
            + "  - methods: [memory-bank]\n    ratios: [\"1/2\"]\n    seeds: [1]\n    tag: nocontr\n"
            + "    set: {method.memory-bank.weights.contr: 0}\n";

    @TempDir
    Path dir;

    /** The tiny demo grid of GridTest with seeds 1-3, the groups above and {@code compare} as its last lines. */
    private Path grid(String compare) throws IOException {
        StringBuilder yaml = new StringBuilder("name: tiny\nset:\n");
        for (String s : TrainerTest.TINY) {
            if (!s.startsWith("data.labeled")) {
                String[] kv = s.split("=", 2);
                yaml.append("  ").append(kv[0]).append(": ").append(kv[1]).append('\n');
            }
        }
        yaml.append("out: runs\nresults: results\nseeds: [1, 2, 3]\ntest_split: val\ngroups:\n").append(GROUPS).append(compare);
        Path file = dir.resolve("grids/tiny.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void compareIsAListOfPairsOfRowLabels() throws IOException {
        GridSpec grid = GridSpec.read(grid("compare: [[memory-bank, classmix], [\"memory-bank [nocontr]\", memory-bank]]\n"));
        assertEquals(List.of(new GridCompare("memory-bank", "classmix"), new GridCompare("memory-bank [nocontr]", "memory-bank")),
                grid.compare());
        grid = GridSpec.read(grid("compare:\n  - [classmix, supervised]\n"));
        assertEquals(List.of(new GridCompare("classmix", "supervised")), grid.compare(), "block style too");
        assertEquals(List.of(), GridSpec.read(grid("")).compare());
        assertEquals(grid.compare(), grid.withOut(dir.resolve("elsewhere")).compare(), "kept by --out");
    }

    @Test
    void badPairsGetOneLineNamingTheFile() throws IOException {
        refused("compare: [[memory-bank, mean-teacher]]\n", "compare[0]: 'mean-teacher' is no row of the grid (its rows: "
                + "supervised, memory-bank, classmix, memory-bank [nocontr])");
        refused("compare: [[memory-bank, classmix], [\"memory-bank [nocontr\", classmix]]\n",
                "compare[1]: 'memory-bank [nocontr' is no row of the grid");
        refused("compare: [[memory-bank, {classmix: 1}]]\n",
                "compare[0] must be a pair of row labels [A, B] (got [\"memory-bank\",{\"classmix\":1}]); the whole key is a "
                        + "list of pairs of row labels, e.g. compare: [[memory-bank, classmix], [\"u2pl [nocontr]\", u2pl]]"
                        + " (a label with a tag needs quotes)");
        refused("compare: [[memory-bank, classmix, supervised]]\n", "compare[0] must be a pair of row labels");
        refused("compare: [memory-bank, classmix]\n", "compare[0] must be a pair of row labels");
        refused("compare: memory-bank\n", "compare must be a list of pairs of row labels");
        refused("compare: [[classmix, classmix]]\n", "compare[0]: compares 'classmix' with itself");
        refused("compare: [[classmix, supervised], [supervised, classmix]]\n",
                "compare[1]: supervised and classmix are already compared in compare[0]");
    }

    @Test
    void pairsThatShareNoSplitAreRefused() throws IOException {
        Path file = grid("compare: [[classmix, supervised]]\n");
        Files.writeString(file, Files.readString(file).replace("[supervised, memory-bank, classmix]\n    ratios: [\"1/2\"]",
                "[supervised, memory-bank]\n    ratios: [\"1/2\"]\n  - methods: [classmix]\n    ratios: [\"1/4\"]"));
        SemisegException e = assertThrows(SemisegException.class, () -> GridSpec.read(file));
        assertEquals("grid file " + file + ": compare[0]: 'classmix' and 'supervised' share no split (labeled ratio and"
                + " seed), so there is nothing to pair", e.getMessage());
    }

    /** Exit 2 and one line, with --dry-run and without it, before any run folder is made. */
    @Test
    void anUnknownLabelStopsTheBenchBeforeAnythingTrains() throws IOException {
        Path file = grid("compare: [[memory-bank, clasmix]]\n");
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            for (List<String> args : List.of(List.of("bench", file.toString(), "--dry-run"), List.of("bench", file.toString()))) {
                err.reset();
                assertEquals(Main.EXIT_INPUT, Main.execute(args.toArray(String[]::new)));
                String text = err.toString(StandardCharsets.UTF_8).strip();
                assertEquals("semiseg: error: grid file " + file + ": compare[0]: 'clasmix' is no row of the grid (its rows:"
                        + " supervised, memory-bank, classmix, memory-bank [nocontr])", text);
            }
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertFalse(Files.exists(dir.resolve("grids/runs")), "nothing trained");
    }

    /**
     * The CamVid grid's test mIoU (bench/README.md): supervised 27.96, 32.97, 29.44; memory-bank 32.16, 33.56, 34.78;
     * classmix 32.10, 34.52, 32.64; supervised on every label 35.34 (one seed here).
     * memory-bank's gains are +4.20, +0.59, +5.34: interval [−2.78, +9.54], p = 0.142 (hand-computed in
     * {@link PairedStatsTest#threeSplitsOfMemoryBankOnCamVid}).
     * memory-bank − classmix by split: +0.06, −0.96, +2.14; mean 1.24 / 3 = 0.41333; deviations −0.35333, −1.37333,
     * +1.72667; squares 0.12484 + 1.88604 + 2.98138 = 4.99227; sd = √(4.99227 / 2) = 1.57992; se = 1.57992 / √3 =
     * 0.91216; t = 0.45313; interval 0.41333 ± 4.303 · 0.91216 = 0.41333 ± 3.92503 = [−3.51170, +4.33837];
     * p = 1 − t / √(t² + 2) = 1 − 0.45313 / 1.48504 = 0.69487 (t(0.975, 2) = 4.303 from a t table).
     */
    @Test
    void gainsAndComparedPairsHaveTheirIntervalsAndPValues() throws IOException {
        GridSpec grid = GridSpec.read(grid("compare: [[memory-bank, classmix], [\"memory-bank [nocontr]\", memory-bank]]\n"));
        double[] sup = {0.2796, 0.3297, 0.2944};
        double[] mb = {0.3216, 0.3356, 0.3478};
        double[] cm = {0.3210, 0.3452, 0.3264};
        for (int s = 0; s < 3; s++) {
            GridVariantsTest.fakeRun(grid, "supervised-1_2-s" + (s + 1), sup[s], 200);
            GridVariantsTest.fakeRun(grid, "memory-bank-1_2-s" + (s + 1), mb[s], 600);
            GridVariantsTest.fakeRun(grid, "classmix-1_2-s" + (s + 1), cm[s], 470);
        }
        GridVariantsTest.fakeRun(grid, "supervised-all-s1", 0.3534, 200);
        GridVariantsTest.fakeRun(grid, "memory-bank@nocontr-1_2-s1", 0.3100, 550);
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());

        JsonNode memoryBank = summary(r, "memory-bank");
        assertEquals(0.0337667, memoryBank.get("gain_mean").asDouble(), 1e-7);
        assertEquals(-0.0278381, memoryBank.get("gain_ci_low").asDouble(), 2e-5);
        assertEquals(0.0953715, memoryBank.get("gain_ci_high").asDouble(), 2e-5);
        assertEquals(0.14236, memoryBank.get("gain_p").asDouble(), 1e-4);
        assertEquals(0.3534 - (0.2796 + 0.3297 + 0.2944) / 3, memoryBank.get("gap").asDouble(), 1e-12);
        JsonNode nocontr = summary(r, "memory-bank [nocontr]");
        assertEquals(1, nocontr.get("gain_seeds").asInt());
        assertTrue(nocontr.get("gain_ci_low").isNull() && nocontr.get("gain_ci_high").isNull()
                && nocontr.get("gain_p").isNull(), "one pair: no interval, no p: " + nocontr);
        assertTrue(summary(r, "supervised").get("gain_p").isNull());
        assertTrue(r.get("statistics").asText().startsWith("Paired by split"));

        JsonNode comparisons = r.get("comparisons");
        assertEquals(2, comparisons.size(), "each pair at its one shared ratio");
        JsonNode c = comparisons.get(0);
        assertEquals("memory-bank", c.get("a").asText());
        assertEquals("classmix", c.get("b").asText());
        assertEquals("1/2", c.get("ratio").asText());
        assertEquals("[1,2,3]", c.get("seeds").toString());
        assertEquals(3, c.get("pairs").asInt());
        assertEquals(-0.0096, c.get("differences").get(1).asDouble(), 1e-12);
        assertEquals(0.0041333, c.get("diff_mean").asDouble(), 1e-7);
        assertEquals(0.0157992, c.get("diff_std").asDouble(), 1e-7);
        assertEquals(-0.0351170, c.get("ci_low").asDouble(), 2e-5);
        assertEquals(0.0433837, c.get("ci_high").asDouble(), 2e-5);
        assertEquals(0.69487, c.get("p").asDouble(), 1e-4);
        JsonNode variant = comparisons.get(1);
        assertEquals("memory-bank [nocontr]", variant.get("a").asText());
        assertEquals(1, variant.get("pairs").asInt());
        assertEquals(0.3100 - 0.3216, variant.get("diff_mean").asDouble(), 1e-12);
        assertTrue(variant.get("ci_low").isNull() && variant.get("p").isNull());

        String md = Files.readString(grid.results().resolve("results.md"));
        assertTrue(md.contains("| memory-bank | 1/2 (8) | 3/3 | 32.16, 33.56, 34.78 | 33.50 ± 1.31 | 50.00 "
                + "| +3.38 ± 2.48 (3) | [-2.78, +9.54] | 0.142 | 65 % |"), md);
        assertTrue(md.contains("| memory-bank [nocontr] | 1/2 (8) | 1/1 | 31.00 | 31.00 | 50.00 "
                + "| +3.04 (1) | n < 2 | n < 2 |"), md);
        assertTrue(md.contains("| supervised | 1/2 (8) | 3/3 | 27.96, 32.97, 29.44 | 30.12 ± 2.57 | 50.00 | - | - | - | - |"), md);
        assertTrue(md.contains("## Compared pairs"), md);
        assertTrue(md.contains("| memory-bank \u2212 classmix | 1/2 | 3 (1, 2, 3) | +0.06, -0.96, +2.14 | +0.41 ± 1.58 "
                + "| [-3.51, +4.34] | 0.695 |"), md);
        assertTrue(md.contains("| memory-bank [nocontr] \u2212 memory-bank | 1/2 | 1 (1) | -1.16 | -1.16 | n < 2 | n < 2 |"), md);
        assertEquals(1, md.split("Paired by split", -1).length - 1, "the rule is stated once");
        String html = Files.readString(grid.results().resolve("report.html"));
        assertTrue(html.contains("<td>memory-bank \u2212 classmix</td>"), "the pair is on the grid page too");
        assertEquals(1, html.split("Paired by split", -1).length - 1, "the rule is stated once on the page");
        assertEquals(3, html.split("<g class=\"row\"", -1).length - 1, "a forest row per method and variant");
    }

    private void refused(String compare, String expected) throws IOException {
        Path file = grid(compare);
        SemisegException e = assertThrows(SemisegException.class, () -> GridSpec.read(file), compare);
        String text = e.getMessage();
        assertTrue(text.startsWith("grid file " + file + ": ") && text.contains(expected) && !text.contains("\n"), text);
    }

    private static JsonNode summary(JsonNode r, String label) {
        for (JsonNode s : r.get("summary")) {
            if (s.get("label").asText().equals(label) && s.get("ratio").asText().equals("1/2")) {
                return s;
            }
        }
        throw new AssertionError("no summary " + label);
    }
}
