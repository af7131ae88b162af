package org.semiseg.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.semiseg.report.RunReportTest.count;

/** report.html of a benchmark grid from a results.json fixture. */
class GridReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void gridReportShowsMeansErrorBarsClassesTimesAndRuns() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("camvid"));
        Path file = GridReport.write(grid);
        assertEquals(grid.resolve("report.html"), file);
        String html = Files.readString(file);
        assertTrue(html.contains("<h1>camvid</h1>") && html.contains("abc123") && html.contains("88\u00d7120"));
        assertTrue(html.contains("./semiseg bench bench/grids/camvid.yaml"));
        assertEquals(5, count(html, "<svg class=\"chart"), "mIoU bars, forest plot, class heat map, step time, wall time");
        assertEquals(4, count(html, "class=\"error\""), "an error bar per method and ratio");
        assertEquals(4 * 11, count(html, "class=\"cell\""), "per-class IoU of 4 method x ratio rows, 11 classes");
        assertEquals(2, count(html, "fill=\"#e4e6ea\" data-value=\"\""), "fence of supervised is missing at both ratios");
        assertTrue(html.contains("<td>memory-bank</td><td>1/4</td><td class=\"num\">2 / 3</td><td class=\"num\">40.00</td>"
                + "<td class=\"num\">0.70</td>"), "summary row: finished seeds, mean and std in percent");
        assertEquals(12, count(html, "<td>memory-bank-") + count(html, "<td>supervised-"), "a row per run");
        assertTrue(html.contains("<td>running</td><td class=\"num\">92</td><td class=\"num\">1250 / 2000</td>"),
                "the unfinished run is listed with its progress");
        assertTrue(html.contains("11 finished of 12"));
        for (String part : new String[] {"data \u00b7 memory-bank 1/8: 1.20", "compute \u00b7 memory-bank 1/8: 750",
                "extra \u00b7 memory-bank 1/8: 250"}) {
            assertTrue(html.contains("<title>" + part + "</title>"), "step time split: " + part);
        }
        RunReportTest.selfContained(html.replaceAll("href=\"[^\"]*report.html\"", ""));
    }

    /**
     * One row per method and ratio but plain supervised, each with its point, its interval and its numbers as text; a
     * zero line; a gap line per ratio; the rule once; the compared pair.
     */
    @Test
    void forestPlotHasARowPerMethodWithItsIntervalAndTheGapToEveryLabel() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("g"));
        String html = GridReport.build(grid);
        String forest = html.substring(html.indexOf("<svg class=\"chart forest\""));
        forest = forest.substring(0, forest.indexOf("</svg>"));
        assertEquals(2, count(forest, "<g class=\"row\""), "memory-bank at 1/8 and 1/4; supervised is the baseline");
        assertEquals(2, count(forest, "class=\"ci\""));
        assertEquals(2, count(forest, "class=\"point\""));
        assertEquals(1, count(forest, "class=\"zero\""));
        assertEquals(2, count(forest, "class=\"gap\""), "a gap line per ratio");
        assertTrue(forest.contains("data-label=\"memory-bank\" data-ratio=\"1/8\""), forest);
        assertTrue(forest.contains(">labeled 1/8</text>") && forest.contains(">labeled 1/4</text>"), "rows grouped by ratio");
        assertTrue(forest.contains(">+4.00 [-1.00, +9.00] p 0.080</text>"), "the numbers beside the row");
        assertTrue(forest.contains(">gap to every label 6.00</text>") && forest.contains(">gap to every label 5.00</text>"));
        // the point sits between the interval's ends, the gap line right of the zero line
        Matcher ci = Pattern.compile("class=\"ci\" d=\"M([0-9.]+) [^H]*H([0-9.]+)").matcher(forest);
        Matcher point = Pattern.compile("class=\"point\" cx=\"([0-9.]+)\"").matcher(forest);
        Matcher zero = Pattern.compile("class=\"zero\" x1=\"([0-9.]+)\"").matcher(forest);
        Matcher gap = Pattern.compile("class=\"gap\" x1=\"([0-9.]+)\"").matcher(forest);
        assertTrue(ci.find() && point.find() && zero.find() && gap.find());
        double low = Double.parseDouble(ci.group(1));
        double high = Double.parseDouble(ci.group(2));
        double mean = Double.parseDouble(point.group(1));
        double zeroX = Double.parseDouble(zero.group(1));
        assertTrue(low < zeroX && zeroX < mean && mean < high, low + " " + zeroX + " " + mean + " " + high);
        assertEquals((mean - zeroX) * 6 / 4, Double.parseDouble(gap.group(1)) - zeroX, 0.2, "x is linear in mIoU points");

        assertTrue(html.contains("<td class=\"num\">4.00</td><td class=\"num\">[-1.00, +9.00]</td><td class=\"num\">0.080</td>"),
                "the summary table has the interval and p too");
        assertEquals(1, count(html, "Paired by split"), "the rule, once");
        assertTrue(html.contains("<td>memory-bank \u2212 supervised</td><td>1/8</td><td class=\"num\">3</td>"
                + "<td class=\"num\">+3.00, +5.00, +4.00</td><td class=\"num\">+4.00</td>"
                + "<td class=\"num\">[+1.52, +6.48]</td><td class=\"num\">0.020</td>"), "the compared pair");

        // one pair: a point without an interval, said in words; a row without pairs: words only
        ObjectNode results = (ObjectNode) JSON.readTree(grid.resolve("results.json").toFile());
        ObjectNode quarter = (ObjectNode) results.get("summary").get(3);
        quarter.put("gain_seeds", 1).putNull("gain_ci_low").putNull("gain_ci_high").putNull("gain_p").putNull("gain_std");
        ObjectNode eighth = (ObjectNode) results.get("summary").get(2);
        eighth.putNull("gain_mean").putNull("gain_ci_low").putNull("gain_ci_high").putNull("gain_p").putNull("gain_seeds");
        ((ObjectNode) results.get("comparisons").get(0)).putNull("p");
        JSON.writeValue(grid.resolve("results.json").toFile(), results);
        html = GridReport.build(grid);
        assertEquals(2, count(html, "<g class=\"row\""));
        assertEquals(1, count(html, "class=\"point\""));
        assertEquals(0, count(html, "class=\"ci\""));
        assertTrue(html.contains(">+4.00 (1 split: n &lt; 2)</text>") && html.contains(">no paired splits yet</text>"), html);
        assertTrue(html.contains("<td class=\"num\">4.00</td><td class=\"num\">n &lt; 2</td><td class=\"num\">n &lt; 2</td>"));
        RunReportTest.selfContained(html.replaceAll("href=\"[^\"]*report.html\"", ""));
    }

    /** results.json from before the statistics: points without intervals, the gap from supervised's means. */
    @Test
    void forestPlotOfResultsWithoutIntervals() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("old"));
        ObjectNode results = (ObjectNode) JSON.readTree(grid.resolve("results.json").toFile());
        for (var row : results.get("summary")) {
            ((ObjectNode) row).remove(java.util.List.of("gain_ci_low", "gain_ci_high", "gain_p", "gap"));
        }
        results.remove(java.util.List.of("statistics", "comparisons"));
        JSON.writeValue(grid.resolve("results.json").toFile(), results);
        String html = GridReport.build(grid);
        assertEquals(2, count(html, "<g class=\"row\""));
        assertEquals(0, count(html, "class=\"ci\""));
        assertTrue(html.contains(">+4.00 (3 splits; no interval)</text>"), html);
        // fixture means: supervised 1/8 0.31, 1/4 0.36, no row on every label: no gap line
        assertEquals(0, count(html, "class=\"gap\""));
        assertTrue(html.contains("<td class=\"num\">4.00</td><td class=\"num\">\u2013</td><td class=\"num\">\u2013</td>"));
        ObjectNode all = ((ObjectNode) results.get("summary").get(1)).put("ratio", "all").put("test_miou_mean", 0.40);
        assertEquals("all", all.get("ratio").asText());
        JSON.writeValue(grid.resolve("results.json").toFile(), results);
        html = GridReport.build(grid);
        assertEquals(1, count(html, "class=\"gap\""), "the gap at 1/8 from supervised's means: 40 - 31");
        assertTrue(html.contains(">gap to every label 9.00</text>"), html);
    }

    @Test
    void runsLinkToTheirReportsWhereTheyExist() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("results/g"));
        ObjectNode results = (ObjectNode) JSON.readTree(grid.resolve("results.json").toFile());
        ((ObjectNode) results.get("runs").get(1)).put("dir", "../../out/odd dir/a&b");
        ((ObjectNode) results.get("runs").get(2)).put("dir", dir.resolve("out/abs").toString());
        JSON.writeValue(grid.resolve("results.json").toFile(), results);
        RunReport.write(ReportFixtures.fakeRun(grid.resolve("supervised-1_8-s1"), ReportFixtures.CLASSES));
        RunReport.write(ReportFixtures.fakeRun(dir.resolve("out/odd dir/a&b"), ReportFixtures.CLASSES));
        RunReport.write(ReportFixtures.fakeRun(dir.resolve("out/abs"), ReportFixtures.CLASSES));
        String html = GridReport.build(grid);
        Matcher links = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        assertTrue(links.find());
        assertEquals("supervised-1_8-s1/report.html", links.group(1));
        assertTrue(links.find());
        assertEquals("../../out/odd%20dir/a%26b/report.html", links.group(1), "relative to the grid's folder, encoded");
        assertTrue(links.find());
        assertEquals("../../out/abs/report.html", links.group(1), "an absolute dir is made relative");
        assertFalse(links.find());
        assertEquals(9, count(html, "no report"));
    }

    @Test
    void nullFieldsAreShownAsMissing() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("g"));
        ObjectNode results = (ObjectNode) JSON.readTree(grid.resolve("results.json").toFile());
        ObjectNode row = (ObjectNode) results.get("summary").get(0);
        row.putNull("test_miou_mean");
        row.putNull("test_miou_std");
        row.putNull("class_iou_mean");
        results.putNull("commit");
        ((ArrayNode) results.get("runs")).removeAll();
        JSON.writeValue(grid.resolve("results.json").toFile(), results);
        String html = GridReport.build(grid);
        assertEquals(3, count(html, "class=\"error\""));
        assertEquals(3 * 11, count(html, "class=\"cell\""));
        assertTrue(html.contains("<td class=\"num\">\u2013</td><td class=\"num\">\u2013</td>"), "no mean, no std");
        assertTrue(html.contains("no data yet"), "the wall time chart of a grid without runs");
    }

    @Test
    void badResultsNameTheFile() throws Exception {
        SemisegException none = assertThrows(SemisegException.class, () -> GridReport.build(dir));
        assertTrue(none.getMessage().contains(dir.resolve("results.json").toString()), none.getMessage());
        Files.writeString(dir.resolve("results.json"), "{\"runs\": [");
        SemisegException broken = assertThrows(SemisegException.class, () -> GridReport.build(dir));
        assertTrue(broken.getMessage().startsWith("cannot read " + dir.resolve("results.json") + ": not valid JSON"),
                broken.getMessage());
        Files.writeString(dir.resolve("results.json"), "{\"name\": \"x\"}");
        SemisegException empty = assertThrows(SemisegException.class, () -> GridReport.build(dir));
        assertTrue(empty.getMessage().contains("neither \"runs\" nor \"summary\""), empty.getMessage());
    }
}
