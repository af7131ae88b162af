package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.cli.Main;
import org.semiseg.config.Config;
import org.semiseg.io.Images;
import org.semiseg.train.TrainerTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code semiseg bench} checks before anything trains ({@code --dry-run} and the real run alike), its
 * {@code --set}, paths read from the grid file's folder, and the cost table's flags.
 */
class GridCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private int bench(String... args) {
        out.reset();
        err.reset();
        String[] all = new String[args.length + 1];
        all[0] = "bench";
        System.arraycopy(args, 0, all, 1, args.length);
        return Main.execute(all);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8).strip();
    }

    /** The tiny demo grid of GridTest with {@code groups} as the last lines; out and results beside the file. */
    private Path grid(String groups) throws IOException {
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

    /**
     * A finished run stays valid when only another method's block changed (a run reads its own block), and is refused
     * when a setting it reads changed, naming the key.
     */
    @Test
    void aFinishedRunSurvivesAnotherMethodsNewDefaultButNotItsOwnSettings() throws IOException {
        Path file = grid("  - methods: [supervised]\n    ratios: [\"1/2\"]\n    seeds: [1]\n");
        assertEquals(0, bench(file.toString(), "--set", "method.cct.reference_crop=160"), err());
        assertEquals(0, bench(file.toString(), "--dry-run"), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("supervised-1_2-s1  groups[0]  finished"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run", "--set", "train.lr=0.02"));
        assertTrue(err().contains("holds a run with other settings than the grid's ('train.lr: 0.01' there,"
                + " 'train.lr: 0.02' in the grid)") && !err().contains("\n"), err());

        org.semiseg.config.Config config = org.semiseg.config.ConfigLoader.load(null, List.of("method.name=classmix"));
        Map<String, String> own = GridCheck.settingsOf(config, "classmix");
        assertTrue(own.keySet().stream().anyMatch(k -> k.startsWith("method.classmix.")), own.keySet().toString());
        assertTrue(own.containsKey("method.warmup") && own.containsKey("method.name"), "shared keys stay");
        assertFalse(own.keySet().stream().anyMatch(k -> k.startsWith("method.cct.") || k.startsWith("method.memory-bank.")),
                own.keySet().toString());
    }

    @Test
    void aTypoInTheLastGroupIsRefusedBeforeAnythingTrains() throws IOException {
        Path file = grid("  - methods: [supervised]\n    ratios: [\"1/2\"]\n  - methods: [classmx]\n    ratios: [\"1/2\"]\n");
        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run"));
        String text = err();
        assertFalse(text.contains("\n"), text);
        assertTrue(text.startsWith("semiseg: error: grid file " + file + ": groups[1] (run classmx-1_2-s1): config key"
                + " 'method.name': must be one of"), text);
        assertTrue(text.contains("(got classmx)"), text);
        // the real run checks the same, first: nothing is trained, no run folder is made
        assertEquals(Main.EXIT_INPUT, bench(file.toString()));
        assertTrue(err().contains("groups[1] (run classmx-1_2-s1)"), err());
        assertFalse(Files.exists(dir.resolve("grids/runs")), "nothing trained");
    }

    @Test
    void dryRunListsEveryRunWithItsConfigAndSetAppliesToEvery() throws IOException {
        Path file = grid("  - methods: [supervised, classmix]\n    ratios: [\"1/2\"]\n  - methods: [supervised]\n"
                + "    ratios: [all]\n    seeds: [1]\n");
        assertEquals(0, bench(file.toString(), "--dry-run", "--set", "train.iterations=4", "--set", "eval.flip=true"), err());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("grid tiny (" + file + "): 5 runs into " + dir.resolve("grids/runs")), text);
        assertTrue(text.contains("[2/5] classmix-1_2-s1    groups[0]  new  8 labeled, 8 unlabeled, 4 val images\n"
                + "      seed=1 data.labeled=1/2 data.split_seed=1 method.name=classmix\n"), text);
        assertTrue(text.contains("[5/5] supervised-all-s1  groups[1]  new  16 labeled, 4 val images\n"), text);
        assertTrue(text.contains("\n  train.iterations: 4\n") && text.contains("\n  eval.flip: true\n"), text);
        assertTrue(text.strip().endsWith("nothing was trained (--dry-run)"), text);
        assertFalse(Files.exists(dir.resolve("grids/runs")), "nothing trained");

        // a trial elsewhere: runs and results both go to --out
        Path trial = dir.resolve("trial");
        assertEquals(0, bench(file.toString(), "--dry-run", "--out", trial.toString()), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(" runs into " + trial + ", results in " + trial + ","),
                out.toString(StandardCharsets.UTF_8));

        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run", "--set", "method.name=unimatch"));
        assertTrue(err().contains("--set method.name") && !err().contains("\n"), err());
        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run", "--set", "train.iteratons=4"));
        assertTrue(err().startsWith("semiseg: error: bench --set train.iteratons: unknown key"), err());
        String good = Files.readString(file);
        Files.writeString(file, "config: missing.yaml\n" + good);
        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run"));
        assertTrue(err().startsWith("semiseg: error: grid file " + file + ": config: config file ")
                && err().contains("missing.yaml does not exist"), err());
        Files.writeString(file, good.replace("  train.batch_size: 2", "  train.batch_size: 2\n  train.bach_size: 2"));
        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run"));
        assertTrue(err().startsWith("semiseg: error: grid file " + file + ": set: train.bach_size: unknown key"), err());
        Files.writeString(file, good.replace("test_split: val", "test_split: tset"));
        assertEquals(Main.EXIT_INPUT, bench(file.toString(), "--dry-run"));
        assertTrue(err().contains("groups[0]") && err().contains("test_split") && err().contains("tset"), err());
    }

    @Test
    void pathsInTheGridFileAreReadFromItsFolder() throws IOException {
        Path data = dir.resolve("grids/data");
        for (String split : List.of("train", "val")) {
            for (int i = 0; i < 4; i++) {
                Images.writeImagePng(data.resolve("img").resolve(split).resolve(i + ".png"), new float[3 * 64], 8, 8);
                Images.writeLabelPng(data.resolve("gt").resolve(split).resolve(i + ".png"), new int[64], 8, 8);
            }
        }
        Files.writeString(data.resolve("dataset.yaml"), "classes: [a, b]\nsplits:\n  train: {images: img/train, masks: gt/train}\n"
                + "  val: {images: img/val, masks: gt/val}\n");
        Files.writeString(dir.resolve("grids/base.yaml"), "train:\n  iterations: 2\n");
        Path file = dir.resolve("grids/folder.yaml");
        Files.writeString(file, "config: base.yaml\nset:\n  data.dataset: folder\n  data:\n    root: data\nout: ../runs\n"
                + "test_split: val\ngroups:\n  - methods: [supervised]\n    ratios: [\"1/2\"]\n");
        GridSpec grid = GridSpec.read(file, List.of());
        assertEquals(dir.resolve("runs").normalize(), grid.out());
        assertEquals(grid.out(), grid.results(), "results default to out");
        Config config = grid.configOf(grid.cells().get(0));
        assertEquals(data.toAbsolutePath().normalize().toString(), config.data().root(), "nested keys too");
        assertEquals(2, config.train().iterations(), "the base config beside the grid file");
        assertEquals(0, bench(file.toString(), "--dry-run"), err());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("2 labeled, 4 val images"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stepTimesOfRunsThatSharedTheMachineOrCameOutNegativeAreFlagged() throws IOException {
        Path file = grid("  - methods: [supervised, classmix, mean-teacher]\n    ratios: [\"1/2\"]\n    seeds: [1]\n");
        GridSpec grid = GridSpec.read(file);
        fakeRun(grid, "supervised-1_2-s1", 400, 0.05, 6);
        fakeRun(grid, "classmix-1_2-s1", 300, 0.60, 6);      // shared the machine; its extra comes out negative
        fakeRun(grid, "mean-teacher-1_2-s1", 700, null, 2);  // not measured, and too short
        GridResults.write(grid, "test");
        JsonNode r = JSON.readTree(grid.results().resolve("results.json").toFile());
        JsonNode runs = r.get("runs");
        assertTrue(runs.get(0).get("cost_note").isNull(), runs.get(0).toString());
        String classmix = runs.get(1).get("cost_note").asText();
        assertTrue(classmix.contains("shared the machine (other processes used 60 %") && classmix.contains("negative extra cost (-100"),
                classmix);
        String meanTeacher = runs.get(2).get("cost_note").asText();
        assertTrue(meanTeacher.startsWith("too short to time (2 timed log intervals)"), meanTeacher);
        assertTrue(r.get("summary").get(0).get("cost_reliable").asBoolean());
        assertFalse(r.get("summary").get(1).get("cost_reliable").asBoolean());
        String md = Files.readString(grid.results().resolve("results.md"));
        assertTrue(md.contains("| classmix | 1/2 (8) | 0h01m00s | 2 | 300 | -100 | **not reliable** |"), md);
        assertTrue(md.contains("- classmix-1_2-s1: shared the machine"), md);
        assertEquals(List.of("classmix-1_2-s1: " + classmix, "mean-teacher-1_2-s1: " + meanTeacher), GridResults.costWarnings(grid));
        assertTrue(Files.readString(grid.results().resolve("report.html")).contains("Not reliable"));
    }

    /** A finished run's files as a grid reads them: step times over {@code intervals} logs after the first. */
    private static void fakeRun(GridSpec grid, String name, double computeMs, Double otherCpu, int intervals) throws IOException {
        Path run = Files.createDirectories(grid.out().resolve(name));
        StringBuilder metrics = new StringBuilder();
        for (int i = 0; i <= intervals; i++) {
            metrics.append("{\"iter\": ").append(i + 1).append(", \"loss\": 1.0, \"data_ms\": 2, \"compute_ms\": ")
                    .append(i == 0 ? 5000 : computeMs).append("}\n");
        }
        metrics.append("{\"iter\": 6, \"eval\": {\"mIoU\": 0.5}}\n");
        Files.writeString(run.resolve("metrics.jsonl"), metrics);
        Files.writeString(run.resolve("eval.json"), "{\"mIoU\": 0.5}");
        Files.writeString(run.resolve("eval-val.json"), "{\"mIoU\": 0.4, \"iou\": {}}");
        Files.writeString(run.resolve(GridRunner.BENCH_JSON), "{\"wall_s\": 60, \"segments\": 1, \"labeled_images\": 8"
                + (otherCpu == null ? "" : ", \"other_cpu\": " + otherCpu) + "}");
    }
}
