package org.semiseg.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.Datasets;
import org.semiseg.io.AtomicFiles;
import org.semiseg.report.GridReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a grid's run directories into {@code results.json} and {@code results.md}: per run its status, val and
 * test mIoU, per-class test IoU, wall time and step-time split; per method (or variant) and ratio the mean ± sample
 * std over the finished seeds, the gain over plain supervised paired by split, and the share of the
 * supervised-to-all-labels gap it closes ({@link GridSummaries}) with its 95 % t interval and p-value
 * ({@link PairedStats}); the pairs of rows the grid compares ({@link GridCompare}); the variants and what their
 * groups' {@code set} changes.
 */
public final class GridResults {
    /** results.json's mapper (snake_case keys), also {@link GridRecorded}'s reader of it. */
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private GridResults() {
    }

    /**
     * One run's figures; IoU values are fractions; null where the run has not got that far.
     *
     * @param tag            its group's variant tag; null for a plain run
     * @param label          its row in the tables: {@code METHOD} or {@code METHOD [TAG]}
     * @param otherCpu       other processes' mean share of the machine's CPU while it trained (bench.json); null when
     *                       not measured
     * @param timedIntervals log intervals its step times are the median of
     * @param costNote       why its step times (or its extra cost) are not reliable; null when they are
     * @param recorded       true when its figures come from an earlier results.json because its run folder is gone
     *                       ({@link GridRecorded}); null (left out of the JSON) when read from its folder
     * @param machines       the machines its segments trained on ({@link MachineName}); null when not recorded
     */
    public record Run(String name, String dir, String method, String tag, String label, String ratio, long seed,
                      String status, Integer labeledImages, int iterations, Integer doneIterations, Integer bestIter,
                      Double valMiou, Double testMiou, List<Double> testClassIou, Double wallS, Double dataMs,
                      Double computeMs, Double extraMs, Double otherCpu, Integer timedIntervals, String costNote,
                      @JsonInclude(JsonInclude.Include.NON_NULL) Boolean recorded,
                      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> machines) {
        Run withExtraMs(Double extra) {
            return new Run(name, dir, method, tag, label, ratio, seed, status, labeledImages, iterations, doneIterations,
                    bestIter, valMiou, testMiou, testClassIou, wallS, dataMs, computeMs, extra, otherCpu, timedIntervals,
                    costNote, recorded, machines);
        }

        Run withCostNote(String note) {
            return new Run(name, dir, method, tag, label, ratio, seed, status, labeledImages, iterations, doneIterations,
                    bestIter, valMiou, testMiou, testClassIou, wallS, dataMs, computeMs, extraMs, otherCpu, timedIntervals,
                    note, recorded, machines);
        }

        /** This record kept for a run whose folder is gone: marked recorded, its folder link {@code folder}. */
        Run recordedAt(String folder) {
            return new Run(name, folder, method, tag, label, ratio, seed, status, labeledImages, iterations, doneIterations,
                    bestIter, valMiou, testMiou, testClassIou, wallS, dataMs, computeMs, null, otherCpu, timedIntervals,
                    null, true, machines);
        }
    }

    /** Reads every cell's run directory and writes results.json and results.md into the grid's out folder. */
    public static void write(GridSpec grid, String command) {
        Map<String, Object> results = collect(grid, command);
        Path json = grid.results().resolve("results.json");
        Path md = grid.results().resolve("results.md");
        try {
            Files.createDirectories(grid.results());
            AtomicFiles.writeString(json, JSON.writeValueAsString(results));
            AtomicFiles.writeString(md, GridMarkdown.render(JSON.valueToTree(results)));
        } catch (IOException e) {
            org.semiseg.io.OutOfSpace.ifFull(e, json);
            throw new SemisegException("cannot write " + json + ": " + e.getMessage());
        }
        GridReport.write(grid.results());
    }

    static Map<String, Object> collect(GridSpec grid, String command) {
        Config base = ConfigLoader.load(grid.config(), grid.overrides());
        List<String> classes = Datasets.classes(base.data()).names();
        List<Run> runs = new ArrayList<>();
        GridRecorded recorded = GridRecorded.read(grid);
        for (GridSpec.Cell cell : grid.cells()) {
            int iterations = grid.configOf(cell).train().iterations();
            Path root = grid.out().resolve(cell.runName());
            Run kept = recorded.of(cell, iterations, root);
            runs.add(kept != null ? kept.recordedAt(folderLink(grid, root)) : run(grid, cell, iterations, classes));
        }
        runs = GridCost.withCostNotes(GridCost.withExtra(runs));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", grid.name());
        out.put("dataset", base.data().dataset());
        out.put("grid", grid.file().toString());
        out.put("command", command);
        out.put("commit", Commit.describe(Path.of(""), grid.results()));
        out.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        out.put("test_split", grid.testSplit());
        out.put("runs_dir", grid.out().toString());
        out.put("classes", classes);
        out.put("scale", scale(base));
        out.put("shared_cpu_threshold", GridCost.SHARED_CPU);
        out.put("variants", variants(grid));
        out.put("runs", runs);
        out.put("summary", GridSummaries.of(runs));
        out.put("statistics", PairedStats.RULE);
        out.put("comparisons", GridCompare.of(grid.compare(), runs));
        return out;
    }

