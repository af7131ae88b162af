package org.semiseg.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.semiseg.report.Html.esc;

/**
 * Inline SVG charts: lines, bars (grouped or stacked, optional error bars) and heat maps. Each chart is one
 * {@code <svg class="chart">} whose data marks sit in a {@code <g class="plot">}; axes, ticks, labels and the legend
 * are drawn around it. Missing values (NaN) leave gaps. Text is approximated at 6.5 px per character for layout.
 */
public final class Svg {
    /** Series colours (Tableau 10). */
    public static final List<String> COLORS = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
            "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    private static final double CHAR = 6.5;
    private static final int WIDTH = 720;
    private static final int PLOT_HEIGHT = 250;
    private static final int LEFT = 62;
    private static final int RIGHT = 18;

    private Svg() {
    }

    /** The {@code i}-th series colour (cycling). */
    public static String color(int i) {
        return COLORS.get(Math.floorMod(i, COLORS.size()));
    }

    /**
     * One line: points {@code (x[i], y[i])}; non-finite values (and non-positive ones on a log axis) leave gaps. A
     * dashed line is a reference (recorded elsewhere), not this run's.
     */
    public record Series(String name, double[] x, double[] y, String color, boolean dashed) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x and " + y.length + " y");
            }
        }

        public Series(String name, double[] x, double[] y, String color) {
            this(name, x, y, color, false);
        }
    }

    /** One series of bars, a value (NaN: no bar) and optionally an error (± half-length) per category. */
    public record Bars(String name, double[] values, double[] errors, String color) {
        public Bars {
            if (errors != null && errors.length != values.length) {
                throw new IllegalArgumentException("bars " + name + " have " + values.length + " values and "
                        + errors.length + " errors");
            }
        }
    }

    /**
     * A line chart with a legend.
     *
     * @param logY    logarithmic y axis (non-positive values are not drawn)
     * @param markers a dot on every point (always on for isolated points)
     */
    public static String lineChart(String title, String xLabel, String yLabel, List<Series> series, boolean logY,
                                   boolean markers) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (drawable(s.x()[i], s.y()[i], logY)) {
                    xMin = Math.min(xMin, s.x()[i]);
                    xMax = Math.max(xMax, s.x()[i]);
                    yMin = Math.min(yMin, s.y()[i]);
                    yMax = Math.max(yMax, s.y()[i]);
                }
            }
        }
        boolean empty = xMin > xMax;
        Legend legend = Legend.of(series.stream().map(Series::name).toList(),
                series.stream().map(Series::color).toList(), WIDTH - LEFT - RIGHT, false);
        int top = 34 + legend.height();
        int height = top + PLOT_HEIGHT + 46;
        Axis x = empty ? Axis.linear(0, 1, LEFT, WIDTH - RIGHT) : Axis.linear(xMin, xMax, LEFT, WIDTH - RIGHT);
        Axis y = empty ? Axis.linear(0, 1, top + PLOT_HEIGHT, top)
                : logY ? Axis.log(yMin, yMax, top + PLOT_HEIGHT, top) : Axis.linear(yMin, yMax, top + PLOT_HEIGHT, top);
        StringBuilder sb = open(title, WIDTH, height);
        sb.append(legend.svg(LEFT, 30));
        gridAndTicks(sb, x, y, top, xLabel, yLabel, height);
        sb.append("<g class=\"plot\">");
        for (Series s : series) {
            StringBuilder path = new StringBuilder();
            List<double[]> dots = new ArrayList<>();
            int run = 0;
            double[] lone = null;
            for (int i = 0; i < s.x().length; i++) {
                if (!drawable(s.x()[i], s.y()[i], logY)) {
                    if (run == 1) {
                        dots.add(lone);
                    }
                    run = 0;
                    continue;
                }
                double px = x.map(s.x()[i]);
                double py = y.map(s.y()[i]);
                path.append(run == 0 ? "M" : "L").append(f(px)).append(' ').append(f(py));
                lone = new double[] {px, py};
                run++;
                if (markers) {
                    dots.add(lone);
                }
            }
            if (run == 1 && !markers) {
                dots.add(lone);
            }
            if (path.length() > 0) {
                sb.append("<path class=\"line\" data-series=\"").append(esc(s.name())).append("\" d=\"").append(path)
                        .append("\" fill=\"none\" stroke=\"").append(esc(s.color()))
                        .append(s.dashed() ? "\" stroke-dasharray=\"6 4" : "")
                        .append("\" stroke-width=\"2\" stroke-linejoin=\"round\" stroke-linecap=\"round\"/>");
            }
            for (double[] d : dots) {
                sb.append("<circle cx=\"").append(f(d[0])).append("\" cy=\"").append(f(d[1]))
                        .append("\" r=\"3.2\" fill=\"").append(esc(s.color())).append("\"/>");
            }
        }
        sb.append("</g>");
        if (empty) {
            noData(sb, (LEFT + WIDTH - RIGHT) / 2.0, top + PLOT_HEIGHT / 2.0);
        }
        return sb.append("</svg>").toString();
    }

    /**
     * A bar chart: one group of bars per category, one bar per series (or one stacked bar per category).
     *
     * @param yMax top of the y axis; NaN: from the data
     */
    public static String barChart(String title, String yLabel, List<String> categories, List<Bars> series,
                                  boolean stacked, double yMax) {
        int n = categories.size();
        int m = Math.max(1, series.size());
        double top = 0;
        for (int c = 0; c < n; c++) {
            double stack = 0;
            for (Bars b : series) {
                double v = b.values()[c];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double e = b.errors() == null || !Double.isFinite(b.errors()[c]) ? 0 : Math.abs(b.errors()[c]);
                stack += Math.max(0, v);
                top = Math.max(top, stacked ? stack : v + e);
            }
        }
        int perBar = stacked ? 26 : 14;
        int width = Math.max(WIDTH, LEFT + RIGHT + n * (stacked ? 1 : m) * perBar + n * 8);
        double slot = (width - LEFT - RIGHT) / (double) Math.max(1, n);
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        boolean rotate = longest * CHAR > slot - 4;
        int labelHeight = rotate ? (int) Math.min(150, longest * CHAR * 0.64 + 18) : 22;
        Legend legend = series.size() > 1 || stacked
                ? Legend.of(series.stream().map(Bars::name).toList(), series.stream().map(Bars::color).toList(),
                width - LEFT - RIGHT, true) : Legend.NONE;
        int plotTop = 34 + legend.height();
        int height = plotTop + PLOT_HEIGHT + labelHeight + 8;
        Axis y = Axis.linear(0, Double.isFinite(yMax) ? yMax : top > 0 ? top : 1, plotTop + PLOT_HEIGHT, plotTop);
        if (Double.isFinite(yMax)) {
            y = y.fixedTop(yMax);
        }
        StringBuilder sb = open(title, width, height);
        sb.append(legend.svg(LEFT, 30));
        yTicks(sb, y, LEFT, width - RIGHT, yLabel, plotTop);
        double base = y.map(0);
        sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(width - RIGHT).append("\" y1=\"")
                .append(f(base)).append("\" y2=\"").append(f(base)).append("\" stroke=\"#8a93a3\"/>");
        double group = slot * 0.8;
        double barWidth = stacked ? group : group / m;
        sb.append("<g class=\"plot\">");
        StringBuilder labels = new StringBuilder();
        for (int c = 0; c < n; c++) {
            double x0 = LEFT + c * slot + (slot - group) / 2;
            double stackTop = 0;
            for (int s = 0; s < series.size(); s++) {
                Bars b = series.get(s);
                double v = b.values()[c];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double from = stacked ? stackTop : 0;
                double to = from + v;
                if (stacked) {
                    stackTop = to;
                }
                double bx = stacked ? x0 : x0 + s * barWidth;
                double y0 = y.map(Math.max(from, to));
                double y1 = y.map(Math.min(from, to));
                double e = b.errors() == null || !Double.isFinite(b.errors()[c]) ? Double.NaN : Math.abs(b.errors()[c]);
                String tip = b.name() + " \u00b7 " + categories.get(c) + ": " + label(v)
                        + (Double.isNaN(e) ? "" : " \u00b1 " + label(e));
                sb.append("<rect class=\"bar\" x=\"").append(f(bx + 0.5)).append("\" y=\"").append(f(y0))
                        .append("\" width=\"").append(f(Math.max(1, barWidth - 1))).append("\" height=\"")
                        .append(f(Math.max(0.5, y1 - y0))).append("\" fill=\"").append(esc(b.color()))
                        .append("\" data-value=\"").append(esc(label(v))).append("\"><title>").append(esc(tip))
                        .append("</title></rect>");
                double cx = bx + barWidth / 2;
                double labelY = y0;
                if (!stacked && !Double.isNaN(e)) {
                    double hi = y.map(v + e);
                    double lo = y.map(Math.max(0, v - e));
                    double cap = Math.min(6, barWidth / 3);
                    sb.append("<path class=\"error\" d=\"M").append(f(cx)).append(' ').append(f(lo)).append('V')
                            .append(f(hi)).append('M').append(f(cx - cap)).append(' ').append(f(hi)).append('H')
                            .append(f(cx + cap)).append('M').append(f(cx - cap)).append(' ').append(f(lo)).append('H')
                            .append(f(cx + cap)).append("\" stroke=\"#1d2330\" stroke-width=\"1.3\" fill=\"none\"/>");
                    labelY = hi;
                }
                if (!stacked && barWidth >= 24) {
                    labels.append("<text class=\"value\" x=\"").append(f(cx)).append("\" y=\"").append(f(labelY - 4))
                            .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"#333\">").append(esc(label(v)))
                            .append("</text>");
                }
            }
            double lx = LEFT + (c + 0.5) * slot;
            double ly = plotTop + PLOT_HEIGHT + 14;
            if (rotate) {
                labels.append("<text class=\"category\" transform=\"translate(").append(f(lx + 3)).append(' ')
                        .append(f(ly - 4)).append(") rotate(-40)\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">");
            } else {
                labels.append("<text class=\"category\" x=\"").append(f(lx)).append("\" y=\"").append(f(ly))
                        .append("\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">");
            }
            labels.append(esc(categories.get(c))).append("</text>");
        }
        sb.append("</g>").append(labels);
        if (n == 0 || top <= 0 && !Double.isFinite(yMax)) {
            noData(sb, (LEFT + width - RIGHT) / 2.0, plotTop + PLOT_HEIGHT / 2.0);
        }
        return sb.append("</svg>").toString();
    }

    /**
     * A heat map of values in [0, 1] (NaN grey), each cell labelled in percent when it is big enough; rows are
     * labelled on the left, columns on top.
     */
    public static String heatMap(String title, String rowAxis, String colAxis, List<String> rows, List<String> cols,
                                 double[][] values) {
        int r = rows.size();
        int c = cols.size();
        double cell = Math.max(14, Math.min(44, 620.0 / Math.max(1, Math.max(c, r / 1.5))));
        int rowLabel = (int) (rows.stream().mapToInt(String::length).max().orElse(0) * CHAR) + 10;
        int colLabel = (int) Math.min(160, cols.stream().mapToInt(String::length).max().orElse(0) * CHAR * 0.72 + 12);
        double left = 22 + rowLabel;
        double top = 30 + 16 + colLabel;
        int width = (int) Math.ceil(left + c * cell + 70);
        int height = (int) Math.ceil(top + r * cell + 12);
        StringBuilder sb = open(title, width, height);
        sb.append("<text x=\"").append(f(left + c * cell / 2)).append("\" y=\"42\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5d6677\">")
                .append(esc(colAxis)).append("</text>");
        sb.append("<text transform=\"translate(12 ").append(f(top + r * cell / 2))
                .append(") rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#5d6677\">").append(esc(rowAxis))
                .append("</text>");
        boolean text = cell >= 24;
        sb.append("<g class=\"plot\">");
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                double v = values[i][j];
                double x = left + j * cell;
                double y = top + i * cell;
                sb.append("<rect class=\"cell\" x=\"").append(f(x)).append("\" y=\"").append(f(y)).append("\" width=\"")
                        .append(f(cell - 1)).append("\" height=\"").append(f(cell - 1)).append("\" fill=\"")
                        .append(Double.isFinite(v) ? heat(v) : "#e4e6ea").append("\" data-value=\"")
                        .append(Double.isFinite(v) ? label(v) : "").append("\"><title>")
                        .append(esc(rows.get(i) + " / " + cols.get(j) + ": " + Html.percent(v) + " %"))
                        .append("</title></rect>");
                if (text && Double.isFinite(v)) {
                    sb.append("<text x=\"").append(f(x + (cell - 1) / 2)).append("\" y=\"").append(f(y + cell / 2 + 3.5))
                            .append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"")
                            .append(v > 0.55 ? "#fff" : "#1d2330").append("\">")
                            .append(Math.round(100 * v)).append("</text>");
                }
            }
        }
        sb.append("</g>");
        for (int i = 0; i < r; i++) {
            sb.append("<text x=\"").append(f(left - 6)).append("\" y=\"").append(f(top + i * cell + cell / 2 + 3.5))
                    .append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#333\">").append(esc(rows.get(i))).append("</text>");
        }
        for (int j = 0; j < c; j++) {
            sb.append("<text transform=\"translate(").append(f(left + j * cell + cell / 2 + 3)).append(' ')
                    .append(f(top - 6)).append(") rotate(-45)\" font-size=\"11\" fill=\"#333\">").append(esc(cols.get(j)))
                    .append("</text>");
        }
        double kx = left + c * cell + 16;
        double kh = Math.max(60, Math.min(160, r * cell));
        for (int k = 0; k < 10; k++) {
            sb.append("<rect x=\"").append(f(kx)).append("\" y=\"").append(f(top + kh - (k + 1) * kh / 10))
                    .append("\" width=\"12\" height=\"").append(f(kh / 10 + 0.3)).append("\" fill=\"")
                    .append(heat((k + 0.5) / 10)).append("\"/>");
        }
        sb.append("<text x=\"").append(f(kx + 16)).append("\" y=\"").append(f(top + 9))
                .append("\" font-size=\"10\" fill=\"#5d6677\">100%</text><text x=\"").append(f(kx + 16)).append("\" y=\"")
                .append(f(top + kh)).append("\" font-size=\"10\" fill=\"#5d6677\">0</text>");
        return sb.append("</svg>").toString();
    }

    /** Sequential blue scale for {@code v} in [0, 1]. */
    static String heat(double v) {
        double t = Math.max(0, Math.min(1, v));
        int[] a = t < 0.5 ? new int[] {247, 251, 255} : new int[] {107, 174, 214};
        int[] b = t < 0.5 ? new int[] {107, 174, 214} : new int[] {8, 48, 107};
        double u = t < 0.5 ? t * 2 : (t - 0.5) * 2;
        int rgb = 0;
        for (int k = 0; k < 3; k++) {
            rgb = (rgb << 8) | (int) Math.round(a[k] + u * (b[k] - a[k]));
        }
        return Html.hex(rgb);
    }

    private static boolean drawable(double x, double y, boolean log) {
        return Double.isFinite(x) && Double.isFinite(y) && (!log || y > 0);
    }

    private static StringBuilder open(String title, int width, int height) {
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart\" viewBox=\"0 0 ").append(width).append(' ').append(height)
                .append("\" width=\"").append(width).append("\" height=\"").append(height)
                .append("\" style=\"max-width:").append(width).append("px\" role=\"img\" aria-label=\"").append(esc(title)).append("\">");
        sb.append("<text x=\"").append(LEFT).append("\" y=\"18\" font-size=\"14\" font-weight=\"600\" fill=\"#1d2330\">")
                .append(esc(title)).append("</text>");
        return sb;
    }

    private static void noData(StringBuilder sb, double x, double y) {
        sb.append("<text x=\"").append(f(x)).append("\" y=\"").append(f(y))
                .append("\" text-anchor=\"middle\" font-size=\"13\" fill=\"#8a93a3\">no data yet</text>");
    }

    private static void gridAndTicks(StringBuilder sb, Axis x, Axis y, int top, String xLabel, String yLabel, int height) {
        yTicks(sb, y, LEFT, WIDTH - RIGHT, yLabel, top);
        double bottom = top + PLOT_HEIGHT;
        sb.append("<g class=\"axis x\" font-size=\"11\" fill=\"#5d6677\">");
        for (double t : x.ticks()) {
            double px = x.map(t);
            sb.append("<line x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(f(bottom))
                    .append("\" y2=\"").append(f(bottom + 4)).append("\" stroke=\"#8a93a3\"/>");
            sb.append("<text x=\"").append(f(px)).append("\" y=\"").append(f(bottom + 16))
                    .append("\" text-anchor=\"middle\">").append(tick(t)).append("</text>");
        }
        sb.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"").append(f(bottom))
                .append("\" y2=\"").append(f(bottom)).append("\" stroke=\"#8a93a3\"/>");
        sb.append("<text x=\"").append(f((LEFT + WIDTH - RIGHT) / 2.0)).append("\" y=\"").append(height - 8)
                .append("\" text-anchor=\"middle\">").append(esc(xLabel)).append("</text></g>");
    }

    private static void yTicks(StringBuilder sb, Axis y, int left, int right, String yLabel, int top) {
        sb.append("<g class=\"axis y\" font-size=\"11\" fill=\"#5d6677\">");
        for (double t : y.ticks()) {
            double py = y.map(t);
            sb.append("<line x1=\"").append(left).append("\" x2=\"").append(right).append("\" y1=\"").append(f(py))
                    .append("\" y2=\"").append(f(py)).append("\" stroke=\"#e6e9ee\"/>");
            sb.append("<text x=\"").append(left - 6).append("\" y=\"").append(f(py + 3.5))
                    .append("\" text-anchor=\"end\">").append(tick(t)).append("</text>");
        }
        sb.append("<text transform=\"translate(14 ").append(f(top + PLOT_HEIGHT / 2.0))
                .append(") rotate(-90)\" text-anchor=\"middle\">").append(esc(yLabel)).append("</text></g>");
    }

    /** A coordinate: one decimal, no exponent. */
    static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A value shown on a bar or in a tooltip. */
    static String label(double v) {
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 0.1 ? "%.2f" : "%.3g", v);
    }

    /** A tick label: at most 4 significant digits, no trailing zeros, exponent for very large or small values. */
    static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.0e", v).replace("e+0", "e").replace("e-0", "e-").replace("e+", "e");
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** A value axis mapped onto pixels {@code [p0, p1]} (p1 may be smaller: y grows downwards). */
    record Axis(double lo, double hi, double p0, double p1, boolean log, List<Double> ticks) {
        static Axis linear(double min, double max, double p0, double p1) {
            if (min == max) {
                double pad = min == 0 ? 1 : Math.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double step = niceStep((max - min) / 5);
            double lo = Math.floor(min / step + 1e-9) * step;
            double hi = Math.ceil(max / step - 1e-9) * step;
            List<Double> ticks = new ArrayList<>();
            for (double t = lo; t <= hi + step * 1e-6; t += step) {
                ticks.add(Math.abs(t) < step * 1e-9 ? 0 : t);
            }
            return new Axis(lo, hi, p0, p1, false, ticks);
        }

        static Axis log(double min, double max, double p0, double p1) {
            double lo = min / 1.15;
            double hi = max * 1.15;
            List<Double> ticks = new ArrayList<>();
            int decades = (int) Math.ceil(Math.log10(hi / lo));
            double[] mantissas = decades <= 1 ? new double[] {1, 1.5, 2, 3, 4, 5, 6, 7, 8}
                    : decades <= 3 ? new double[] {1, 2, 5} : new double[] {1};
            int every = Math.max(1, decades / 6);
            for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
                if (Math.floorMod(e, every) != 0) {
                    continue;
                }
                for (double m : mantissas) {
                    double t = m * Math.pow(10, e);
                    if (t >= lo && t <= hi) {
                        ticks.add(t);
                    }
                }
            }
            return new Axis(lo, hi, p0, p1, true, ticks);
        }

        /** The same axis ending exactly at {@code top} (e.g. 100 %), ticks beyond it dropped. */
        Axis fixedTop(double top) {
            return new Axis(lo, top, p0, p1, log, ticks.stream().filter(t -> t <= top + 1e-9).toList());
        }

        double map(double v) {
            double t = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
            return p0 + t * (p1 - p0);
        }

        private static double niceStep(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double r = raw / magnitude;
            return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 2.5 ? 2.5 : r <= 5 ? 5 : 10) * magnitude;
        }
    }

    /** Series names with colour keys, wrapped into rows. */
    private record Legend(List<String> names, List<String> colors, List<double[]> places, int rows, boolean boxes) {
        static final Legend NONE = new Legend(List.of(), List.of(), List.of(), 0, false);

        static Legend of(List<String> names, List<String> colors, double width, boolean boxes) {
            List<double[]> places = new ArrayList<>();
            double x = 0;
            int row = 0;
            for (String name : names) {
                double w = 26 + name.length() * CHAR + 14;
                if (x > 0 && x + w > width) {
                    x = 0;
                    row++;
                }
                places.add(new double[] {x, row});
                x += w;
            }
            return new Legend(names, colors, places, names.isEmpty() ? 0 : row + 1, boxes);
        }

        int height() {
            return rows * 18;
        }

        String svg(double left, double top) {
            StringBuilder sb = new StringBuilder("<g class=\"legend\" font-size=\"12\" fill=\"#1d2330\">");
            for (int i = 0; i < names.size(); i++) {
                double x = left + places.get(i)[0];
                double y = top + places.get(i)[1] * 18;
                String colour = esc(colors.get(i));
                if (boxes) {
                    sb.append("<rect x=\"").append(f(x)).append("\" y=\"").append(f(y - 4)).append("\" width=\"18\" height=\"10\" fill=\"")
                            .append(colour).append("\"/>");
                } else {
                    sb.append("<line x1=\"").append(f(x)).append("\" x2=\"").append(f(x + 18)).append("\" y1=\"").append(f(y + 1))
                            .append("\" y2=\"").append(f(y + 1)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"3\"/>");
                }
                sb.append("<text x=\"").append(f(x + 24)).append("\" y=\"").append(f(y + 5)).append("\">")
                        .append(esc(names.get(i))).append("</text>");
            }
            return sb.append("</g>").toString();
        }
    }
}
