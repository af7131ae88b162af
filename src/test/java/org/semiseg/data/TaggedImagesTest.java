package org.semiseg.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.io.Images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tagged role (issue 21, part 1): which unlabeled images keep their tags ({@code data.weak}), where the tags come
 * from (a folder dataset's tag file, else the masks), the data check over tags, and the folder of pseudo-masks a run
 * reads ({@code data.pseudo_masks}).
 */
class TaggedImagesTest {
    @TempDir
    Path dir;

    private static Config demo(String... more) {
        List<String> overrides = new ArrayList<>(List.of("data.demo.train_images=40", "data.demo.val_images=4",
                "data.demo.size=16"));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    /** data.weak draws among the unlabeled images with the split seed; the demo's tags are the classes its masks show. */
    @Test
    void theDemoTagsAShareOfItsUnlabeledImagesFromTheirMasks() {
        DataSplits off = Datasets.open(demo());
        assertTrue(off.tagged().isEmpty(), "data.weak null: no tags");
        DataSplits half = Datasets.open(demo("data.weak=1/2"));
        TaggedImages tagged = half.tagged();
        assertEquals(18, tagged.size(), "half of the 35 unlabeled images (40 - 5 labeled), rounded");
        assertTrue(new HashSet<>(half.unlabeled()).containsAll(tagged.indices()));
        assertEquals(half.labeled(), Datasets.open(demo()).labeled(), "the labeled split does not move");
        assertEquals(tagged.indices(), Datasets.open(demo("data.weak=1/2")).tagged().indices(), "the same draw again");
        assertFalse(tagged.indices().equals(Datasets.open(demo("data.weak=1/2", "data.split_seed=2")).tagged().indices()));
        for (int p = 0; p < tagged.size(); p++) {
            Sample s = half.train().get(tagged.indices().get(p));
            assertEquals(s.id(), tagged.ids().get(p));
            assertEquals(TaggedImages.classesIn(s.mask(), 6), tagged.tags(p));
            assertArrayEquals(s.mask(), tagged.truth(p));
        }
        assertEquals(35, Datasets.open(demo("data.weak=all")).tagged().size());
        assertEquals(3, Datasets.open(demo("data.weak=3")).tagged().size());
    }

    @Test
    void badSharesAndNothingToTagAreRefused() {
        ConfigException bad = assertThrows(ConfigException.class, () -> demo("data.weak=1/0x"));
        assertTrue(bad.getMessage().contains("data.weak"), bad.getMessage());
        SemisegException none = assertThrows(SemisegException.class, () -> Datasets.open(demo("data.labeled=all", "data.weak=all")));
        assertEquals("data.weak=all: none of the 0 unlabeled images has tags (masks); data.labeled leaves no image unlabeled",
                none.getMessage());
    }

    /** A folder dataset of 8 images (all with masks): tags.csv tags three of them. */
    private Path folder(String tags) throws IOException {
        Path root = dir.resolve("data");
        for (int i = 0; i < 8; i++) {
            Files.createDirectories(root.resolve("img"));
            Files.createDirectories(root.resolve("gt"));
            Images.writeImagePng(root.resolve("img/i" + i + ".png"), new float[48], 4, 4);
            Images.writeLabelPng(root.resolve("gt/i" + i + ".png"), new int[16], 4, 4);
        }
        Files.writeString(root.resolve("dataset.yaml"), "classes: [a, b]\nsplits: {train: {images: img, masks: gt}}\ntags: tags.csv\n");
        Files.writeString(root.resolve("tags.csv"), tags);
        return root;
    }

    @Test
    void aFolderDatasetsTagFileDecidesWhichImagesCanBeTagged() throws IOException {
        Path root = folder("image,tags\nimg/i1.png,b\ni2.png,a;b\ni3,\n");
        Config config = ConfigLoader.load(null, List.of("data.dataset=folder", "data.root=" + root, "data.labeled=\"1/4\"",
                "data.weak=all"));
        DataSplits data = Datasets.open(config);
        List<String> unlabeled = data.unlabeled().stream().map(i -> data.train().get(i).id()).toList();
        List<String> expected = new ArrayList<>(List.of("img/i1.png", "img/i2.png", "img/i3.png"));
        expected.retainAll(unlabeled);
        assertEquals(expected, data.tagged().ids(), "the unlabeled images the file tags, the labeled ones left out");
        assertEquals("tags.csv", data.tagged().origin());
        CheckReport report = Datasets.check(config, data, 1);
        assertTrue(report.ok(), report.summary());
        assertEquals(data.tagged().size(), report.imagesPerSplit().get("tagged"));
    }

    @Test
    void theDataCheckNamesUnknownClassesAndMissingImages() throws IOException {
        Path root = folder("i1.png,b;c\nmissing.png,a\n");
        Config config = ConfigLoader.load(null, List.of("data.dataset=folder", "data.root=" + root, "data.labeled=\"1/4\"",
                "data.weak=all"));
        CheckReport report = Datasets.check(config, Datasets.open(config), 1);
        assertEquals(List.of("tags.csv line 1: class 'c' is not in classes (a, b)",
                "tags.csv line 2: image missing.png does not exist under " + root),
                report.problems().stream().map(Object::toString).toList());
    }

    /** The folder of pseudo-masks: its index, the classes it was made for, the images it must cover. */
    @Test
    void pseudoMasksRoundTripAndRefuseAnotherRunsImages() throws IOException {
        Path out = dir.resolve("weak");
        Files.createDirectories(out.resolve(PseudoMasks.MASKS));
        Images.writeLabelPng(out.resolve("masks/0.png"), new int[] {1, 200, 0, 1}, 2, 2);
        PseudoMasks.writeIndex(out, List.of("a", "b"), 200, List.of(new PseudoMasks.Entry("train-00003", "masks/0.png", List.of("b"))));
        PseudoMasks masks = PseudoMasks.read(out, List.of("a", "b"));
        assertArrayEquals(new int[] {1, 255, 0, 1}, masks.load("train-00003", 2, 2, 255), "its ignore index becomes the run's");
        assertArrayEquals(new int[] {1, 1, 255, 255, 0, 0, 1, 1}, masks.load("train-00003", 2, 4, 255), "nearest to the run's size");
        SemisegException classes = assertThrows(SemisegException.class, () -> PseudoMasks.read(out, List.of("a", "c")));
        assertTrue(classes.getMessage().startsWith("data.pseudo_masks: " + out.resolve(PseudoMasks.INDEX)
                + " was made for the classes [a, b]"), classes.getMessage());
        DataSplits data = Datasets.open(demo("data.weak=2"));
        SemisegException other = assertThrows(SemisegException.class, () -> masks.requireImages(data.tagged(), "2"));
        assertTrue(other.getMessage().contains("holds the pseudo-masks of 1 images, but this run tags 2 (data.weak=2)"),
                other.getMessage());
        SemisegException absent = assertThrows(SemisegException.class, () -> PseudoMasks.read(dir.resolve("none"), List.of("a")));
        assertTrue(absent.getMessage().contains("write the pseudo-masks with semiseg weak"), absent.getMessage());
    }
}
