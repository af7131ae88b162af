package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.semiseg.report.Html.esc;
import static org.semiseg.report.Svg.f;

/**
 * The grid page's answer in one picture: a forest plot of every row's paired gain over plain supervised (methods and
 * variants, grouped by labeled ratio), a point at the mean gain and a bar over its 95 % t interval, a line at no gain
 * and, per ratio, a dashed line at the gap to every label (plain supervised on every label minus plain supervised at
 * the ratio), so a reader sees how much of the gap each method closes. Each row is a {@code <g class="row">} with its
 * label and its numbers as text. Beside it: the rule the statistics follow (results.json's {@code statistics}) and
 * the grid's compared pairs. From results.json's {@code summary} and {@code comparisons}; values there are fractions,
 * drawn in mIoU points.
 */
final class ForestPlot {
    private static final double CHAR = 6.5;
    private static final int WIDTH = 720;
    private static final int NUMBERS = 200;
    private static final int HEADER = 20;
    private static final int ROW = 22;
    private static final String GAP_COLOR = "#d62728";

    private ForestPlot() {
    }

    /** One row: NaN where results.json has null (no pairs yet: no mean; one pair: no interval). */
    record Row(String label, String ratio, double mean, double low, double high, int pairs, double p, double gap) {
        String numbers() {
            if (!Double.isFinite(mean)) {
                return "no paired splits yet";
            }
            if (!Double.isFinite(low) || !Double.isFinite(high)) {
                // results.json from before the intervals has none whatever n is
                return points(mean) + " (" + pairs + (pairs == 1 ? " split" : " splits")
                        + (pairs < 2 ? ": n < 2)" : "; no interval)");
            }
            return points(mean) + " [" + points(low) + ", " + points(high) + "] p " + pValue(p);
        }
    }

    /** The section of the grid page; empty when the grid has no row but plain supervised. */
    static String section(JsonNode results) {
        List<Row> rows = rows(results);
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder body = new StringBuilder("<h2>Gain over supervised</h2>\n<div class=\"charts\">\n");
        body.append(Html.figure(svg(rows), "point: the mean paired gain over plain supervised; bar: its 95 % interval;"
                + " solid line: no gain; dashed line: the gap to every label (supervised on every label minus supervised"
                + " at that ratio) \u2013 a row at that line closes the whole gap. In mIoU points; p: the paired t-test's."));
        body.append("</div>\n");
        if (results.hasNonNull("statistics")) {
            body.append("<p class=\"note\">").append(esc(results.get("statistics").asText())).append("</p>\n");
        }
        comparisons(body, results.path("comparisons"));
        return body.toString();
    }

    /**
     * Every summary row but plain supervised (the baseline), in results.json's order. The gap is the ratio's: plain
     * supervised on every label minus plain supervised at the row's ratio, the means over all their finished splits
     * (one dashed line per ratio; the row's own {@code gap} where those rows are missing). A row's own gap, on the
     * splits its gain is paired on, is what its "gap closed" in the tables divides by; it differs from the line only
     * while the row has fewer finished splits than supervised.
     */
    static List<Row> rows(JsonNode results) {
        Map<String, Double> supervised = new LinkedHashMap<>();
        for (JsonNode s : results.path("summary")) {
            if (plainSupervised(s)) {
                supervised.put(s.path("ratio").asText(), Json.num(s.get("test_miou_mean")));
            }
        }
        double upper = Double.NaN;
        for (String all : List.of("all", "1", "1/1")) {   // what GridSummaries reads as every label
            upper = Double.isFinite(upper) ? upper : supervised.getOrDefault(all, Double.NaN);
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode s : results.path("summary")) {
            if (plainSupervised(s)) {
                continue;
            }
            double gap = upper - supervised.getOrDefault(s.path("ratio").asText(), Double.NaN);
            gap = Double.isFinite(gap) ? gap : Json.num(s.get("gap"));   // results.json without the supervised rows
            String label = s.path("label").isTextual() ? s.get("label").asText() : s.path("method").asText("?");
            rows.add(new Row(label, s.path("ratio").asText("?"), 100 * Json.num(s.get("gain_mean")),
                    100 * Json.num(s.get("gain_ci_low")), 100 * Json.num(s.get("gain_ci_high")),
                    s.path("gain_seeds").asInt(0), Json.num(s.get("gain_p")), 100 * gap));
        }
        return rows;
    }

    private static boolean plainSupervised(JsonNode row) {
        return row.path("method").asText().equals("supervised") && !row.path("tag").isTextual();
    }

