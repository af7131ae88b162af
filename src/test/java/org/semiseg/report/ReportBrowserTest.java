package org.semiseg.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.Needs;
import org.semiseg.cli.Main;
import org.semiseg.data.DemoScenes;
import org.semiseg.data.Palette;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report of a short real training run, opened in headless Chromium: every image decodes, every chart draws
 * (the page's own check, read back with --dump-dom), and a screenshot holds the mIoU line's colour and the class
 * colours of the example masks. A copy of the report with a broken image and an emptied chart fails the page's check,
 * and a screenshot of one without charts and images fails the colour counts. A grid page (from a fixture) draws every
 * chart and a forest plot row per method. Skipped where no Chromium is installed
 * (SEMISEG_CHROMIUM names the binary), except under CI=true, where .ci/run installs Debian's and a missing one fails.
 */
class ReportBrowserTest {
    private static final List<String> TRAIN = List.of("train.iterations=12", "train.eval_every=6",
            "train.log_every=2", "train.checkpoint_every=12", "train.batch_size=2", "data.demo.train_images=16",
            "data.demo.val_images=4", "data.demo.size=32", "model.width=0.125", "data.labeled=1/2");
    /** Colour of the validation mIoU line ({@code Svg.color(2)}), drawn nowhere else in a supervised run's report. */
    private static final int MIOU_LINE = 0x2ca02c;
    /** A 2-pixel line across the plot has several hundred; the example images alone have none. */
    private static final int MIN_LINE_PIXELS = 150;
    /** The ground truth and prediction of 4 images shown 100+ pixels wide; the colour legend has 500. */
    private static final int MIN_CLASS_PIXELS = 5000;

    @TempDir
    static Path dir;
    private static Path run;
    private static String trainErrors;

    /** The short real run the run-report tests open, trained on first use (the grid page's test needs none). */
    private static synchronized Path run() {
        if (run != null) {
            return run;
        }
        Path out = dir.resolve("run");
        List<String> args = new ArrayList<>(List.of("train", "--out", out.toString()));
        TRAIN.forEach(s -> {
            args.add("--set");
            args.add(s);
        });
        PrintStream savedErr = System.err;
        PrintStream savedOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute(args.toArray(String[]::new)));
        } finally {
            System.setErr(savedErr);
            System.setOut(savedOut);
        }
        trainErrors = err.toString(StandardCharsets.UTF_8);
        run = out;
        return run;
    }

    @BeforeEach
    void needsChromium() {
        Needs.present(chromium() != null, "chromium binary (SEMISEG_CHROMIUM, or chromium on the PATH)");
    }

    @Test
    void reportOfARealRunRendersInChromium() throws Exception {
        Path run = run();
        assertFalse(trainErrors.contains("warning"), trainErrors);
        Path report = run.resolve("report.html");
        String html = Files.readString(report);
        assertTrue(html.contains("12 of 12"), "written at the end of the run");
        for (int k = 0; k < 4; k++) {
            for (String kind : List.of("image", "truth", "prediction", "overlay")) {
                assertTrue(Files.isRegularFile(run.resolve("report/examples/" + k + "-" + kind + ".png")), k + kind);
            }
        }

        Map<String, String> rendered = renderedCounts(report);
        assertEquals(List.of(), problems(rendered), "rendered: " + rendered);
        assertEquals("16", rendered.get("images-total"), "4 examples x 4 images");
        assertEquals("4", rendered.get("charts-total"), "loss, mIoU, per-class IoU, confusion matrix");

        BufferedImage shot = screenshot(report);
        int line = lineColour(shot);
        assertTrue(line >= MIN_LINE_PIXELS, "the mIoU line shows in the screenshot (" + line + " pixels of its colour)");
        int classes = classColours(shot);
        assertTrue(classes >= MIN_CLASS_PIXELS, "the masks show their class colours (" + classes + " pixels)");
    }

    @Test
    void brokenImagesAndEmptyChartsFailTheChecks() throws Exception {
        Path run = run();
        String html = Files.readString(run.resolve("report.html"));
        String broken = html.replaceFirst("data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,AAAA")
                .replaceFirst("<g class=\"plot\">.*?</g>", "<g class=\"plot\"></g>");
        Map<String, String> rendered = renderedCounts(write("broken.html", broken));
        assertEquals(List.of("15 of 16 images decoded", "3 of 4 charts drawn"), problems(rendered),
                "rendered: " + rendered);

        String bare = html.replaceAll("<svg class=\"chart\".*?</svg>", "").replaceAll("<img [^>]*>", "");
        BufferedImage shot = screenshot(write("bare.html", bare));
        assertTrue(lineColour(shot) < MIN_LINE_PIXELS, "without the charts the line colour is gone");
        assertTrue(classColours(shot) < MIN_CLASS_PIXELS, "without the images the class colours are gone");
    }

    /**
     * The grid page of a results.json fixture (memory-bank at two ratios, plus classmix and a variant with one pair
     * added here): every chart draws, and the forest plot draws one row per method, variant and ratio besides plain
     * supervised, each with its point. Nothing trains.
     */
    @Test
    void gridPageDrawsTheForestPlotWithOneRowPerMethod() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("grid"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode results = (ObjectNode) json.readTree(grid.resolve("results.json").toFile());
        ArrayNode summary = (ArrayNode) results.get("summary");
        ObjectNode classmix = summary.get(2).deepCopy();
        classmix.put("method", "classmix").put("gain_mean", 0.03).put("gain_ci_low", 0.01).put("gain_ci_high", 0.05);
        ObjectNode variant = summary.get(2).deepCopy();
        variant.put("label", "memory-bank [nocontr]").put("tag", "nocontr").put("gain_seeds", 1)
                .putNull("gain_ci_low").putNull("gain_ci_high").putNull("gain_p");
        summary.add(classmix).add(variant);
        json.writeValue(grid.resolve("results.json").toFile(), results);
        int methods = 0;
        for (var row : summary) {
            methods += row.path("method").asText().equals("supervised") && !row.path("tag").isTextual() ? 0 : 1;
        }
        assertEquals(4, methods, "memory-bank 1/8 and 1/4, classmix 1/8, memory-bank [nocontr] 1/8");

        Map<String, String> rendered = renderedCounts(GridReport.write(grid));
        assertEquals("yes", rendered.get("rendered"), "rendered: " + rendered);
        assertEquals("5", rendered.get("charts-total"), "mIoU bars, forest plot, class heat map, step time, wall time");
        assertEquals(rendered.get("charts-total"), rendered.get("charts-drawn"), "rendered: " + rendered);
        assertEquals(String.valueOf(methods), rendered.get("forest-rows"), "one row per method: " + rendered);
        assertEquals(String.valueOf(methods), rendered.get("forest-rows-drawn"), "rendered: " + rendered);
        assertEquals(String.valueOf(methods), rendered.get("forest-points"), "each row's point drew: " + rendered);
    }

    /** What the page's load-time check recorded on {@code <body>}. */
    private static Map<String, String> renderedCounts(Path page) throws Exception {
        String dom = chrome(List.of("--dump-dom", page.toUri().toString()));
        Matcher body = Pattern.compile("<body([^>]*)>").matcher(dom);
        assertTrue(body.find(), "no <body> in the dumped DOM");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher attribute = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"").matcher(body.group(1));
        while (attribute.find()) {
            out.put(attribute.group(1), attribute.group(2));
        }
        return out;
    }

    private static List<String> problems(Map<String, String> rendered) {
        List<String> problems = new ArrayList<>();
        if (!"yes".equals(rendered.get("rendered"))) {
            problems.add("the load-time check did not run");
            return problems;
        }
        String images = rendered.get("images-decoded");
        String charts = rendered.get("charts-drawn");
        if (!images.equals(rendered.get("images-total")) || images.equals("0")) {
            problems.add(images + " of " + rendered.get("images-total") + " images decoded");
        }
        if (!charts.equals(rendered.get("charts-total")) || charts.equals("0")) {
            problems.add(charts + " of " + rendered.get("charts-total") + " charts drawn");
        }
        return problems;
    }

    private static BufferedImage screenshot(Path page) throws Exception {
        Path png = dir.resolve("shot-" + page.getFileName() + ".png");
        chrome(List.of("--hide-scrollbars", "--window-size=1280,2600", "--screenshot=" + png, page.toUri().toString()));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image != null && image.getWidth() == 1280, "screenshot " + png);
        return image;
    }

    /** Pixels of the mIoU line's colour (its anti-aliased edges left out). */
    private static int lineColour(BufferedImage shot) {
        return countNear(shot, MIOU_LINE, 4);
    }

    /** Pixels of exactly the colour of a demo class other than the (black) background. */
    private static int classColours(BufferedImage shot) {
        Palette palette = Palette.forClasses(DemoScenes.CLASS_NAMES.size());
        int n = 0;
        for (int c = 1; c < palette.size(); c++) {
            n += countNear(shot, palette.rgb(c), 0);
        }
        return n;
    }

    /** Pixels within {@code tolerance} of {@code rgb} in every channel. */
    private static int countNear(BufferedImage image, int rgb, int tolerance) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                boolean near = true;
                for (int shift = 0; shift <= 16 && near; shift += 8) {
                    near = Math.abs(((p >> shift) & 0xFF) - ((rgb >> shift) & 0xFF)) <= tolerance;
                }
                n += near ? 1 : 0;
            }
        }
        return n;
    }

    private static Path write(String name, String html) throws IOException {
        return Files.writeString(dir.resolve(name), html);
    }

    /** Runs headless Chromium on its own profile; returns its stdout. */
    private static String chrome(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(args);
        Path stdout = Files.createTempFile(dir, "chrome", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s: " + command);
        }
        assertEquals(0, process.exitValue(), "chromium exit status: " + command);
        return Files.readString(stdout);
    }

    /**
     * SEMISEG_CHROMIUM when set (null if it is not an executable: set it to "none" to skip the test), else the first of
     * the usual names on the PATH; null when there is none.
     */
    private static String chromium() {
        String chosen = System.getenv("SEMISEG_CHROMIUM");
        if (chosen != null && !chosen.isEmpty()) {
            return new File(chosen).canExecute() ? chosen : null;
        }
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                File candidate = new File(folder, name);
                if (!folder.isEmpty() && candidate.canExecute()) {
                    return candidate.getPath();
                }
            }
        }
        return null;
    }
}
