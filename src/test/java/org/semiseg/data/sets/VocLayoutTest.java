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
import org.semiseg.data.Palette;

class VocLayoutTest {
    @TempDir
    Path root;

    /** Stems a..f have images; a, b train; c, d val; SegmentationClassAug has a, b, c, d, e, f. */
    private VocLayout tree() {
        for (String stem : List.of("a", "b", "c", "d", "e", "f")) {
            Fixtures.image(root.resolve("JPEGImages/" + stem + ".jpg"), 3, 2);
            Fixtures.gray(root.resolve("SegmentationClassAug/" + stem + ".png"), 3, 2, 0, 1, 15, 20, 255, 0);
        }
        for (String stem : List.of("a", "b", "c", "d")) {
            Fixtures.palette(root.resolve("SegmentationClass/" + stem + ".png"), 3, 2, 0, 1, 15, 20, 255, 0);
        }
        Fixtures.text(root.resolve("ImageSets/Segmentation/train.txt"), "a\nb\n");
        Fixtures.text(root.resolve("ImageSets/Segmentation/val.txt"), "c\nd\n");
        return new VocLayout(root);
    }

    @Test
    void trainAndValComeFromTheListFilesWithOfficialMasks() {
        VocLayout layout = tree();
        assertEquals(21, layout.classNames().size());
        assertEquals("tvmonitor", layout.classNames().get(20));
        assertEquals(Palette.forClasses(21).rgb(15), layout.palette().rgb(15));
        assertEquals(List.of(new FilePair("JPEGImages/a.jpg", "SegmentationClass/a.png"),
                new FilePair("JPEGImages/b.jpg", "SegmentationClass/b.png")), layout.list("train").pairs());
        assertEquals(List.of("JPEGImages/c.jpg", "JPEGImages/d.jpg"),
                layout.list("val").pairs().stream().map(FilePair::image).toList());
        assertEquals("train_aug", layout.trainSplit());
        assertEquals("val", layout.valSplit());
        assertEquals("SegmentationClass/a.png", layout.maskFor("JPEGImages/a.jpg"));
        assertEquals("SegmentationClassAug/e.png", layout.maskFor("JPEGImages/e.jpg"));
    }

    @Test
    void trainAugIsEveryAugmentedMaskMinusVal() {
        Listing aug = tree().list("train_aug");
        assertEquals(List.of(new FilePair("JPEGImages/a.jpg", "SegmentationClassAug/a.png"),
                new FilePair("JPEGImages/b.jpg", "SegmentationClassAug/b.png"),
                new FilePair("JPEGImages/e.jpg", "SegmentationClassAug/e.png"),
                new FilePair("JPEGImages/f.jpg", "SegmentationClassAug/f.png")), aug.pairs());
        assertTrue(aug.problems().isEmpty(), aug.problems().toString());
    }

    @Test
    void trainAugListFileWinsAndAValStemInItIsReported() {
        VocLayout layout = tree();
        Fixtures.text(root.resolve("ImageSets/SegmentationAug/train_aug.txt"),
                "/JPEGImages/a.jpg /SegmentationClassAug/a.png\ne\nc\n");
        Listing aug = layout.list("train_aug");
        assertEquals(List.of("JPEGImages/a.jpg", "JPEGImages/c.jpg", "JPEGImages/e.jpg"),
                aug.pairs().stream().map(FilePair::image).toList());
        assertEquals(List.of(new Problem("JPEGImages/c.jpg", "listed in ImageSets/SegmentationAug/train_aug.txt and in "
                + "ImageSets/Segmentation/val.txt (a validation image must not be trained on)")), aug.problems());
    }

    @Test
    void missingImageOrMaskOfAListedStemIsReported() {
        VocLayout layout = tree();
        Fixtures.text(root.resolve("ImageSets/Segmentation/train.txt"), "a\ne\nzz\n");
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("JPEGImages/a.jpg", "SegmentationClass/a.png")), train.pairs());
        assertEquals(List.of(new Problem("JPEGImages/e.jpg", "no mask for this image (expected SegmentationClass/e.png)"),
                new Problem("JPEGImages/zz.jpg", "listed in ImageSets/Segmentation/train.txt but missing")), train.problems());
    }

    @Test
    void paletteAndGrayMasksDecodeBorderAsIgnoreAndRefuseOtherIndices() {
        VocLayout layout = tree();
        int[] expected = {0, 1, 15, 20, 250, 0};
        assertArrayEquals(expected, layout.decodeMask(root.resolve("SegmentationClass/a.png"), 250));
        assertArrayEquals(expected, layout.decodeMask(root.resolve("SegmentationClassAug/e.png"), 250));
        Path bad = Fixtures.palette(root.resolve("SegmentationClass/bad.png"), 2, 2, 0, 0, 0, 21);
        SemisegException e = assertThrows(SemisegException.class, () -> layout.decodeMask(bad, 255));
        assertEquals(bad + ": mask value 21 at pixel (1, 1) is not a class of voc (classes are 0..20, ignored values 255)",
                e.getMessage());
    }

    @Test
    void missingListFileOrFolderIsNamed() {
        tree();
        SemisegException e = assertThrows(SemisegException.class,
                () -> new VocLayout(root.resolve("JPEGImages").getParent().resolve("nothing")).list("train"));
        assertTrue(e.getMessage().contains("JPEGImages is missing"), e.getMessage());
        Path devkit = root.resolve("devkit");
        Fixtures.image(devkit.resolve("VOC2012/JPEGImages/a.jpg"), 2, 2);
        SemisegException nested = assertThrows(SemisegException.class, () -> new VocLayout(devkit).list("val"));
        assertTrue(nested.getMessage().contains("the root should be the VOC2012 folder"), nested.getMessage());
        SemisegException list = assertThrows(SemisegException.class, () -> new VocLayout(devkit.resolve("VOC2012")).list("train_aug"));
        assertTrue(list.getMessage().contains("SegmentationClassAug is missing"), list.getMessage());
    }
}
