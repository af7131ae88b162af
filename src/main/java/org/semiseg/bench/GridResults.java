package org.semiseg.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Collects a grid's run directories into {@code results.json} and {@code results.md}: per run its status, val and
 * test mIoU, per-class test IoU, wall time and step-time split; per method and ratio the mean ± sample std over the
 * finished seeds, and the share of the supervised-to-all-labels gap the method closes.
 */
public final class GridResults {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private GridResults() {
    }

    /**
     * One run's figures; IoU values are fractions; null where the run has not got that far.
     *
     * @param otherCpu       other processes' mean share of the machine's CPU while it trained (bench.json); null when
     *                       not measured
     * @param timedIntervals log intervals its step times are the median of
     * @param costNote       why its step times (or its extra cost) are not reliable; null when they are
     */
    public record Run(String name, String dir, String method, String ratio, long seed, String status,
                      Integer labeledImages, int iterations, Integer doneIterations, Integer bestIter, Double valMiou,
                      Double testMiou, List<Double> testClassIou, Double wallS, Double dataMs, Double computeMs,
                      Double extraMs, Double otherCpu, Integer timedIntervals, String costNote) {
        Run withExtraMs(Double extra) {
            return new Run(name, dir, method, ratio, seed, status, labeledImages, iterations, doneIterations, bestIter,
                    valMiou, testMiou, testClassIou, wallS, dataMs, computeMs, extra, otherCpu, timedIntervals, costNote);
        }

        Run withCostNote(String note) {
            return new Run(name, dir, method, ratio, seed, status, labeledImages, iterations, doneIterations, bestIter,
                    valMiou, testMiou, testClassIou, wallS, dataMs, computeMs, extraMs, otherCpu, timedIntervals, note);
        }
    }

