package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

class CityscapesLayoutTest {
    @TempDir
    Path root;

    @Test
    void listsCitiesAndSkipsOtherAnnotationFiles() {
        for (String name : List.of("aachen/aachen_000000_000019", "bremen/bremen_000001_000019")) {
            Fixtures.image(root.resolve("leftImg8bit/train/" + name + "_leftImg8bit.png"), 4, 2);
            Fixtures.gray(root.resolve("gtFine/train/" + name + "_gtFine_labelIds.png"), 4, 2, 7);
            Fixtures.rgb(root.resolve("gtFine/train/" + name + "_gtFine_color.png"), 4, 2, 0x804080);
            Fixtures.gray(root.resolve("gtFine/train/" + name + "_gtFine_instanceIds.png"), 4, 2, 26);
        }
        Fixtures.image(root.resolve("leftImg8bit/train/zurich/zurich_000000_000019_leftImg8bit.png"), 4, 2);
        CityscapesLayout layout = new CityscapesLayout(root);
        Listing train = layout.list("train");
        assertEquals(List.of(
                new FilePair("leftImg8bit/train/aachen/aachen_000000_000019_leftImg8bit.png", "gtFine/train/aachen/aachen_000000_000019_gtFine_labelIds.png"),
                new FilePair("leftImg8bit/train/bremen/bremen_000001_000019_leftImg8bit.png", "gtFine/train/bremen/bremen_000001_000019_gtFine_labelIds.png")),
                train.pairs());
        assertEquals(List.of(new Problem("leftImg8bit/train/zurich/zurich_000000_000019_leftImg8bit.png",
                "no mask for this image (expected gtFine/train/zurich/zurich_000000_000019_gtFine_labelIds.png)")), train.problems());
        assertEquals(List.of("train", "val"), layout.splitNames());
        SemisegException e = assertThrows(SemisegException.class, () -> layout.list("val"));
        assertTrue(e.getMessage().contains(root.resolve("leftImg8bit/val") + " is missing"), e.getMessage());
    }

    @Test
    void labelIdsMapToTheTrainingClasses() {
        CityscapesLayout layout = new CityscapesLayout(root);
        assertEquals(19, layout.classNames().size());
        assertEquals("car", layout.classNames().get(13));
        assertEquals(0x00008E, layout.palette().rgb(13));
        Path mask = Fixtures.gray(root.resolve("m.png"), 8, 1, 7, 26, 0, 33, 8, 6, 30, 24);
        assertArrayEquals(new int[] {0, 13, 255, 18, 1, 255, 255, 11}, layout.decodeMask(mask, 255));
        Path bad = Fixtures.gray(root.resolve("bad.png"), 2, 1, 7, 34);
        SemisegException e = assertThrows(SemisegException.class, () -> layout.decodeMask(bad, 255));
        assertEquals(bad + ": mask value 34 at pixel (0, 1) is not a class of cityscapes (classes are label ids 7, 8, 11..13, 17,"
                + " 19..28, 31..33, ignored values 0..6, 9, 10, 14..16, 18, 29, 30)", e.getMessage());
    }

    @Test
    void gta5UsesTheSameMappingOnPaletteLabels() {
        Fixtures.image(root.resolve("images/00001.png"), 3, 1);
        Fixtures.palette(root.resolve("labels/00001.png"), 3, 1, 7, 26, 0);
        Fixtures.palette(root.resolve("labels/00002.png"), 3, 1, 7, 26, 0);
        Gta5Layout layout = new Gta5Layout(root);
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("images/00001.png", "labels/00001.png")), train.pairs());
        assertEquals(List.of(new Problem("labels/00002.png", "mask without an image (expected images/00002.png)")), train.problems());
        assertArrayEquals(new int[] {0, 13, 255}, layout.decodeMask(root.resolve("labels/00001.png"), 255));
        assertEquals("labels/00003.png", layout.maskFor("images/00003.png"));
        assertEquals(List.of("train"), layout.splitNames());
        assertEquals(new CityscapesLayout(root).classNames(), layout.classNames());
    }
}
