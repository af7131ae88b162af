package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.semiseg.report.Html.esc;

/**
 * The report's section on a run on several domains ({@code data.domains}), from its metrics.jsonl alone: each
 * domain's validation mIoU over the evaluations (with their mean, which chooses the best checkpoint), and each
 * domain's per-class IoU at the latest evaluation ({@code miou_<domain>} and {@code eval_<domain>} of the evaluation
 * lines). Empty for a run on one dataset.
 */
final class DomainCharts {
    private DomainCharts() {
    }

    /** The section's HTML, or the empty string when no evaluation line names domains. */
    static String section(List<JsonNode> metrics) {
        List<JsonNode> evaluations = new ArrayList<>();
        for (JsonNode line : metrics) {
            if (line.has("eval") && line.has("miou")) {
                evaluations.add(line);
            }
        }
        if (evaluations.isEmpty()) {
            return "";
        }
        JsonNode last = evaluations.get(evaluations.size() - 1);
        List<String> domains = domains(last);
        StringBuilder body = new StringBuilder("<h2>Domains</h2>\n<p class=\"note\">")
                .append(domains.size()).append(" domains on one shared encoder (")
                .append(esc(String.join(", ", domains)))
                .append("); the mean of their validation mIoU chooses the best checkpoint.</p>\n<div class=\"charts\">\n");
        List<Svg.Series> series = new ArrayList<>();
        double[] x = evaluations.stream().mapToDouble(l -> l.path("iter").asDouble()).toArray();
        series.add(new Svg.Series("mean", x, values(evaluations, "miou"), Svg.color(0)));
        for (int d = 0; d < domains.size(); d++) {
            series.add(new Svg.Series(domains.get(d), x, values(evaluations, "miou_" + domains.get(d)), Svg.color(d + 1)));
        }
        body.append(Html.figure(Svg.lineChart("mIoU per domain", "iteration", "mIoU (%)", series, false, true),
                "validation mIoU of each domain, each on its own val split with its own decoder"));
        for (int d = 0; d < domains.size(); d++) {
            JsonNode iou = last.path("eval_" + domains.get(d)).path("iou");
            List<String> classes = new ArrayList<>();
            iou.fieldNames().forEachRemaining(classes::add);
            double[] values = new double[classes.size()];
            for (int c = 0; c < values.length; c++) {
                values[c] = 100 * Json.num(iou.get(classes.get(c)));
            }
            body.append(Html.figure(Svg.barChart("Per-class IoU, " + domains.get(d), "IoU (%)", classes,
                    List.of(new Svg.Bars("iteration " + last.path("iter").asInt(), values, null, Svg.color(d + 1))),
                    false, 100), "domain " + domains.get(d) + " at the latest evaluation (iteration "
                    + last.path("iter").asInt() + ")"));
        }
        return body.append("</div>\n").toString();
    }

    /** The domains an evaluation line names ({@code miou_<domain>}), in order. */
    static List<String> domains(JsonNode line) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = line.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (key.startsWith("miou_")) {
                out.add(key.substring(5));
            }
        }
        return out;
    }

    private static double[] values(List<JsonNode> lines, String key) {
        double[] out = new double[lines.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = 100 * Json.num(lines.get(i).get(key));
        }
        return out;
    }
}
