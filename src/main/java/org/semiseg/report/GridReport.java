package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.semiseg.SemisegException;
import org.semiseg.io.AtomicFiles;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.semiseg.report.Html.esc;

/**
 * {@code <grid>/report.html}: the page of a benchmark grid, from its {@code results.json} (written by
 * {@code semiseg bench}): test mIoU mean ± std per method (a variant of a method as {@code METHOD [TAG]}) and labeled
 * ratio, each row's paired gain over supervised with its 95 % interval and p-value, drawn as a forest plot with the gap
 * to every label marked ({@link ForestPlot}), the grid's compared pairs, per-class IoU, wall time per run, the step-time split per method, and the runs with links to their own
 * reports. Missing (null) values are left out.
 */
public final class GridReport {
    /** The grid's results file, read from the grid directory. */
    public static final String RESULTS = "results.json";

    private GridReport() {
    }

    /**
     * Builds the report of {@code gridDir} from its results.json and writes it atomically.
     *
     * @return the report file
     * @throws SemisegException naming the file when results.json is missing or unreadable
     */
    public static Path write(Path gridDir) {
        String html = build(gridDir);
        Path target = gridDir.resolve(RunReport.FILE);
        try {
            AtomicFiles.writeString(target, html);
        } catch (IOException e) {
            throw new SemisegException("cannot write " + target + ": " + e.getMessage());
        }
        return target;
    }

    /** The report's HTML. */
    public static String build(Path gridDir) {
        if (!Files.isDirectory(gridDir)) {
            throw new SemisegException("grid directory " + gridDir + " does not exist");
        }
        Path file = gridDir.resolve(RESULTS);
        if (!Files.isRegularFile(file)) {
            throw new SemisegException(file + " does not exist: " + gridDir + " is not a grid directory");
        }
        JsonNode results = Json.read(file);
        if (!results.path("runs").isArray() && !results.path("summary").isArray()) {
            throw new SemisegException("cannot read " + file + ": it has neither \"runs\" nor \"summary\"");
        }
        return new Builder(gridDir, results).html();
    }

    private static final class Builder {
        private final Path gridDir;
        private final JsonNode results;
        private final List<String> classes = new ArrayList<>();
        private final List<String> methods = new ArrayList<>();
        private final List<String> ratios = new ArrayList<>();

        Builder(Path gridDir, JsonNode results) {
            this.gridDir = gridDir;
            this.results = results;
            results.path("classes").forEach(c -> classes.add(c.asText()));
            for (String list : List.of("summary", "runs")) {
                for (JsonNode row : results.path(list)) {
                    addOnce(methods, label(row));
                    addOnce(ratios, row.path("ratio").asText("?"));
                }
            }
        }

        String html() {
            String name = results.path("name").asText(gridDir.toAbsolutePath().normalize().getFileName() + "");
            StringBuilder body = new StringBuilder();
            body.append("<h1>").append(esc(name)).append("</h1>\n<p class=\"sub\">semiseg benchmark grid \u00b7 ")
                    .append(esc(text(results, "dataset"))).append(" \u00b7 ").append(esc(text(results, "date")))
                    .append("</p>\n");
            header(body);
            summary(body);
            body.append(ForestPlot.section(results));
            classTable(body);
            body.append("<h2>Time</h2>\n<div class=\"charts\">\n");
            List<String> unreliable = new ArrayList<>();
            for (JsonNode row : results.path("summary")) {
                if (row.has("cost_reliable") && !row.get("cost_reliable").asBoolean()) {
                    unreliable.add(label(row) + " " + text(row, "ratio"));
                }
            }
            body.append(Html.figure(stepChart(), "mean milliseconds per step: waiting for data, the step's compute,"
                    + " and the rest (logging, evaluation, checkpoints)" + (unreliable.isEmpty() ? ""
                    : ". Not reliable (a run shared the machine, was too short to time, or its extra cost came out"
                    + " negative; see results.md): " + String.join(", ", unreliable))));
            body.append(Html.figure(wallChart(), "wall-clock time of each run"));
            body.append("</div>\n");
            runs(body);
            return Html.page(name + " \u2013 semiseg grid report", body.toString());
        }

        private void header(StringBuilder body) {
            JsonNode scale = results.path("scale");
            body.append("<div class=\"facts\">\n");
            body.append(Html.fact("dataset", text(results, "dataset"), false));
            body.append(Html.fact("commit", text(results, "commit"), false));
            body.append(Html.fact("grid", text(results, "grid"), false));
            body.append(Html.fact("model", text(scale, "arch") + ", " + text(scale, "backbone") + " \u00d7"
                    + text(scale, "width"), false));
            String size = scale.has("resolution") ? text(scale, "resolution")
                    : scale.path("resize").isNull() ? "full size" : "resize " + text(scale, "resize");
            body.append(Html.fact("resolution \u00b7 crop", size + " \u00b7 " + text(scale, "crop"), false));
            body.append(Html.fact("iterations \u00b7 batch", text(scale, "iterations") + " \u00b7 "
                    + text(scale, "batch_size"), false));
            if (results.hasNonNull("test_split")) {
                body.append(Html.fact("reported on", text(results, "test_split") + " split (best checkpoint on val)", false));
            }
            body.append(Html.fact("runs", finishedRuns() + " finished of " + results.path("runs").size(), false));
            body.append("</div>\n");
            if (results.hasNonNull("command")) {
                body.append("<p class=\"note\">command: <code>").append(esc(text(results, "command"))).append("</code></p>\n");
            }
        }

