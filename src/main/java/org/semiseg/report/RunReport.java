package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.semiseg.SemisegException;
import org.semiseg.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.semiseg.report.Html.esc;

/**
 * {@code <run>/report.html}: one self-contained page about a run, built from its files only (config.yaml,
 * metrics.jsonl, {@link EvalSnapshot#LATEST} or eval.json, the example PNGs): settings, loss curves, validation mIoU
 * over iterations, per-class IoU, the confusion matrix and example predictions.
 */
public final class RunReport {
    /** The report's file name inside the run directory. */
    public static final String FILE = "report.html";
    /** Most points drawn per loss curve; longer logs are averaged in buckets. */
    private static final int MAX_POINTS = 1000;

    private RunReport() {
    }

    /**
     * Builds the report of {@code runDir} and writes it atomically.
     *
     * @return the report file
     * @throws SemisegException naming the file when the folder is not a run or one of its files cannot be read
     */
    public static Path write(Path runDir) {
        String html = build(runDir);
        Path target = runDir.resolve(FILE);
        try {
            AtomicFiles.writeString(target, html);
        } catch (IOException e) {
            throw new SemisegException("cannot write " + target + ": " + e.getMessage());
        }
        return target;
    }

    /** The report's HTML. */
    public static String build(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new SemisegException("run directory " + runDir + " does not exist");
        }
        Path metricsFile = runDir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(metricsFile)) {
            throw new SemisegException(metricsFile + " does not exist: " + runDir + " is not a run directory");
        }
        List<JsonNode> metrics = Json.readLines(metricsFile);
        Path configFile = runDir.resolve("config.yaml");
        JsonNode config = Files.exists(configFile) ? Json.readYaml(configFile) : null;
        Path snapshotFile = runDir.resolve(EvalSnapshot.LATEST);
        if (!Files.exists(snapshotFile)) {
            snapshotFile = runDir.resolve("eval.json");
        }
        EvalSnapshot latest = null;
        if (Files.exists(snapshotFile)) {
            try {
                latest = EvalSnapshot.of(Json.read(snapshotFile));
            } catch (IllegalArgumentException e) {
                throw new SemisegException("cannot read " + snapshotFile + ": " + e.getMessage());
            }
        }
        return new Builder(runDir, metrics, config, latest, snapshotFile.getParent()).html();
    }

    /** One evaluation line of metrics.jsonl. */
    private record Evaluation(int iteration, String split, double miou, JsonNode iou) {
    }

    private static final class Builder {
        private final Path runDir;
        private final JsonNode config;
        /** supervised's recorded curve at this run's settings (the demo's defaults), or null */
        private final ReferenceCurve reference;
        private final EvalSnapshot latest;
        private final Path snapshotFolder;
        private final List<JsonNode> steps = new ArrayList<>();
        private final List<Evaluation> evaluations = new ArrayList<>();
        private final List<JsonNode> metrics;
        private int skipped;
        private int retried;
        private int lastIteration;

        Builder(Path runDir, List<JsonNode> metrics, JsonNode config, EvalSnapshot latest, Path snapshotFolder) {
            this.runDir = runDir;
            this.config = config;
            this.reference = ReferenceCurve.forRun(config);
            this.latest = latest;
            this.snapshotFolder = snapshotFolder;
            this.metrics = metrics;
            for (JsonNode line : metrics) {
                lastIteration = Math.max(lastIteration, line.path("iter").asInt(0));
                if (line.has("retried")) {
                    retried++;
                }
                if (line.has("skipped")) {
                    skipped++;
                } else if (line.has("retried") && !line.has("loss")) {
                    continue; // a retry note of a step that was not logged
                } else if (line.has("eval")) {
                    JsonNode e = line.get("eval");
                    // several domains: the mean's line; the per-class IoU shown with it is the first domain's
                    List<String> domains = DomainCharts.domains(line);
                    JsonNode iou = domains.isEmpty() ? e.path("iou") : line.path("eval_" + domains.get(0)).path("iou");
                    evaluations.add(new Evaluation(line.path("iter").asInt(0), e.path("split").asText("val"),
                            Json.num(e.path("mIoU")), iou));
                } else if (line.has("iter")) {
                    steps.add(line);
                }
            }
        }

        String html() {
            String name = runDir.toAbsolutePath().normalize().getFileName() == null ? runDir.toString()
                    : runDir.toAbsolutePath().normalize().getFileName().toString();
            StringBuilder body = new StringBuilder();
            body.append("<h1>").append(esc(name)).append("</h1>\n<p class=\"sub\">semiseg run report \u00b7 ")
                    .append(esc(setting("method", "name"))).append(" on ").append(esc(setting("data", "dataset")))
                    .append(" \u00b7 written ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append("</p>\n");
            header(body);
            body.append("<h2>Training</h2>\n<div class=\"charts\">\n");
            body.append(Html.figure(lossChart(), "every loss term logged in metrics.jsonl (log scale)"));
            body.append(Html.figure(miouChart(), reference == null ? "mIoU of each evaluation during training"
                    : "mIoU of each evaluation during training; dashed: " + reference.about()));
            body.append("</div>\n");
            body.append(DomainCharts.section(metrics));
            evaluation(body);
            body.append("<details><summary>config.yaml</summary><pre>").append(esc(configText())).append("</pre></details>\n");
            return Html.page(name + " \u2013 semiseg report", body.toString());
        }

        private void header(StringBuilder body) {
            Evaluation best = best();
            Evaluation last = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
            String total = setting("train", "iterations");
            body.append("<div class=\"facts\">\n");
            body.append(Html.fact("best val mIoU", best == null ? Html.MISSING
                    : Html.percent(best.miou()) + " (iteration " + best.iteration() + ")", true));
            body.append(Html.fact("iterations done", lastIteration + " of " + total, true));
            body.append(Html.fact("latest mIoU", last == null ? Html.MISSING
                    : Html.percent(last.miou()) + " (" + last.split() + ", iteration " + last.iteration() + ")", false));
            body.append(Html.fact("method", setting("method", "name"), false));
            body.append(Html.fact("dataset", setting("data", "dataset") + ", labeled " + setting("data", "labeled"), false));
            body.append(Html.fact("model", setting("model", "arch") + ", " + setting("model", "backbone") + " \u00d7"
                    + setting("model", "width"), false));
            body.append(Html.fact("batch \u00b7 lr", setting("train", "batch_size") + " \u00b7 " + setting("train", "lr"), false));
            body.append(Html.fact("augmentation", setting("augment", "labeled") + " / " + setting("augment", "unlabeled")
                    + (isSet("augment", "crop") ? ", crop " + setting("augment", "crop") : ""), false));
            body.append(Html.fact("class balancing", setting("train", "class_balancing"), false));
            body.append(Html.fact("seed", setting("seed"), false));
            if (isSet("data", "resize")) {
                body.append(Html.fact("resize", setting("data", "resize"), false));
            }
            double ips = mean("images_per_s");
            if (Double.isFinite(ips)) {
                body.append(Html.fact("speed", Html.number(ips, 1) + " images/s; per step: data "
                        + Html.number(mean("data_ms"), 1) + " ms, compute " + Html.number(mean("compute_ms"), 0) + " ms", false));
            }
            if (retried > 0) {
                body.append(Html.fact("retried steps", retried + " (non-finite at first, finite when computed again)",
                        false));
            }
            if (skipped > 0) {
                body.append(Html.fact("skipped steps", skipped + " (non-finite loss or gradient)", false));
            }
            body.append("</div>\n");
        }

        private void evaluation(StringBuilder body) {
            body.append("<h2>Evaluation</h2>\n");
            if (evaluations.isEmpty() && latest == null) {
                body.append("<p class=\"note\">No evaluation yet: the charts below appear after the first one"
                        + " (train.eval_every).</p>\n");
                return;
            }
            body.append("<div class=\"charts\">\n");
            body.append(Html.figure(classChart(), "per-class IoU; classes absent from the split have no bar"));
            if (latest != null && latest.confusionMatrix() != null) {
                body.append(Html.figure(Svg.heatMap("Confusion matrix (" + latest.split()
                                + (latest.iteration() >= 0 ? ", iteration " + latest.iteration() : "") + ")",
                        "true class", "predicted class", latest.classNames(), latest.classNames(), latest.rowNormalised()),
                        "each row divided by the pixels of its true class"));
            }
            body.append("</div>\n");
            ExampleTable.append(body, latest, snapshotFolder);
        }

        private String lossChart() {
            List<String> keys = new ArrayList<>();
            for (JsonNode line : steps) {
                for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
                    String key = it.next();
                    if (key.startsWith("loss") && line.get(key).isNumber() && !keys.contains(key)) {
                        keys.add(key);
                    }
                }
            }
            keys.sort(java.util.Comparator.comparing(key -> !key.equals("loss")));
            double[] x = new double[steps.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = steps.get(i).path("iter").asDouble();
            }
            Map<String, double[]> values = new LinkedHashMap<>();
            for (String key : keys) {
                double[] y = new double[steps.size()];
                for (int i = 0; i < y.length; i++) {
                    y[i] = Json.num(steps.get(i).get(key));
                }
                values.put(key, y);
            }
            // a lone term equal to the total (supervised) would hide under it: one line, named for both
            List<String> names = new ArrayList<>(keys);
            double[] total = values.get("loss");
            for (String key : keys) {
                if (total != null && !key.equals("loss") && java.util.Arrays.equals(values.get(key), total)) {
                    names.set(keys.indexOf("loss"), "loss = " + key);
                    names.remove(key);
                    values.remove(key);
                    break;
                }
            }
            List<Svg.Series> series = new ArrayList<>();
            int k = 0;
            for (double[] y : values.values()) {
                double[][] xy = bucketMeans(x, y);
                series.add(new Svg.Series(names.get(k), xy[0], xy[1], Svg.color(k)));
                k++;
            }
            return Svg.lineChart("Loss", "iteration", "loss", series, true, false);
        }

        private String miouChart() {
            Map<String, List<Evaluation>> bySplit = new LinkedHashMap<>();
            for (Evaluation e : evaluations) {
                bySplit.computeIfAbsent(e.split(), s -> new ArrayList<>()).add(e);
            }
            List<Svg.Series> series = new ArrayList<>();
            int k = 0;
            for (Map.Entry<String, List<Evaluation>> e : bySplit.entrySet()) {
                double[] x = e.getValue().stream().mapToDouble(Evaluation::iteration).toArray();
                double[] y = e.getValue().stream().mapToDouble(v -> 100 * v.miou()).toArray();
                series.add(new Svg.Series(e.getKey() + " mIoU", x, y, Svg.color(k++ + 2)));
            }
            if (reference != null) {
                double[] y = java.util.Arrays.stream(reference.miou()).map(v -> 100 * v).toArray();
                series.add(new Svg.Series(reference.label(), reference.iterations(), y, "#7f7f7f", true));
            }
            return Svg.lineChart("mIoU over iterations", "iteration", "mIoU (%)", series, false, true);
        }

        private String classChart() {
            List<String> classes = latest != null ? latest.classNames() : new ArrayList<>();
            if (classes.isEmpty()) {
                evaluations.get(evaluations.size() - 1).iou().fieldNames().forEachRemaining(classes::add);
            }
            List<Svg.Bars> bars = new ArrayList<>();
            Evaluation last = evaluations.isEmpty() ? null : evaluations.get(evaluations.size() - 1);
            Evaluation best = best();
            if (last != null) {
                bars.add(new Svg.Bars("latest (iteration " + last.iteration() + ")", percents(last.iou(), classes), null,
                        Svg.color(0)));
                if (best != null && best.iteration() != last.iteration()) {
                    bars.add(new Svg.Bars("best (iteration " + best.iteration() + ")", percents(best.iou(), classes),
                            null, Svg.color(1)));
                }
            } else {
                double[] values = latest.iou().clone();
                for (int c = 0; c < values.length; c++) {
                    values[c] *= 100;
                }
                bars.add(new Svg.Bars(latest.split(), values, null, Svg.color(0)));
            }
            return Svg.barChart("Per-class IoU", "IoU (%)", classes, bars, false, 100);
        }

        private static double[] percents(JsonNode iou, List<String> classes) {
            double[] out = new double[classes.size()];
            for (int c = 0; c < out.length; c++) {
                out[c] = 100 * Json.num(iou.path(classes.get(c)));
            }
            return out;
        }

        /** The best validation evaluation (the split that selects checkpoints), or null. */
        private Evaluation best() {
            Evaluation best = null;
            for (Evaluation e : evaluations) {
                if (e.split().equals("val") && Double.isFinite(e.miou()) && (best == null || e.miou() > best.miou())) {
                    best = e;
                }
            }
            return best;
        }

        private double mean(String key) {
            double sum = 0;
            int n = 0;
            for (JsonNode line : steps) {
                double v = Json.num(line.get(key));
                if (Double.isFinite(v)) {
                    sum += v;
                    n++;
                }
            }
            return n == 0 ? Double.NaN : sum / n;
        }

        private String setting(String... path) {
            if (config == null) {
                return "?";
            }
            JsonNode node = config;
            for (String key : path) {
                node = node.path(key);
            }
            if (node.isMissingNode()) {
                return "?";
            }
            return node.isValueNode() ? node.asText() : node.toString();
        }

        private boolean isSet(String... path) {
            String v = setting(path);
            return !v.equals("?") && !v.equals("null");
        }

        private String configText() {
            try {
                return Files.readString(runDir.resolve("config.yaml"));
            } catch (IOException e) {
                return "(no config.yaml)";
            }
        }
    }

    /** Averages {@code (x, y)} in equal buckets when there are more than {@link #MAX_POINTS} points. */
    static double[][] bucketMeans(double[] x, double[] y) {
        if (x.length <= MAX_POINTS) {
            return new double[][] {x, y};
        }
        int size = (x.length + MAX_POINTS - 1) / MAX_POINTS;
        int buckets = (x.length + size - 1) / size;
        double[] bx = new double[buckets];
        double[] by = new double[buckets];
        for (int b = 0; b < buckets; b++) {
            double sx = 0;
            double sy = 0;
            int nx = 0;
            int ny = 0;
            for (int i = b * size; i < Math.min(x.length, (b + 1) * size); i++) {
                sx += x[i];
                nx++;
                if (Double.isFinite(y[i])) {
                    sy += y[i];
                    ny++;
                }
            }
            bx[b] = sx / nx;
            by[b] = ny == 0 ? Double.NaN : sy / ny;
        }
        return new double[][] {bx, by};
    }
}
