package org.semiseg.data;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.config.LabeledShare;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.DatasetLayouts;
import org.semiseg.data.sets.FilePair;
import org.semiseg.io.Images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitFilesTest {
    @TempDir
    Path root;
    DatasetLayout layout;
    List<FilePair> train;

    /** A CamVid-layout tree of 40 training images of 4x4 pixels. */
    @BeforeEach
    void tree() throws IOException {
        for (String dir : List.of("train", "trainannot", "val", "valannot", "test", "testannot")) {
            Files.createDirectories(root.resolve(dir));
        }
        for (int i = 0; i < 40; i++) {
            String name = String.format("img%03d.png", i);
            Images.writeImagePng(root.resolve("train").resolve(name), new float[48], 4, 4);
            Images.writeLabelPng(root.resolve("trainannot").resolve(name), new int[16], 4, 4);
        }
        Images.writeImagePng(root.resolve("val/v.png"), new float[48], 4, 4);
        Images.writeLabelPng(root.resolve("valannot/v.png"), new int[16], 4, 4);
        layout = DatasetLayouts.open("camvid", root, null);
        train = layout.list("train").pairs();
    }

    @Test
    void sameSeedSameFilesDifferentSeedDifferentFiles() {
        SplitFiles.Split a = SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "1/8"), 1);
        SplitFiles.Split b = SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "1/8"), 1);
        SplitFiles.Split c = SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "1/8"), 2);
        assertEquals(a, b);
        assertNotEquals(a.labeled(), c.labeled());
    }

    @Test
    void drawDoesNotDependOnListingOrder() {
        List<FilePair> reversed = new java.util.ArrayList<>(train);
        java.util.Collections.reverse(reversed);
        assertEquals(SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "10"), 5),
                SplitFiles.draw(reversed, List.of(), LabeledShare.parse("k", "10"), 5));
    }

    @Test
    void ratioAndCountArithmetic() {
        // 40/8 = 5; 367/8 = 45.875 rounds to 46 (CamVid's 1/8 split); a count is taken as it is
        assertEquals(5, SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "1/8"), 1).labeled().size());
        assertEquals(46, LabeledShare.parse("k", "1/8").of(367));
        assertEquals(1323, LabeledShare.parse("k", "1/8").of(10582));
        assertEquals(183, LabeledShare.parse("k", "1/8").of(1464));
        SplitFiles.Split s = SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "13"), 1);
        assertEquals(13, s.labeled().size());
        assertEquals(27, s.unlabeled().size());
        Set<String> all = new HashSet<>();
        s.labeled().forEach(p -> all.add(p.image()));
        s.unlabeled().forEach(p -> assertTrue(all.add(p.image()), "an image is both labeled and unlabeled"));
        assertEquals(40, all.size());
    }

    @Test
    void extraUnlabeledImagesJoinTheUnlabeledSide() {
        // Pascal VOC's classic protocol: labeled from a small pool, unlabeled from the larger set minus the labeled
        List<FilePair> pool = train.subList(0, 8);
        SplitFiles.Split s = SplitFiles.draw(pool, train, LabeledShare.parse("k", "2"), 3);
        assertEquals(2, s.labeled().size());
        assertEquals(38, s.unlabeled().size());
        s.labeled().forEach(p -> assertTrue(pool.contains(p)));
    }

    @Test
    void writtenFilesReadBackTheSameSplit() throws IOException {
        SplitFiles.Split s = SplitFiles.draw(train, List.of(), LabeledShare.parse("k", "1/4"), 9);
        Path dir = root.resolve("splits");
        SplitFiles.write(dir, s);
        List<String> lines = Files.readAllLines(dir.resolve("labeled.txt"));
        assertEquals(10, lines.size());
        assertTrue(lines.get(0).matches("train/img\\d{3}\\.png trainannot/img\\d{3}\\.png"), lines.get(0));
        assertEquals(s, SplitFiles.read(dir, layout, train));
    }

    @Test
    void publishedListsWithForeignPrefixesAndImageOnlyLines() throws IOException {
        Path dir = Files.createDirectories(root.resolve("published"));
        Files.writeString(dir.resolve("labeled.txt"), "# SegNet style\n/SegNet/CamVid/train/img001.png /SegNet/CamVid/trainannot/img001.png\n\ntrain/img002.png\n");
        SplitFiles.Split s = SplitFiles.read(dir, layout, train);
        assertEquals(List.of(new FilePair("train/img001.png", "trainannot/img001.png"),
                new FilePair("train/img002.png", "trainannot/img002.png")), s.labeled());
        assertEquals(38, s.unlabeled().size(), "without unlabeled.txt the rest of the training split is unlabeled");
    }

    @Test
    void splitFileNamingMissingFilesIsRefusedWithFileAndLine() throws IOException {
        Path dir = Files.createDirectories(root.resolve("bad"));
        Files.writeString(dir.resolve("labeled.txt"), "train/img001.png trainannot/img001.png\ntrain/nope.png trainannot/nope.png\n");
        SemisegException e = assertThrows(SemisegException.class, () -> SplitFiles.read(dir, layout, train));
        assertTrue(e.getMessage().contains("labeled.txt line 2") && e.getMessage().contains("train/nope.png")
                && e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void emptyDuplicateAndMissingSplitFilesAreRefused() throws IOException {
        Path empty = Files.createDirectories(root.resolve("empty"));
        Files.writeString(empty.resolve("labeled.txt"), "\n# nothing\n");
        assertTrue(assertThrows(SemisegException.class, () -> SplitFiles.read(empty, layout, train))
                .getMessage().contains("lists no images"));
        Path dup = Files.createDirectories(root.resolve("dup"));
        Files.writeString(dup.resolve("labeled.txt"), "train/img001.png\n");
        Files.writeString(dup.resolve("unlabeled.txt"), "train/img002.png\ntrain/img001.png\n");
        String m = assertThrows(SemisegException.class, () -> SplitFiles.read(dup, layout, train)).getMessage();
        assertTrue(m.contains("unlabeled.txt line 2") && m.contains("already listed") && m.contains("labeled.txt line 1"), m);
        assertTrue(assertThrows(SemisegException.class, () -> SplitFiles.read(root.resolve("none"), layout, train))
                .getMessage().contains("does not exist"));
        Path three = Files.createDirectories(root.resolve("three"));
        Files.writeString(three.resolve("labeled.txt"), "a b c\n");
        assertTrue(assertThrows(SemisegException.class, () -> SplitFiles.read(three, layout, train))
                .getMessage().contains("line 1"));
    }

    @Test
    void unlabeledLinesMayLackMasks() throws IOException {
        Path dir = Files.createDirectories(root.resolve("raw"));
        Files.writeString(dir.resolve("labeled.txt"), "train/img001.png\n");
        Files.delete(root.resolve("trainannot/img003.png"));
        Files.writeString(dir.resolve("unlabeled.txt"), "train/img003.png\n");
        SplitFiles.Split s = SplitFiles.read(dir, layout, train);
        assertNull(s.unlabeled().get(0).mask());
    }
}