    /**
     * Mean over the finished seeds of one method at one ratio. {@code gain*}: the method's test mIoU minus supervised's
     * on the same split, over the seeds both have finished ({@code gainSeeds}); {@code gapShare}: that gain over the gap
     * between supervised at this ratio and supervised on every label (with every seed finished, the same as the
     * difference of the means over the gap).
     */
    public record Summary(String method, String ratio, List<Long> seeds, int finished, Double testMiouMean,
                          Double testMiouStd, Double valMiouMean, List<Double> classIouMean, Double gainMean,
                          Double gainStd, Integer gainSeeds, Double gapShare,
                          @JsonProperty("wall_s_mean") Double wallSMean, Double dataMs, Double computeMs, Double extraMs,
                          boolean costReliable) {
        Summary withGain(Double mean, Double std, Integer pairs, Double share) {
            return new Summary(method, ratio, seeds, finished, testMiouMean, testMiouStd, valMiouMean, classIouMean,
                    mean, std, pairs, share, wallSMean, dataMs, computeMs, extraMs, costReliable);
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
        for (GridSpec.Cell cell : grid.cells()) {
            runs.add(run(grid, cell, grid.configOf(cell).train().iterations(), classes));
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
        out.put("runs", runs);
        out.put("summary", summaries(runs));
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
        // the run's folder as seen from the results folder (for links from the grid's report)
        String dir = grid.results().toAbsolutePath().normalize().relativize(root.toAbsolutePath().normalize()).toString();
        return new Run(cell.runName(), dir.isEmpty() ? "." : dir, cell.method(), cell.ratio(), cell.seed(), status,
                bench != null && bench.has("labeled_images") ? bench.get("labeled_images").asInt() : null,
                iterations, metrics.lastIter > 0 ? metrics.lastIter : null, metrics.bestIter, metrics.bestMiou,
                test == null ? null : test.get("mIoU").asDouble(), classIou,
                bench != null && bench.has("wall_s") ? bench.get("wall_s").asDouble() : null,
                metrics.median(RunMetrics.DATA), metrics.median(RunMetrics.COMPUTE), null,
                bench != null && bench.has("other_cpu") ? bench.get("other_cpu").asDouble() : null,
                metrics.timedIntervals(), null);
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

    /** Supervised at the same ratio and seed (the same labeled split) as {@code r}; null when the grid has none. */
    static Run baseline(List<Run> runs, Run r) {
        return runs.stream().filter(s -> s.method().equals("supervised") && s.ratio().equals(r.ratio())
                && s.seed() == r.seed()).findFirst().orElse(null);
    }

    private static List<Summary> summaries(List<Run> runs) {
        List<String[]> keys = new ArrayList<>();
        for (Run r : runs) {
            if (keys.stream().noneMatch(k -> k[0].equals(r.method()) && k[1].equals(r.ratio()))) {
                keys.add(new String[] {r.method(), r.ratio()});
            }
        }
        List<Summary> out = new ArrayList<>();
        Summary upper = null;
        for (String[] k : keys) {
            List<Run> group = runs.stream().filter(r -> r.method().equals(k[0]) && r.ratio().equals(k[1])).toList();
            List<Run> done = group.stream().filter(r -> r.status().equals("finished")).toList();
            List<Double> classMean = null;
            if (!done.isEmpty()) {
                int n = done.get(0).testClassIou().size();
                classMean = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    final int cls = c;
                    classMean.add(mean(done, r -> r.testClassIou().get(cls) == null ? Double.NaN : r.testClassIou().get(cls)));
                }
            }
            Summary s = new Summary(k[0], k[1], group.stream().map(Run::seed).toList(), done.size(),
                    mean(done, Run::testMiou), std(done, Run::testMiou), mean(done, Run::valMiou), classMean, null,
                    null, null, null, mean(done, r -> r.wallS() == null ? Double.NaN : r.wallS()),
                    mean(done, r -> r.dataMs() == null ? Double.NaN : r.dataMs()),
                    mean(done, r -> r.computeMs() == null ? Double.NaN : r.computeMs()),
                    mean(done, r -> r.extraMs() == null ? Double.NaN : r.extraMs()),
                    done.stream().allMatch(r -> r.costNote() == null));
            if (k[0].equals("supervised") && isAll(k[1])) {
                upper = s;
            }
            out.add(s);
        }
        // the gain over supervised on the same splits, and the share of the gap between supervised at a ratio and
        // supervised on every label that it closes
        List<Summary> withGain = new ArrayList<>();
        for (Summary s : out) {
            if (s.method().equals("supervised")) {
                withGain.add(s);
                continue;
            }
            List<Double> gains = new ArrayList<>();
            for (Run r : runs) {
                if (r.method().equals(s.method()) && r.ratio().equals(s.ratio()) && r.status().equals("finished")) {
                    Run b = baseline(runs, r);
                    if (b != null && b.status().equals("finished")) {
                        gains.add(r.testMiou() - b.testMiou());
                    }
                }
            }
            if (gains.isEmpty()) {
                withGain.add(s);
                continue;
            }
            double gain = gains.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            Double gainStd = null;
            if (gains.size() > 1) {
                double ss = gains.stream().mapToDouble(g -> (g - gain) * (g - gain)).sum();
                gainStd = Math.sqrt(ss / (gains.size() - 1));
            }
            Summary lower = out.stream().filter(o -> o.method().equals("supervised") && o.ratio().equals(s.ratio()))
                    .findFirst().orElse(null);
            Double share = null;
            if (upper != null && upper.testMiouMean() != null && lower != null && lower.testMiouMean() != null) {
                double gap = upper.testMiouMean() - lower.testMiouMean();
                share = gap > 0 ? gain / gap : null;
            }
            withGain.add(s.withGain(gain, gainStd, gains.size(), share));
        }
        return withGain;
    }

    static boolean isAll(String ratio) {
        return ratio.equals("all") || ratio.equals("1") || ratio.equals("1/1");
    }

    private static Double mean(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
        return v.length == 0 ? null : Arrays.stream(v).average().orElseThrow();
    }

    private static Double std(List<Run> runs, ToDoubleFunction<Run> f) {
        if (runs.size() < 2) {
            return null;
        }
        double m = mean(runs, f);
        double ss = runs.stream().mapToDouble(r -> (f.applyAsDouble(r) - m) * (f.applyAsDouble(r) - m)).sum();
        return Math.sqrt(ss / (runs.size() - 1));
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