        private void summary(StringBuilder body) {
            body.append("<h2>Test mIoU</h2>\n");
            List<Svg.Bars> bars = new ArrayList<>();
            for (int m = 0; m < methods.size(); m++) {
                double[] mean = new double[ratios.size()];
                double[] std = new double[ratios.size()];
                for (int r = 0; r < ratios.size(); r++) {
                    JsonNode row = summaryRow(methods.get(m), ratios.get(r));
                    mean[r] = 100 * Json.num(row == null ? null : row.get("test_miou_mean"));
                    std[r] = 100 * Json.num(row == null ? null : row.get("test_miou_std"));
                }
                bars.add(new Svg.Bars(methods.get(m), mean, std, Svg.color(m)));
            }
            List<String> labels = ratios.stream().map(r -> "labeled " + r).toList();
            body.append("<div class=\"charts\">\n").append(Html.figure(Svg.barChart("Test mIoU by labeled share",
                    "test mIoU (%)", labels, bars, false, Double.NaN), "mean over seeds; error bars: \u00b1 one standard"
                    + " deviation")).append("</div>\n");
            body.append("<div class=\"scroll\"><table>\n<tr><th>method</th><th>labeled</th><th class=\"num\">finished</th>"
                    + "<th class=\"num\">test mIoU</th><th class=\"num\">\u00b1 std</th><th class=\"num\">best val mIoU</th>"
                    + "<th class=\"num\">gain (paired)</th><th class=\"num\">95 % interval</th><th class=\"num\">p</th>"
                    + "<th class=\"num\">gap share</th>"
                    + "<th class=\"num\">wall time (mean)</th></tr>\n");
            for (JsonNode row : results.path("summary")) {
                body.append("<tr><td>").append(esc(label(row))).append("</td><td>").append(esc(text(row, "ratio")))
                        .append("</td><td class=\"num\">").append(esc(text(row, "finished"))).append(" / ")
                        .append(row.path("seeds").size()).append("</td><td class=\"num\">")
                        .append(Html.percent(Json.num(row.get("test_miou_mean")))).append("</td><td class=\"num\">")
                        .append(Html.percent(Json.num(row.get("test_miou_std")))).append("</td><td class=\"num\">")
                        .append(Html.percent(Json.num(row.get("val_miou_mean")))).append("</td><td class=\"num\">")
                        .append(Html.percent(Json.num(row.get("gain_mean")))).append("</td><td class=\"num\">")
                        .append(ForestPlot.gainInterval(row)).append("</td><td class=\"num\">")
                        .append(ForestPlot.gainP(row)).append("</td><td class=\"num\">")
                        .append(Html.number(Json.num(row.get("gap_share")), 2)).append("</td><td class=\"num\">")
                        .append(Html.duration(Json.num(row.get("wall_s_mean")))).append("</td></tr>\n");
            }
            body.append("</table></div>\n");
        }

        private void classTable(StringBuilder body) {
            List<String> rows = new ArrayList<>();
            List<double[]> values = new ArrayList<>();
            for (JsonNode row : results.path("summary")) {
                JsonNode iou = row.path("class_iou_mean");
                if (!iou.isArray()) {
                    continue;
                }
                double[] v = new double[classes.size()];
                for (int c = 0; c < v.length; c++) {
                    v[c] = Json.num(iou.get(c));
                }
                rows.add(label(row) + " " + text(row, "ratio"));
                values.add(v);
            }
            if (rows.isEmpty() || classes.isEmpty()) {
                return;
            }
            body.append("<h2>Per-class test IoU</h2>\n<div class=\"scroll\">")
                    .append(Html.figure(Svg.heatMap("Per-class test IoU (mean over seeds)", "method, labeled share",
                            "class", rows, classes, values.toArray(double[][]::new)), null))
                    .append("</div>\n");
        }

        private String stepChart() {
            List<String> labels = new ArrayList<>();
            List<double[]> parts = List.of(new double[results.path("summary").size()],
                    new double[results.path("summary").size()], new double[results.path("summary").size()]);
            int i = 0;
            for (JsonNode row : results.path("summary")) {
                labels.add(label(row) + " " + text(row, "ratio"));
                parts.get(0)[i] = Json.num(row.get("data_ms"));
                parts.get(1)[i] = Json.num(row.get("compute_ms"));
                parts.get(2)[i] = Json.num(row.get("extra_ms"));
                i++;
            }
            List<Svg.Bars> bars = List.of(new Svg.Bars("data", parts.get(0), null, Svg.color(7)),
                    new Svg.Bars("compute", parts.get(1), null, Svg.color(0)),
                    new Svg.Bars("extra", parts.get(2), null, Svg.color(1)));
            return Svg.barChart("Step time per method", "ms per step", labels, bars, true, Double.NaN);
        }

