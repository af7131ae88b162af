package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.data.DataCheckFailed;

/** Folder datasets whose files are named by patterns ({@code {id}_rgb.png}) and whose splits are lists of ids. */
class FolderPatternsTest {
    private static final String CLASSES = "classes: [ground, thing]\n";

    @TempDir
    Path root;

    private FolderLayout spec(String yaml) {
        Fixtures.text(root.resolve("dataset.yaml"), CLASSES + yaml);
        return new FolderLayout(root);
    }

    private String refused(String yaml) {
        Fixtures.text(root.resolve("dataset.yaml"), CLASSES + yaml);
        return assertThrows(SemisegException.class, () -> new FolderLayout(root)).getMessage();
    }

    private void pair(String id) {
        Fixtures.image(root.resolve("rgb/" + id + "_rgb.png"), 3, 2);
        Fixtures.gray(root.resolve("gt/" + id + "_label.png"), 3, 2, 1);
    }

    private static CheckReport check(FolderLayout layout, String split) {
        Listing listing = layout.list(split);
        return DataCheck.check(layout, Map.of(split, listing.pairs()), listing.problems(), false, 255, 1);
    }

    @Test
    void patternsPairNamesThatDifferBySuffixAndNameTheNearMisses() {
        pair("0001");
        pair("seq/0002");                                            // ids may hold subfolders
        Fixtures.image(root.resolve("rgb/0003_rgb.png"), 3, 2);
        Fixtures.gray(root.resolve("gt/0003_lable.png"), 3, 2, 1);   // misspelt: fits no mask pattern
        Fixtures.image(root.resolve("rgb/0004-rgb.png"), 3, 2);      // near miss on the image side
        Fixtures.text(root.resolve("rgb/notes.txt"), "not an image\n");
        FolderLayout layout = spec("""
                images: {pattern: "{id}_rgb.png"}
                masks: {pattern: "{id}_label.png"}
                splits: {train: {images: rgb, masks: gt}}
                """);
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("rgb/0001_rgb.png", "gt/0001_label.png"),
                new FilePair("rgb/seq/0002_rgb.png", "gt/seq/0002_label.png")), train.pairs());
        assertEquals(List.of(
                new Problem("gt/0003_lable.png", "name does not fit masks.pattern \"{id}_label.png\" (ignored)"),
                new Problem("rgb/0003_rgb.png", "no mask for this image (expected gt/0003_label.png)"),
                new Problem("rgb/0004-rgb.png", "name does not fit images.pattern \"{id}_rgb.png\" (ignored)")), train.problems());
        assertEquals("gt/seq/0009_label.png", layout.maskFor("rgb/seq/0009_rgb.png"));
    }

    @Test
    void unpairedFilesGetAHintWhenTheirNamesWouldPairUnderPatterns() {
        for (String id : List.of("0001", "0002", "0003")) {
            pair(id);
        }
        FolderLayout layout = spec("splits: {train: {images: rgb, masks: gt}}\n");
        CheckReport report = check(layout, "train");
        // every file unpaired by its plain name, and so an empty split
        assertEquals(7, report.problems().size(), report.summary());
        assertEquals(List.of("3 of the 3 unpaired images would pair with a mask under name patterns: add images:"
                + " {pattern: \"{id}_rgb.png\"} and masks: {pattern: \"{id}_label.png\"} to the dataset spec (the README's"
                + " \"Your data\" shows the keys)"), report.hints());
        assertTrue(report.summary().contains("\nhint: 3 of the 3 unpaired images"), report.summary());
        String message = new DataCheckFailed(layout, report).getMessage();
        assertTrue(message.contains("; hint: 3 of the 3") && !message.contains("\n"), message);

        // the hinted patterns pair them all
        FolderLayout fixed = spec("""
                images: {pattern: "{id}_rgb.png"}
                masks: {pattern: "{id}_label.png"}
                splits: {train: {images: rgb, masks: gt}}
                """);
        assertTrue(check(fixed, "train").ok());
        assertEquals(3, fixed.list("train").pairs().size());
    }

    @Test
    void prefixesAreHintedAndUnrelatedNamesAreNot() {
        for (String id : List.of("a7", "b8")) {
            Fixtures.image(root.resolve("i/img_" + id + ".jpg"), 2, 2);
            Fixtures.gray(root.resolve("m/mask_" + id + ".png"), 2, 2, 0);
        }
        FolderLayout layout = spec("splits: {train: {images: i, masks: m}}\n");
        assertEquals(1, check(layout, "train").hints().size());
        assertTrue(check(layout, "train").hints().get(0).contains("images: {pattern: \"img_{id}.jpg\"} and masks: {pattern:"
                + " \"mask_{id}.png\"}"), check(layout, "train").hints().toString());
        Fixtures.text(root.resolve("dataset.yaml"), CLASSES + "splits: {train: {images: x, masks: y}}\n");
        Fixtures.image(root.resolve("x/cat.png"), 2, 2);
        Fixtures.gray(root.resolve("y/dog.png"), 2, 2, 0);
        assertEquals(List.of(), check(new FolderLayout(root), "train").hints());
    }

    @Test
    void splitsFromIdListsInTextYamlAndJson() {
        for (String id : List.of("0001", "0002", "0003", "0004", "0005")) {
            pair(id);
        }
        Fixtures.text(root.resolve("lists/train.txt"), """
                # official training list
                0001
                0002_rgb.png  extra fields are ignored

                0009
                0001
                """);
        Fixtures.text(root.resolve("lists/test.yaml"), "- 0003\n- 0004\n");   // unquoted: stays 0003, not 3
        FolderLayout layout = spec("""
                images: {dir: rgb, pattern: "{id}_rgb.png"}
                masks: {dir: gt, pattern: "{id}_label.png"}
                splits:
                  train: {ids: lists/train.txt}
                  test: {ids: lists/test.yaml}
                  raw: {ids: ["0005"], masks: null}
                """);
        assertEquals(List.of("train", "test", "raw"), layout.splitNames());
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("rgb/0001_rgb.png", "gt/0001_label.png"),
                new FilePair("rgb/0002_rgb.png", "gt/0002_label.png")), train.pairs());
        assertEquals(List.of(
                new Problem("lists/train.txt", "id 0001 is listed twice (lines 2 and 6); the second is ignored"),
                new Problem("rgb/0009_rgb.png", "no image of id 0009, which lists/train.txt line 5 lists (expected rgb/0009_rgb.png)")),
                train.problems());
        assertEquals(List.of(new FilePair("rgb/0003_rgb.png", "gt/0003_label.png"),
                new FilePair("rgb/0004_rgb.png", "gt/0004_label.png")), layout.list("test").pairs());
        assertEquals(List.of(new FilePair("rgb/0005_rgb.png", null)), layout.list("raw").pairs());

        Fixtures.text(root.resolve("official.json"), "{\"train\": [\"0001\", \"0002\"], \"test\": [\"0005\"]}");
        FolderLayout fromJson = spec("""
                images: {dir: rgb, pattern: "{id}_rgb.png"}
                masks: {dir: gt, pattern: "{id}_label.png"}
                splits: official.json
                """);
        assertEquals(List.of("train", "test"), fromJson.splitNames());
        assertEquals("train", fromJson.trainSplit());
        assertEquals("train", fromJson.valSplit());
        assertEquals(2, fromJson.list("train").pairs().size());
        assertTrue(fromJson.list("train").problems().isEmpty());
        assertEquals(List.of(new FilePair("rgb/0005_rgb.png", "gt/0005_label.png")), fromJson.list("test").pairs());
    }

    @Test
    void imagesAndMasksInOneFolderAreToldApartByTheirPatterns() {
        Fixtures.image(root.resolve("data/a.jpg"), 2, 2);
        Fixtures.gray(root.resolve("data/a_mask.png"), 2, 2, 0);
        Fixtures.image(root.resolve("data/b.png"), 2, 2);
        Fixtures.gray(root.resolve("data/b_mask.png"), 2, 2, 1);
        FolderLayout layout = spec("""
                masks: {pattern: "{id}_mask.png"}
                splits: {train: {images: data, masks: data}}
                """);
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("data/a.jpg", "data/a_mask.png"), new FilePair("data/b.png", "data/b_mask.png")),
                train.pairs());
        assertEquals(List.of(), train.problems());
    }

    @Test
    void badPatternsAndIdListsAreNamed() {
        String prefix = "dataset spec " + root.resolve("dataset.yaml") + ": ";
        assertEquals(prefix + "key 'images.pattern' must hold {id} exactly once (e.g. \"{id}_rgb.png\"), got 'rgb.png'",
                refused("images: {pattern: rgb.png}\nsplits: {t: {images: i}}\n"));
        assertEquals(prefix + "key 'masks.pattern' names .jpg files, but a mask must be a PNG (JPEG compression changes the"
                + " label values)", refused("masks: {pattern: \"{id}.jpg\"}\nsplits: {t: {images: i}}\n"));
        assertEquals(prefix + "key 'splits.t.ids' names t.txt, which does not exist under " + root,
                refused("masks: {dir: m}\nsplits: {t: {ids: t.txt}}\n"));
        Fixtures.text(root.resolve("t.txt"), "a\n");
        assertEquals(prefix + "key 'splits.t.ids' lists ids, but no masks folder is known: add masks: {dir: FOLDER} at the"
                + " top level (or masks: null to this split when it has no masks)", refused("splits: {t: {ids: t.txt}}\n"));
        assertEquals(prefix + "splits.t: images and masks share the folder 'd' and the name pattern {id}: give images.pattern"
                + " and masks.pattern that tell them apart (e.g. \"{id}_rgb.png\" and \"{id}_label.png\")",
                refused("splits: {t: {images: d, masks: d}}\n"));
        Fixtures.text(root.resolve("s.json"), "{\"train\": [\"a\"]}");
        assertEquals(prefix + "key 'splits.t.ids' names s.json, a mapping without a list for split 't' (it has: train)",
                refused("masks: {dir: m}\nsplits: {t: {ids: s.json}}\n"));
        Fixtures.text(root.resolve("bad.json"), "{\"train\": [\"a\", ");
        assertTrue(refused("masks: m\nsplits: bad.json\n").startsWith(prefix + "split list " + root.resolve("bad.json")
                + " is not valid JSON"));
    }

    /** The check of a whole id-list dataset through the public entry point, as `data check` runs it. */
    @Test
    void dataCheckOfAnIdListDatasetCountsItsSplits() {
        for (String id : List.of("1", "2", "3")) {
            pair(id);
        }
        Fixtures.text(root.resolve("train.txt"), "1\n2\n");
        Fixtures.text(root.resolve("test.txt"), "3\n");
        FolderLayout layout = spec("""
                images: {dir: rgb, pattern: "{id}_rgb.png"}
                masks: {dir: gt, pattern: "{id}_label.png"}
                splits: {train: {ids: train.txt}, test: {ids: test.txt}}
                """);
        Map<String, List<FilePair>> splits = new LinkedHashMap<>();
        for (String split : layout.splitNames()) {
            splits.put(split, layout.list(split).pairs());
        }
        CheckReport report = DataCheck.check(layout, splits, List.of(), true, 255, 1);
        assertTrue(report.ok(), report.summary());
        assertEquals(Map.of("train", 2, "test", 1), report.labeledPerSplit());
    }
}