    /**
     * What each variant changes: its tag, its group's {@code set} (as {@code KEY=VALUE}, applied after the grid's
     * {@code set}, before the command line's) and its methods; empty for a grid without tags.
     */
    private static List<Map<String, Object>> variants(GridSpec grid) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GridSpec.Variant v : grid.variants()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tag", v.tag());
            m.put("set", v.set());
            m.put("methods", grid.cells().stream().filter(c -> v.equals(c.variant())).map(GridSpec.Cell::method)
                    .distinct().toList());
            m.put("group", v.group());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> scale(Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resize", c.data().resize() == null ? null : c.data().resize().factor() > 0
                ? (Object) c.data().resize().factor() : List.of(c.data().resize().height(), c.data().resize().width()));
        m.put("crop", c.augment().crop());
        m.put("arch", c.model().arch());
        m.put("backbone", c.model().backbone());
        m.put("width", c.model().width());
        m.put("output_stride", c.model().outputStride());
        m.put("pretrained", c.model().pretrained());
        m.put("iterations", c.train().iterations());
        m.put("batch_size", c.train().batchSize());
        m.put("unlabeled_views", c.method().unlabeledViews());
        m.put("class_balancing", c.train().classBalancing());
        m.put("eval_mode", c.eval().mode());
        return m;
    }

    private static Run run(GridSpec grid, GridSpec.Cell cell, int iterations, List<String> classes) {
        Path root = grid.out().resolve(cell.runName());
        RunMetrics metrics = RunMetrics.read(root.resolve("metrics.jsonl"));
        JsonNode bench = readJson(root.resolve(GridRunner.BENCH_JSON));
        JsonNode test = readJson(GridRunner.testEvalFile(root, grid.testSplit()));
        String status;
        if (test != null && metrics.lastEvalIter >= iterations) {
            status = "finished";
        } else if (metrics.lastEvalIter >= iterations) {
            status = "trained";
        } else if (metrics.lastIter > 0) {
            status = "partial";
        } else {
            status = "pending";
        }
        List<Double> classIou = null;
        if (test != null) {
            classIou = new ArrayList<>();
            for (String name : classes) {
                JsonNode v = test.path("iou").get(name);
                classIou.add(v == null || v.isNull() ? null : v.asDouble());
            }
        }
        return new Run(cell.runName(), folderLink(grid, root), cell.method(), cell.tag(), cell.label(), cell.ratio(),
                cell.seed(), status,
                bench != null && bench.has("labeled_images") ? bench.get("labeled_images").asInt() : null,
                iterations, metrics.lastIter > 0 ? metrics.lastIter : null, metrics.bestIter, metrics.bestMiou,
                test == null ? null : test.get("mIoU").asDouble(), classIou,
                bench != null && bench.has("wall_s") ? bench.get("wall_s").asDouble() : null,
                metrics.median(RunMetrics.DATA), metrics.median(RunMetrics.COMPUTE), null,
                bench != null && bench.has("other_cpu") ? bench.get("other_cpu").asDouble() : null,
                metrics.timedIntervals(), null, null, machines(bench));
    }

    /** bench.json's machines; null when it names none. */
    private static List<String> machines(JsonNode bench) {
        if (bench == null || !bench.path("machines").isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        bench.get("machines").forEach(n -> out.add(n.asText()));
        return out;
    }

    /** A run's folder as seen from the results folder (for links from the grid's report). */
    private static String folderLink(GridSpec grid, Path root) {
        String dir = grid.results().toAbsolutePath().normalize().relativize(root.toAbsolutePath().normalize()).toString();
        return dir.isEmpty() ? "." : dir;
    }

    /** One line for the console when a run is done: its val and test mIoU, wall time and step cost. */
    public static String resultLine(GridSpec grid, GridSpec.Cell cell) {
        Run r = run(grid, cell, grid.configOf(cell).train().iterations(), List.of());
        StringBuilder line = new StringBuilder("done: val mIoU ").append(pct(r.valMiou()));
        if (r.bestIter() != null) {
            line.append(" (best, iteration ").append(r.bestIter()).append(')');
        }
        line.append(", ").append(grid.testSplit()).append(" mIoU ").append(pct(r.testMiou()));
        if (r.wallS() != null) {
            long t = Math.round(r.wallS());
            line.append(String.format(java.util.Locale.ROOT, ", %dh%02dm%02ds", t / 3600, t / 60 % 60, t % 60));
        }
        if (r.computeMs() != null) {
            line.append(String.format(java.util.Locale.ROOT, ", %.0f ms/step", r.computeMs()));
        }
        List<String> problems = r.computeMs() == null ? List.of() : GridCost.ownProblems(r);
        if (!problems.isEmpty()) {
            line.append(" (step time not reliable: ").append(String.join("; ", problems)).append(')');
        }
        return line.toString();
    }

    /** The runs whose step times the cost table flags, as "name: why" lines (empty when none). */
    public static List<String> costWarnings(GridSpec grid) {
        List<String> out = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Run> runs = (List<Run>) collect(grid, "").get("runs");
        for (Run r : runs) {
            if (r.costNote() != null && r.status().equals("finished")) {
                out.add(r.name() + ": " + r.costNote());
            }
        }
        return out;
    }

    private static String pct(Double v) {
        return v == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f", 100 * v);
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new SemisegException(file + " cannot be read: " + e.getMessage());
        }
    }

    /** The last iteration with a validation line in metrics.jsonl (0 when none). */
    static int lastEvalIteration(Path metrics) {
        return RunMetrics.read(metrics).lastEvalIter;
    }
}
