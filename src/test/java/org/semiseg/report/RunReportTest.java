package org.semiseg.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.eval.EvalReport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** report.html of a run built from files (no training, no browser). */
class RunReportTest {
    @TempDir
    Path dir;

    @Test
    void reportHoldsHeaderChartsAndEmbeddedExamples() throws Exception {
        Path run = ReportFixtures.fakeRun(dir.resolve("mb-run"), ReportFixtures.CLASSES);
        Path file = RunReport.write(run);
        assertEquals(run.resolve("report.html"), file);
        String html = Files.readString(file);
        assertTrue(html.contains("<h1>mb-run</h1>"), "run name");
        assertTrue(html.contains("memory-bank") && html.contains("demo, labeled 1/8"), "method and dataset");
        assertTrue(html.contains("47.50 (iteration 150)"), "best val mIoU and its iteration");
        assertTrue(html.contains("200 of 200"), "iterations done");
        assertTrue(html.contains("1 (non-finite loss or gradient)"), "skipped steps counted");
        assertEquals(4, count(html, "<svg class=\"chart\""), "loss, mIoU, per-class IoU, confusion matrix");
        for (String loss : List.of("loss", "loss_sup", "loss_pseudo", "loss_ent", "loss_contr_labeled")) {
            assertTrue(html.contains("data-series=\"" + loss + "\""), "a line for " + loss);
        }
        assertEquals(16, count(html, "<img alt=\""), "4 examples x image, truth, prediction, overlay");
        assertEquals(16, count(html, "src=\"data:image/png;base64,"), "embedded");
        assertEquals(36, count(html, "class=\"cell\""), "6 x 6 confusion cells");
        assertTrue(html.contains("latest (iteration 200)") && html.contains("best (iteration 150)"));
        selfContained(html);
    }

    @Test
    void lossLinesFollowTheLoggedValues() throws Exception {
        Path run = ReportFixtures.fakeRun(dir.resolve("run"), ReportFixtures.CLASSES);
        String html = RunReport.build(run);
        Matcher m = Pattern.compile("data-series=\"loss_sup\" d=\"([^\"]*)\"").matcher(html);
        assertTrue(m.find());
        String[] points = m.group(1).substring(1).split("L");
        assertEquals(20, points.length, "one point per logged iteration, the skipped line left out");
        double firstY = Double.parseDouble(points[0].split(" ")[1]);
        double lastY = Double.parseDouble(points[19].split(" ")[1]);
        assertTrue(lastY > firstY, "the falling loss ends lower on the chart");
    }

    @Test
    void classNamesAreEscapedEverywhere() throws Exception {
        List<String> classes = List.of("back<ground>", "a&b", "\"quoted\"", "it's", "<script>alert(1)</script>", "x");
        Path run = ReportFixtures.fakeRun(dir.resolve("run"), classes);
        String html = RunReport.build(run);
        assertFalse(html.contains("<ground>") || html.contains("<script>alert") || html.contains("\"quoted\""), html);
        assertTrue(html.contains("back&lt;ground&gt;") && html.contains("a&amp;b") && html.contains("&quot;quoted&quot;")
                && html.contains("it&#39;s"));
        assertEquals(1, count(html, "<script>"), "only the report's own script");
    }

    @Test
    void aRunWithoutEvaluationShowsItsLossesOnly() throws Exception {
        Path run = Files.createDirectories(dir.resolve("fresh"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"iter\":10,\"loss\":1.5,\"loss_sup\":1.5}\n"
                + "{\"iter\":20,\"loss\":1.2,\"loss_sup\":1.2}\n{\"iter\":30,\"lo");
        String html = RunReport.build(run);
        assertTrue(html.contains("No evaluation yet"));
        assertEquals(2, count(html, "<svg class=\"chart\""));
        assertTrue(html.contains("20 of ?"), "the torn last line is dropped; no config.yaml");
        assertEquals(0, count(html, "<img "));
    }

    @Test
    void aTermEqualToTheTotalSharesItsLine() throws Exception {
        Path run = Files.createDirectories(dir.resolve("supervised"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"iter\":10,\"loss\":1.5,\"loss_sup\":1.5}\n"
                + "{\"iter\":20,\"loss\":1.2,\"loss_sup\":1.2}\n");
        String html = RunReport.build(run);
        assertEquals(1, count(html, "class=\"line\""));
        assertTrue(html.contains("data-series=\"loss = loss_sup\""), "one line named for both");
    }

    @Test
    void evalJsonStandsInForTheSnapshotOfAnOlderRun() throws Exception {
        Path run = ReportFixtures.fakeRun(dir.resolve("old"), ReportFixtures.CLASSES);
        EvalReport.writeJson(run.resolve("eval.json"), ReportFixtures.result(ReportFixtures.CLASSES), Map.of());
        deleteTree(run.resolve("report"));
        String html = RunReport.build(run);
        assertEquals(36, count(html, "class=\"cell\""), "the confusion matrix comes from eval.json");
        assertEquals(0, count(html, "<img "), "no examples");
    }

    @Test
    void aMissingExampleIsNamedAndTheRestStillShown() throws Exception {
        Path run = ReportFixtures.fakeRun(dir.resolve("run"), ReportFixtures.CLASSES);
        Files.delete(run.resolve("report/examples/2-overlay.png"));
        String html = RunReport.build(run);
        assertEquals(15, count(html, "<img "));
        assertTrue(html.contains("Missing: examples/2-overlay.png"));
    }

    @Test
    void badInputNamesTheFile() throws Exception {
        SemisegException noDir = assertThrows(SemisegException.class, () -> RunReport.build(dir.resolve("nope")));
        assertTrue(noDir.getMessage().contains("nope"), noDir.getMessage());
        Path empty = Files.createDirectories(dir.resolve("empty"));
        SemisegException noMetrics = assertThrows(SemisegException.class, () -> RunReport.build(empty));
        assertTrue(noMetrics.getMessage().contains(empty.resolve("metrics.jsonl").toString()), noMetrics.getMessage());

        Path run = ReportFixtures.fakeRun(dir.resolve("run"), ReportFixtures.CLASSES);
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        lines.set(3, "{\"iter\": 40, \"loss\": ");
        Files.write(run.resolve("metrics.jsonl"), lines);
        SemisegException torn = assertThrows(SemisegException.class, () -> RunReport.build(run));
        assertTrue(torn.getMessage().contains("metrics.jsonl: line 4 is not a JSON object"), torn.getMessage());

        Path other = ReportFixtures.fakeRun(dir.resolve("other"), ReportFixtures.CLASSES);
        Files.writeString(other.resolve("report/eval-latest.json"), "{\"split\": \"val\"}");
        SemisegException snapshot = assertThrows(SemisegException.class, () -> RunReport.build(other));
        assertTrue(snapshot.getMessage().contains("eval-latest.json: it has no classNames"), snapshot.getMessage());
        Files.writeString(other.resolve("config.yaml"), "data: [unclosed");
        SemisegException config = assertThrows(SemisegException.class, () -> RunReport.build(other));
        assertTrue(config.getMessage().contains("config.yaml: not valid YAML"), config.getMessage());
    }

    /** Nothing is fetched from outside the file. */
    static void selfContained(String html) {
        assertFalse(html.contains("http:") || html.contains("https:") || html.contains("//cdn"), "no external links");
        Matcher src = Pattern.compile("(?:src|href)=\"([^\"]*)\"").matcher(html);
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:"), "only embedded resources: " + src.group(1));
        }
        assertFalse(html.contains("@import") || html.contains("url("), "no external CSS");
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static void deleteTree(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