        private String wallChart() {
            List<String> labels = new ArrayList<>();
            List<Double> minutes = new ArrayList<>();
            for (JsonNode run : results.path("runs")) {
                labels.add(text(run, "name"));
                minutes.add(Json.num(run.get("wall_s")) / 60);
            }
            double[] values = minutes.stream().mapToDouble(Double::doubleValue).toArray();
            return Svg.barChart("Wall time per run", "minutes", labels,
                    List.of(new Svg.Bars("wall time", values, null, Svg.color(4))), false, Double.NaN);
        }

        private void runs(StringBuilder body) {
            body.append("<h2>Runs</h2>\n<div class=\"scroll\"><table>\n<tr><th>run</th><th>method</th><th>labeled</th>"
                    + "<th class=\"num\">seed</th><th>status</th><th class=\"num\">labeled images</th>"
                    + "<th class=\"num\">iterations</th><th class=\"num\">best iteration</th><th class=\"num\">val mIoU</th>"
                    + "<th class=\"num\">test mIoU</th><th class=\"num\">wall time</th><th>report</th></tr>\n");
            for (JsonNode run : results.path("runs")) {
                body.append("<tr><td>").append(esc(text(run, "name"))).append("</td><td>").append(esc(label(run)))
                        .append("</td><td>").append(esc(text(run, "ratio"))).append("</td><td class=\"num\">")
                        .append(esc(text(run, "seed"))).append("</td><td>").append(esc(text(run, "status")))
                        .append("</td><td class=\"num\">").append(esc(text(run, "labeled_images")))
                        .append("</td><td class=\"num\">").append(esc(iterations(run)))
                        .append("</td><td class=\"num\">").append(esc(text(run, "best_iter")))
                        .append("</td><td class=\"num\">").append(Html.percent(Json.num(run.get("val_miou"))))
                        .append("</td><td class=\"num\">").append(Html.percent(Json.num(run.get("test_miou"))))
                        .append("</td><td class=\"num\">").append(Html.duration(Json.num(run.get("wall_s"))))
                        .append("</td><td>").append(link(run)).append("</td></tr>\n");
            }
            body.append("</table></div>\n");
        }

        /** A relative link to the run's report.html ({@code dir} is relative to the grid directory) when it exists. */
        private String link(JsonNode run) {
            String dir = run.path("dir").asText("");
            if (dir.isEmpty()) {
                return Html.MISSING;
            }
            Path root = gridDir.toAbsolutePath().normalize();
            Path relative;
            try {
                Path path = Path.of(dir);
                relative = path.isAbsolute() ? root.relativize(path.normalize()) : path;
            } catch (IllegalArgumentException e) {
                return "<span class=\"note\">no report</span>";
            }
            if (!Files.isRegularFile(root.resolve(relative).resolve(RunReport.FILE))) {
                return "<span class=\"note\">no report</span>";
            }
            StringBuilder href = new StringBuilder();
            for (Path part : relative.resolve(RunReport.FILE)) {
                href.append(href.length() == 0 ? "" : "/")
                        .append(URLEncoder.encode(part.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return "<a href=\"" + esc(href.toString()) + "\">report</a>";
        }

        /** Iterations done of the run's total when results.json tells both. */
        private static String iterations(JsonNode run) {
            return run.hasNonNull("done_iterations") ? text(run, "done_iterations") + " / " + text(run, "iterations")
                    : text(run, "iterations");
        }

        private JsonNode summaryRow(String method, String ratio) {
            for (JsonNode row : results.path("summary")) {
                if (label(row).equals(method) && row.path("ratio").asText("?").equals(ratio)) {
                    return row;
                }
            }
            return null;
        }

        private int finishedRuns() {
            int n = 0;
            for (JsonNode run : results.path("runs")) {
                if (run.path("status").asText("").equals("finished")) {
                    n++;
                }
            }
            return n;
        }

        /**
         * A row's or run's method as the page names it: results.json's {@code label} ({@code METHOD [TAG]} for a
         * variant of a method), or its {@code method} in results from before variants.
         */
        private static String label(JsonNode row) {
            JsonNode label = row.path("label");
            return label.isTextual() ? label.asText() : row.path("method").asText("?");
        }

        private static void addOnce(List<String> list, String value) {
            if (!list.contains(value)) {
                list.add(value);
            }
        }

        /** A field as text; {@link Html#MISSING} when absent or null; arrays as {@code [a, b]}. */
        private static String text(JsonNode node, String field) {
            JsonNode v = node.path(field);
            if (v.isMissingNode() || v.isNull()) {
                return Html.MISSING;
            }
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(e -> parts.add(e.asText()));
                return String.join("\u00d7", parts);
            }
            return v.isValueNode() ? v.asText() : v.toString();
        }
    }
}