    static String svg(List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(r -> groups.computeIfAbsent(r.ratio(), k -> new ArrayList<>()).add(r));
        double lo = 0;
        double hi = 0;
        for (Row r : rows) {
            for (double v : new double[] {r.mean(), r.low(), r.high(), r.gap()}) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        int longest = rows.stream().mapToInt(r -> r.label().length()).max().orElse(0);
        // the labels from x = 16, the plot from their end (the longest one's, capped) to the numbers' column
        int left = (int) Math.max(110, Math.min(250, 16 + longest * CHAR + 24));
        int right = WIDTH - NUMBERS - 16;
        Svg.Axis x = Svg.Axis.linear(lo, hi, left, right);
        int top = 30;
        int bottom = top + groups.size() * HEADER + rows.size() * ROW;
        int height = bottom + 44;
        StringBuilder sb = new StringBuilder();
        String title = "Paired gain over supervised, 95 % intervals";
        sb.append("<svg class=\"chart forest\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" style=\"max-width:")
                .append(WIDTH).append("px\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        sb.append("<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\">").append(esc(title))
                .append("</text>");
        // the x axis: grid lines over the whole height, tick labels below, and the line at no gain
        sb.append("<g class=\"axis x\" font-size=\"11\" fill=\"#5d6677\">");
        for (double t : x.ticks()) {
            sb.append("<line x1=\"").append(f(x.map(t))).append("\" x2=\"").append(f(x.map(t))).append("\" y1=\"").append(top)
                    .append("\" y2=\"").append(bottom).append("\" stroke=\"#e6e9ee\"/>");
            sb.append("<text x=\"").append(f(x.map(t))).append("\" y=\"").append(bottom + 16)
                    .append("\" text-anchor=\"middle\">").append(Svg.tick(t)).append("</text>");
        }
        sb.append("<text x=\"").append(f((left + right) / 2.0)).append("\" y=\"").append(bottom + 34)
                .append("\" text-anchor=\"middle\">gain over supervised (mIoU points)</text></g>");
        sb.append("<line class=\"zero\" x1=\"").append(f(x.map(0))).append("\" x2=\"").append(f(x.map(0))).append("\" y1=\"")
                .append(top).append("\" y2=\"").append(bottom).append("\" stroke=\"#5d6677\" stroke-width=\"1.2\"/>");
        sb.append("<g class=\"plot\">");
        double y = top;
        for (Map.Entry<String, List<Row>> group : groups.entrySet()) {
            double gap = group.getValue().stream().mapToDouble(Row::gap).filter(g -> Double.isFinite(g) && g > 0)
                    .findFirst().orElse(Double.NaN);
            sb.append("<text class=\"group\" x=\"8\" y=\"").append(f(y + 14)).append("\" font-size=\"12\" font-weight=\"600\""
                    + " fill=\"#1d2330\">labeled ").append(esc(group.getKey())).append("</text>");
            double rowsEnd = y + HEADER + group.getValue().size() * ROW;
            if (Double.isFinite(gap)) {
                double gx = x.map(gap);
                sb.append("<line class=\"gap\" x1=\"").append(f(gx)).append("\" x2=\"").append(f(gx)).append("\" y1=\"")
                        .append(f(y + 4)).append("\" y2=\"").append(f(rowsEnd)).append("\" stroke=\"").append(GAP_COLOR)
                        .append("\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"><title>gap to every label at ")
                        .append(esc(group.getKey())).append(": ").append(points(gap)).append("</title></line>");
                sb.append("<text x=\"").append(f(gx + 4)).append("\" y=\"").append(f(y + 14))
                        .append("\" font-size=\"11\" fill=\"").append(GAP_COLOR).append("\">gap to every label ")
                        .append(String.format(Locale.ROOT, "%.2f", gap)).append("</text>");
            }
            y += HEADER;
            for (Row r : group.getValue()) {
                row(sb, r, x, y + ROW / 2.0, right);
                y += ROW;
            }
        }
        sb.append("</g>");
        return sb.append("</svg>").toString();
    }

    private static void row(StringBuilder sb, Row r, Svg.Axis x, double cy, int right) {
        sb.append("<g class=\"row\" data-label=\"").append(esc(r.label())).append("\" data-ratio=\"").append(esc(r.ratio()))
                .append("\"><title>").append(esc(r.label() + " \u00b7 " + r.ratio() + ": " + r.numbers())).append("</title>");
        sb.append("<text x=\"16\" y=\"").append(f(cy + 4)).append("\" font-size=\"12\" fill=\"#1d2330\">")
                .append(esc(r.label())).append("</text>");
        String colour = Svg.color(0);
        if (Double.isFinite(r.low()) && Double.isFinite(r.high())) {
            double x0 = x.map(r.low());
            double x1 = x.map(r.high());
            sb.append("<path class=\"ci\" d=\"M").append(f(x0)).append(' ').append(f(cy - 5)).append("V").append(f(cy + 5))
                    .append("M").append(f(x0)).append(' ').append(f(cy)).append("H").append(f(x1))
                    .append("M").append(f(x1)).append(' ').append(f(cy - 5)).append("V").append(f(cy + 5))
                    .append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>");
        }
        if (Double.isFinite(r.mean())) {
            sb.append("<circle class=\"point\" cx=\"").append(f(x.map(r.mean()))).append("\" cy=\"").append(f(cy))
                    .append("\" r=\"4.5\" fill=\"").append(colour).append("\"/>");
        }
        sb.append("<text class=\"numbers\" x=\"").append(right + 16).append("\" y=\"").append(f(cy + 4))
                .append("\" font-size=\"12\" fill=\"#1d2330\">").append(esc(r.numbers())).append("</text></g>");
    }

    /** The grid's compared pairs (A − B by split) as a table; nothing when it names none. */
    private static void comparisons(StringBuilder body, JsonNode comparisons) {
        if (!comparisons.isArray() || comparisons.isEmpty()) {
            return;
        }
        body.append("<h3>Compared pairs</h3>\n<div class=\"scroll\"><table>\n<tr><th>A \u2212 B</th><th>labeled</th>"
                + "<th class=\"num\">splits</th><th class=\"num\">difference per split</th><th class=\"num\">mean</th>"
                + "<th class=\"num\">95 % interval</th><th class=\"num\">p</th></tr>\n");
        for (JsonNode c : comparisons) {
            List<String> per = new ArrayList<>();
            c.path("differences").forEach(d -> per.add(points(100 * d.asDouble())));
            Row r = new Row("", "", 100 * Json.num(c.get("diff_mean")), 100 * Json.num(c.get("ci_low")),
                    100 * Json.num(c.get("ci_high")), c.path("pairs").asInt(0), Json.num(c.get("p")), Double.NaN);
            boolean interval = Double.isFinite(r.low()) && Double.isFinite(r.high());
            body.append("<tr><td>").append(esc(c.path("a").asText() + " \u2212 " + c.path("b").asText())).append("</td><td>")
                    .append(esc(c.path("ratio").asText())).append("</td><td class=\"num\">").append(r.pairs())
                    .append("</td><td class=\"num\">").append(per.isEmpty() ? Html.MISSING : esc(String.join(", ", per)))
                    .append("</td><td class=\"num\">").append(Double.isFinite(r.mean()) ? points(r.mean()) : Html.MISSING)
                    .append("</td><td class=\"num\">").append(!Double.isFinite(r.mean()) ? Html.MISSING : interval
                            ? "[" + points(r.low()) + ", " + points(r.high()) + "]" : "n &lt; 2")
                    .append("</td><td class=\"num\">").append(!Double.isFinite(r.mean()) ? Html.MISSING : interval
                            ? esc(pValue(r.p())) : "n &lt; 2").append("</td></tr>\n");
        }
        body.append("</table></div>\n");
    }

    /** A summary row's paired gain's 95 % interval (HTML): mIoU points; "n < 2" with one pair; missing without a gain. */
    static String gainInterval(JsonNode row) {
        if (!row.hasNonNull("gain_mean")) {
            return Html.MISSING;
        }
        if (!row.hasNonNull("gain_ci_low") || !row.hasNonNull("gain_ci_high")) {
            return row.path("gain_seeds").asInt(0) < 2 ? "n &lt; 2" : Html.MISSING;
        }
        return "[" + points(100 * row.get("gain_ci_low").asDouble()) + ", " + points(100 * row.get("gain_ci_high").asDouble()) + "]";
    }

    /** A summary row's paired t-test p-value (HTML); "n < 2" with one pair; missing without a gain. */
    static String gainP(JsonNode row) {
        return row.hasNonNull("gain_p") ? esc(pValue(row.get("gain_p").asDouble()))
                : row.hasNonNull("gain_mean") && row.path("gain_seeds").asInt(0) < 2 ? "n &lt; 2" : Html.MISSING;
    }

    /** A signed value in mIoU points, two decimals. */
    static String points(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    /** A p-value as the tables print it ({@link org.semiseg.bench.PairedStats#format}; not escaped). */
    static String pValue(double p) {
        return !Double.isFinite(p) ? Html.MISSING : org.semiseg.bench.PairedStats.format(p);
    }
}
