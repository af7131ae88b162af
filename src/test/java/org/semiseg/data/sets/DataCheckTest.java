package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCheckTest {
    @TempDir
    Path root;

    private FolderLayout layout() {
        Fixtures.text(root.resolve("dataset.yaml"), """
                classes: [background, a, b]
                ignore_values: [255]
                splits:
                  train: {images: images, masks: masks}
                  val: {images: val, masks: valmasks}
                """);
        return new FolderLayout(root);
    }

    private void good(String name) {
        Fixtures.image(root.resolve("images/" + name + ".png"), 4, 3);
        Fixtures.gray(root.resolve("masks/" + name + ".png"), 4, 3, 0, 1, 2, 255, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    private CheckReport check(DatasetLayout layout, boolean full, int threads) {
        Listing train = layout.list("train");
        return DataCheck.check(layout, Map.of("train", train.pairs()), train.problems(), full, 255, threads);
    }

    private static Problem only(CheckReport report) {
        assertEquals(1, report.problems().size(), report.summary());
        return report.problems().get(0);
    }

    @Test
    void cleanDatasetPassesBothForms() {
        FolderLayout layout = layout();
        good("a");
        good("b");
        for (boolean full : new boolean[] {false, true}) {
            CheckReport report = check(layout, full, 2);
            assertTrue(report.ok(), report.summary());
            assertEquals(Map.of("train", 2), report.imagesPerSplit());
            assertEquals(Map.of("train", 2), report.labeledPerSplit());
            assertEquals("train: 2 images, 2 with masks\nno problems found\n", report.summary());
        }
    }

    @Test
    void corruptPngIsCaughtByTheFullCheck() {
        FolderLayout layout = layout();
        good("a");
        Fixtures.scramble(Fixtures.image(root.resolve("images/b.png"), 40, 30));
        Fixtures.gray(root.resolve("masks/b.png"), 40, 30, 0);
        assertTrue(check(layout, false, 1).ok());
        Problem problem = only(check(layout, true, 1));
        assertEquals("images/b.png", problem.file());
        assertTrue(problem.what().startsWith("image data is corrupt, truncated or unsupported"), problem.what());
    }

    @Test
    void truncatedJpegIsCaughtThoughImageIoDecodesIt() {
        FolderLayout layout = layout();
        good("a");
        Fixtures.truncate(Fixtures.image(root.resolve("images/b.jpg"), 64, 48), 0.5);
        Fixtures.gray(root.resolve("masks/b.png"), 64, 48, 0);
        Problem problem = only(check(layout, true, 1));
        assertEquals("images/b.jpg", problem.file());
        assertTrue(problem.what().startsWith("image data is truncated or damaged (decoder: "), problem.what());
    }

    @Test
    void garbageJpegAndTruncatedMaskAreCaught() {
        FolderLayout layout = layout();
        Fixtures.scramble(Fixtures.image(root.resolve("images/a.jpg"), 64, 48));
        Fixtures.gray(root.resolve("masks/a.png"), 64, 48, 0);
        Fixtures.image(root.resolve("images/b.png"), 64, 48);
        Fixtures.truncate(Fixtures.gray16(root.resolve("masks/b.png"), 64, 48, 7), 0.6);
        CheckReport report = check(layout, true, 2);
        assertEquals(2, report.problems().size(), report.summary());
        assertEquals("images/a.jpg", report.problems().get(0).file());
        assertEquals("masks/b.png", report.problems().get(1).file());
        assertTrue(report.problems().get(1).what().contains("corrupt, truncated"), report.summary());
    }

    @Test
    void garbageFileIsNotAnImageEvenForTheFastCheck() {
        FolderLayout layout = layout();
        Fixtures.text(root.resolve("images/a.png"), "this is not a png");
        Fixtures.gray(root.resolve("masks/a.png"), 4, 3, 0);
        Problem problem = only(check(layout, false, 1));
        assertEquals(new Problem("images/a.png", "not a PNG or JPEG image (no ImageIO reader recognises it)"), problem);
    }

    @Test
    void maskOfADifferentSizeIsCaughtByBothForms() {
        FolderLayout layout = layout();
        Fixtures.image(root.resolve("images/a.png"), 4, 3);
        Fixtures.gray(root.resolve("masks/a.png"), 3, 4, 0);
        for (boolean full : new boolean[] {false, true}) {
            assertEquals(new Problem("masks/a.png", "mask is 3x4 but its image images/a.png is 4x3 (width x height)"),
                    only(check(layout, full, 1)));
        }
    }

    @Test
    void maskValuesOutsideTheClassesAreCaughtByTheFullCheck() {
        FolderLayout layout = layout();
        Fixtures.image(root.resolve("images/a.png"), 2, 2);
        Fixtures.gray(root.resolve("masks/a.png"), 2, 2, 0, 1, 3, 3);
        Fixtures.image(root.resolve("images/b.png"), 2, 2);
        Fixtures.palette(root.resolve("masks/b.png"), 2, 2, 0, 1, 2, 254);
        Fixtures.image(root.resolve("images/c.png"), 2, 2);
        Fixtures.gray16(root.resolve("masks/c.png"), 2, 2, 0, 1, 2, 4096);
        assertTrue(check(layout, false, 1).ok());
        CheckReport report = check(layout, true, 2);
        String classes = "is not a class of " + layout.name() + " (classes are 0..2, ignored values 255)";
        assertEquals(List.of(new Problem("masks/a.png", "mask value 3 at pixel (1, 0) " + classes + "; 2 such pixels"),
                new Problem("masks/b.png", "mask value 254 at pixel (1, 1) " + classes),
                new Problem("masks/c.png", "mask value 4096 at pixel (1, 1) " + classes)), report.problems());
    }

    @Test
    void colourMaskInAnIndexDatasetIsCaughtFromItsHeader() {
        FolderLayout layout = layout();
        Fixtures.image(root.resolve("images/a.png"), 2, 2);
        Fixtures.rgb(root.resolve("masks/a.png"), 2, 2, 0xFF0000);
        assertEquals(new Problem("masks/a.png", "mask is a colour image (3 channels); " + layout.name()
                + " masks are gray or palette PNGs holding class values"), only(check(layout, false, 1)));
        assertTrue(only(check(layout, true, 1)).what().startsWith("a label mask must be a gray or palette image"));
    }

    @Test
    void emptySplitUnpairedAndMissingFilesAreReportedInOrder() {
        FolderLayout layout = layout();
        good("a");
        Fixtures.image(root.resolve("images/lonely.png"), 4, 3);
        Fixtures.gray(root.resolve("valmasks/orphan.png"), 4, 3, 0);
        Fixtures.image(root.resolve("val/x.png"), 4, 3); // keeps val/ from being empty as a folder; then removed below
        Listing train = layout.list("train");
        Listing val = layout.list("val");
        Map<String, List<FilePair>> splits = new LinkedHashMap<>();
        splits.put("train", new ArrayList<>(train.pairs()));
        splits.get("train").add(new FilePair("images/gone.png", "masks/gone.png"));
        splits.put("val", List.of());
        List<Problem> listing = new ArrayList<>(train.problems());
        listing.addAll(val.problems());
        CheckReport report = DataCheck.check(layout, splits, listing, false, 255, 2);
        assertFalse(report.ok());
        assertEquals(List.of(
                new Problem("images/lonely.png", "no mask for this image (expected masks/lonely.png)"),
                new Problem("val/x.png", "no mask for this image (expected valmasks/x.png)"),
                new Problem("valmasks/orphan.png", "mask without an image (expected an image val/orphan.png, .jpg or .jpeg)"),
                new Problem(root.toString(), "split 'val' has no images"),
                new Problem("images/gone.png", "no such file"),
                new Problem("masks/gone.png", "no such file")), report.problems());
        assertEquals(Map.of("train", 2, "val", 0), report.imagesPerSplit());
        String summary = report.summary();
        assertTrue(summary.startsWith("train: 2 images, 2 with masks\nval: 0 images, 0 with masks\n6 problems:\n"
                + "  images/lonely.png: no mask for this image (expected masks/lonely.png)\n"), summary);
    }

    @Test
    void summaryListsTheFirstFiftyProblems() {
        List<Problem> many = new ArrayList<>();
        for (int i = 0; i < 53; i++) {
            many.add(new Problem("f" + i, "bad"));
        }
        String summary = new CheckReport(Map.of("train", 0), Map.of("train", 0), many).summary();
        assertTrue(summary.contains("53 problems:\n  f0: bad\n"), summary);
        assertTrue(summary.contains("  f49: bad\n  ... and 3 more\n"), summary);
        assertFalse(summary.contains("f50"), summary);
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        FolderLayout layout = layout();
        for (int i = 0; i < 12; i++) {
            Fixtures.image(root.resolve("images/" + i + ".png"), 3, 2);
            Fixtures.gray(root.resolve("masks/" + i + ".png"), 3, 2, 0, 1, 2, i % 3 == 0 ? 7 : 0, 0, 0);
        }
        CheckReport one = check(layout, true, 1);
        assertEquals(4, one.problems().size());
        assertEquals(one, check(layout, true, 2));
        assertEquals(one, check(layout, true, 3));
    }
}
