package org.semiseg.report;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The charts' geometry, gaps, escaping and axes. */
class SvgTest {
    private static final double NAN = Double.NaN;

    @Test
    void lineChartPlacesHigherValuesHigherAndBreaksAtGaps() {
        Svg.Series s = new Svg.Series("loss", new double[] {0, 10, 20, 30, 40}, new double[] {3, 2, NAN, 1, 0.5}, "#1f77b4");
        String svg = Svg.lineChart("Loss", "iteration", "loss", List.of(s), false, false);
        String d = attr(svg, "path", "d").get(0);
        assertEquals(2, d.chars().filter(c -> c == 'M').count(), "the NaN splits the line: " + d);
        List<double[]> points = points(d);
        assertEquals(4, points.size());
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i)[0] > points.get(i - 1)[0], "x grows with the iteration: " + d);
            assertTrue(points.get(i)[1] > points.get(i - 1)[1], "a smaller loss is drawn lower: " + d);
        }
        assertEquals(40.0 / 30, (points.get(3)[0] - points.get(0)[0]) / (points.get(2)[0] - points.get(0)[0]), 0.01,
                "x is linear in the iteration");
        assertTrue(svg.contains("<g class=\"plot\">"));
    }

    @Test
    void logAxisDropsNonPositiveValuesAndSpacesDecadesEvenly() {
        Svg.Series s = new Svg.Series("loss_ent", new double[] {1, 2, 3, 4}, new double[] {0, 0.01, 0.1, 1}, "#000000");
        String svg = Svg.lineChart("Loss", "iteration", "loss", List.of(s), true, false);
        List<double[]> points = points(attr(svg, "path", "d").get(0));
        assertEquals(3, points.size(), "zero has no place on a log axis");
        assertEquals(points.get(1)[1] - points.get(0)[1], points.get(2)[1] - points.get(1)[1], 0.2,
                "0.01 -> 0.1 and 0.1 -> 1 are the same height");
        List<String> ticks = texts(svg, "axis y");
        assertTrue(ticks.containsAll(List.of("0.01", "0.1", "1")), "decade ticks: " + ticks);
    }

    @Test
    void lineChartEscapesNamesAndMarksLonePoints() {
        Svg.Series s = new Svg.Series("<val & \"x\">", new double[] {5}, new double[] {0.4}, "#2ca02c");
        String svg = Svg.lineChart("mIoU <%>", "iteration", "mIoU", List.of(s), false, false);
        assertFalse(svg.contains("<val") || svg.contains("<%>"), svg);
        assertTrue(svg.contains("&lt;val &amp; &quot;x&quot;&gt;") && svg.contains("mIoU &lt;%&gt;"), svg);
        assertTrue(svg.contains("<circle"), "a single evaluation is drawn as a dot");
    }

    @Test
    void emptyChartSaysSoAndDrawsNothing() {
        String svg = Svg.lineChart("Loss", "iteration", "loss", List.of(), true, false);
        assertTrue(svg.contains("<g class=\"plot\"></g>") && svg.contains("no data yet"), svg);
    }

    @Test
    void barsHaveHeightsProportionalToTheirValuesOnAFixedScale() {
        Svg.Bars bars = new Svg.Bars("latest", new double[] {50, 100, NAN, 25}, null, "#1f77b4");
        String svg = Svg.barChart("IoU", "IoU (%)", List.of("sky", "road", "fence", "car & <bus>"), List.of(bars),
                false, 100);
        List<String> heights = attr(svg, "rect", "height");
        List<String> values = attr(svg, "rect", "data-value");
        assertEquals(List.of("50.0", "100", "25.0"), values, "no bar for the missing value");
        List<Double> h = new ArrayList<>();
        for (int i = 0; i < heights.size(); i++) {
            h.add(Double.parseDouble(heights.get(i)));
        }
        int first = h.size() - 3;
        assertEquals(2.0, h.get(first + 1) / h.get(first), 0.01, "100 is twice as tall as 50: " + h);
        assertEquals(0.5, h.get(first + 2) / h.get(first), 0.01, "25 is half as tall as 50: " + h);
        assertTrue(svg.contains("car &amp; &lt;bus&gt;") && !svg.contains("<bus>"), "category labels escaped");
        List<String> ys = attr(svg, "rect", "y");
        double top100 = Double.parseDouble(ys.get(ys.size() - 2));
        List<String> tickTexts = texts(svg, "axis y");
        assertEquals(List.of("0", "20", "40", "60", "80", "100", "IoU (%)"), tickTexts, "ticks up to 100, then the axis title");
        assertTrue(top100 > 30 && top100 < 60, "the 100 bar reaches the top of the plot: " + top100);
    }

    @Test
    void errorBarsSpanMeanPlusMinusStd() {
        Svg.Bars bars = new Svg.Bars("memory-bank", new double[] {40, 30}, new double[] {5, NAN}, "#ff7f0e");
        String svg = Svg.barChart("Test mIoU", "mIoU", List.of("1/8", "1/4"), List.of(bars), false, 100);
        List<String> errors = attr(svg, "path", "d");
        assertEquals(1, errors.size(), "one error bar (the other std is missing)");
        Matcher m = Pattern.compile("^M[0-9.]+ ([0-9.]+)V([0-9.]+)").matcher(errors.get(0));
        assertTrue(m.find(), errors.get(0));
        double span = Double.parseDouble(m.group(1)) - Double.parseDouble(m.group(2));
        double rectY = Double.parseDouble(attr(svg, "rect", "y").get(0));
        double rectH = Double.parseDouble(attr(svg, "rect", "height").get(0));
        assertEquals(10 * rectH / 40, span, 0.3, "the error bar spans 2 std: " + errors.get(0));
        assertEquals(rectY, (Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))) / 2, 0.3,
                "centred on the top of the bar");
        assertTrue(svg.contains("\u00b1 5.00"), "the tooltip gives the std");
    }

    @Test
    void stackedBarsAddUp() {
        List<Svg.Bars> parts = List.of(new Svg.Bars("data", new double[] {100}, null, "#7f7f7f"),
                new Svg.Bars("compute", new double[] {300}, null, "#1f77b4"));
        String svg = Svg.barChart("Step", "ms", List.of("supervised"), parts, true, NAN);
        List<String> ys = attr(svg, "rect", "y");
        List<String> hs = attr(svg, "rect", "height");
        int n = ys.size();
        double dataTop = Double.parseDouble(ys.get(n - 2));
        double computeBottom = Double.parseDouble(ys.get(n - 1)) + Double.parseDouble(hs.get(n - 1));
        assertEquals(dataTop, computeBottom, 0.2, "compute sits on data");
        assertEquals(3.0, Double.parseDouble(hs.get(n - 1)) / Double.parseDouble(hs.get(n - 2)), 0.02);
    }

    @Test
    void heatMapHasACellPerValueAndGreysMissingOnes() {
        double[][] values = {{0.9, 0.1}, {NAN, 0.5}};
        String svg = Svg.heatMap("Confusion", "true", "predicted", List.of("a<b", "c"), List.of("a<b", "c"), values);
        List<String> cells = attr(svg, "rect class=\"cell\"", "fill");
        assertEquals(4, cells.size());
        assertEquals("#e4e6ea", cells.get(2), "NaN is grey");
        assertEquals(Svg.heat(0.9), cells.get(0));
        assertTrue(svg.contains(">90</text>") && svg.contains(">50</text>") && svg.contains(">10</text>"), svg);
        assertTrue(svg.contains("a&lt;b") && !svg.contains("a<b"));
        assertEquals("#f7fbff", Svg.heat(0));
        assertEquals("#08306b", Svg.heat(1));
    }

    @Test
    void tickLabelsAreShort() {
        assertEquals("0.25", Svg.tick(0.25));
        assertEquals("1500", Svg.tick(1500));
        assertEquals("1e5", Svg.tick(1e5));
        assertEquals("2e-4", Svg.tick(0.0002));
        assertEquals("0", Svg.tick(0));
        Svg.Axis axis = Svg.Axis.linear(3, 97, 0, 100);
        assertEquals(List.of(0.0, 20.0, 40.0, 60.0, 80.0, 100.0), axis.ticks());
        assertEquals(50, axis.map(50), 1e-9);
    }

    /** Values of {@code attribute} of every {@code <tag ...>}, in order. */
    private static List<String> attr(String svg, String tag, String attribute) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<" + tag + "[^>]*?\\s" + attribute + "=\"([^\"]*)\"").matcher(svg);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The texts of a group with {@code class}. */
    private static List<String> texts(String svg, String groupClass) {
        int start = svg.indexOf("<g class=\"" + groupClass + "\"");
        String group = svg.substring(start, svg.indexOf("</g>", start));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(group);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The points of a path of M/L commands. */
    private static List<double[]> points(String d) {
        List<double[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("[ML](-?[0-9.]+) (-?[0-9.]+)").matcher(d);
        while (m.find()) {
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        return out;
    }
}
