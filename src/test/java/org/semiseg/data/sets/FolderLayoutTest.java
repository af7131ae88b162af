package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.IndexColorModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;

class FolderLayoutTest {
    private static final String BINARY = """
            classes: [background, lesion]
            values: {0: 0, 255: 1}
            splits:
              train: {images: images/train, masks: masks/train}
              val:   {images: images/val,   masks: masks/val}
            """;

    @TempDir
    Path root;

    private FolderLayout spec(String yaml) {
        Fixtures.text(root.resolve("dataset.yaml"), yaml);
        return new FolderLayout(root);
    }

    private SemisegException refused(String yaml) {
        Fixtures.text(root.resolve("dataset.yaml"), yaml);
        return assertThrows(SemisegException.class, () -> new FolderLayout(root));
    }

    @Test
    void binaryMaskWith255AsClassOne() {
        Fixtures.image(root.resolve("images/train/Case1.JPG"), 2, 2);
        Fixtures.gray(root.resolve("masks/train/Case1.png"), 2, 2, 0, 255, 255, 0);
        Fixtures.image(root.resolve("images/val/sub/c2.jpeg"), 2, 2);
        Fixtures.gray(root.resolve("masks/val/sub/c2.png"), 2, 2, 0);
        FolderLayout layout = spec(BINARY);
        assertEquals(root.getFileName().toString(), layout.name());
        assertEquals(List.of("background", "lesion"), layout.classNames());
        assertEquals(Palette.forClasses(2).rgb(1), layout.palette().rgb(1));
        assertEquals("train", layout.trainSplit());
        assertEquals("val", layout.valSplit());
        assertEquals(List.of(new FilePair("images/train/Case1.JPG", "masks/train/Case1.png")), layout.list("train").pairs());
        assertEquals(List.of(new FilePair("images/val/sub/c2.jpeg", "masks/val/sub/c2.png")), layout.list("val").pairs());
        assertEquals("masks/val/sub/c3.png", layout.maskFor("images/val/sub/c3.jpg"));
        FileDataset dataset = new FileDataset(layout, layout.list("train").pairs(), 255);
        Sample sample = dataset.get(0);
        assertEquals("images/train/Case1.JPG", sample.id());
        assertArrayEquals(new int[] {0, 1, 1, 0}, sample.mask());
        Path odd = Fixtures.gray(root.resolve("odd.png"), 2, 1, 0, 128);
        SemisegException e = assertThrows(SemisegException.class, () -> layout.decodeMask(odd, 255));
        assertEquals(odd + ": mask value 128 at pixel (0, 1) is not a class of " + layout.name()
                + " (classes are 0, 255, no ignored values)", e.getMessage());
    }

    @Test
    void defaultValuesAreTheClassIndicesAndSixteenBitMasksWork() {
        FolderLayout layout = spec("""
                name: depth
                classes: [a, b, c]
                values: {0: a, 1000: b, 40000: 2}
                ignore_values: [65535]
                splits: {all: {images: img, masks: lab}}
                """);
        Path mask = Fixtures.gray16(root.resolve("lab/x.png"), 4, 1, 0, 1000, 40000, 65535);
        assertArrayEquals(new int[] {0, 1, 2, 255}, layout.decodeMask(mask, 255));
        assertEquals("all", layout.trainSplit());
        assertEquals("all", layout.valSplit());
        Path bad = Fixtures.gray16(root.resolve("lab/y.png"), 2, 1, 1000, 1001);
        SemisegException e = assertThrows(SemisegException.class, () -> layout.decodeMask(bad, 255));
        assertEquals(bad + ": mask value 1001 at pixel (0, 1) is not a class of depth (classes are 0, 1000, 40000,"
                + " ignored values 65535)", e.getMessage());
        FolderLayout identity = spec("classes: [a, b, c]\nignore_values: [9]\nsplits: {train: {images: i, masks: m}}\n");
        Path m = Fixtures.gray(root.resolve("m.png"), 4, 1, 0, 1, 2, 9);
        assertArrayEquals(new int[] {0, 1, 2, 200}, identity.decodeMask(m, 200));
    }

    @Test
    void rgbMasksMapColoursAndNameAColourNotInTheYaml() {
        FolderLayout layout = spec("""
                classes: [background, road, car]
                mask_format: rgb
                colors: {background: [0, 0, 0], road: [128, 64, 128], car: [0, 0, 142]}
                ignore_colors: [[255, 255, 255]]
                splits: {train: {images: images, masks: masks}}
                """);
        assertTrue(layout.colourMasks());
        assertEquals(0x804080, layout.palette().rgb(1));
        Path mask = Fixtures.rgb(root.resolve("masks/a.png"), 3, 2, 0, 0x804080, 0x00008E, 0xFFFFFF, 0, 0);
        assertArrayEquals(new int[] {0, 1, 2, 255, 0, 0}, layout.decodeMask(mask, 255));
        Path bad = Fixtures.rgb(root.resolve("masks/b.png"), 3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0CC807, 0);
        SemisegException e = assertThrows(SemisegException.class, () -> layout.decodeMask(bad, 255));
        assertEquals(bad + ": colour (12, 200, 7) at pixel (3, 1) is not in dataset.yaml's colors or ignore_colors", e.getMessage());
        // a palette PNG is read by its colours in rgb mode
        byte[] r = {0, (byte) 128, 12};
        byte[] g = {0, 64, (byte) 200};
        byte[] b = {0, (byte) 128, 7};
        Path paletteMask = Fixtures.palette(root.resolve("masks/c.png"), 3, 1, new IndexColorModel(8, 3, r, g, b), 1, 0, 2);
        MaskReading reading = layout.readMask(paletteMask, 255);
        assertEquals(List.of("(12, 200, 7)"), reading.badValues());
        assertArrayEquals(new int[] {1, 0, 255}, reading.labels());
    }

    @Test
    void splitWithoutMasksListsImagesOnlyAndJpegMasksAreReported() {
        Fixtures.image(root.resolve("images/a.png"), 2, 2);
        Fixtures.image(root.resolve("images/b.png"), 2, 2);
        Fixtures.gray(root.resolve("masks/a.png"), 2, 2, 0);
        Fixtures.image(root.resolve("masks/b.jpg"), 2, 2);
        Fixtures.image(root.resolve("pool/u1.jpg"), 2, 2);
        FolderLayout layout = spec("""
                classes: [x, y]
                splits:
                  train: {images: images, masks: masks}
                  unlabeled: {images: pool/}
                """);
        assertEquals(List.of(new FilePair("pool/u1.jpg", null)), layout.list("unlabeled").pairs());
        assertNull(layout.list("unlabeled").pairs().get(0).mask());
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("images/a.png", "masks/a.png")), train.pairs());
        assertEquals(List.of(new Problem("images/b.png", "no mask for this image (expected masks/b.png)"),
                new Problem("masks/b.jpg", "a mask must be a PNG (JPEG compression changes the label values); ignored")),
                train.problems());
        assertThrows(SemisegException.class, () -> layout.maskFor("pool/u1.jpg"));
        SemisegException missing = assertThrows(SemisegException.class, () -> spec(BINARY).list("val"));
        assertTrue(missing.getMessage().contains(root.resolve("images/val") + " is missing"), missing.getMessage());
    }

    @Test
    void unknownKeysAreRefusedWithTheAllowedOnes() {
        String file = root.resolve("dataset.yaml").toString();
        assertEquals("dataset spec " + file + ": unknown key 'clases' (allowed: name, classes, mask_format, values, ignore_values,"
                + " colors, ignore_colors, images, masks, splits, train_split, val_split, tags)", refused("clases: [a]\n").getMessage());
        assertEquals("dataset spec " + file + ": unknown key 'splits.train.mask' (allowed under splits.train: images, masks, ids)",
                refused("classes: [a, b]\nsplits: {train: {images: i, mask: m}}\n").getMessage());
    }

    @Test
    void aRawValueThatIsBothAClassAndIgnoredIsRefused() {
        String file = root.resolve("dataset.yaml").toString();
        assertEquals("dataset spec " + file + ": raw value 255 is both a class value (class lesion, in values) and in ignore_values",
                refused(BINARY + "ignore_values: [255]\n").getMessage());
        assertEquals("dataset spec " + file + ": raw value 1 is both a class value (class b, by default values 0..1 are the classes)"
                + " and in ignore_values", refused("classes: [a, b]\nignore_values: [1]\nsplits: {t: {images: i}}\n").getMessage());
    }

    @Test
    void wrongTypesAndMissingKeysAreNamed() {
        String prefix = "dataset spec " + root.resolve("dataset.yaml") + ": ";
        assertEquals(prefix + "missing key 'classes' (the class names in index order, e.g. classes: [background, lesion])",
                refused("splits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'classes' must be a non-empty list of class names in index order, got the string 'a'",
                refused("classes: a\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "missing key 'splits' (the folders of each split, e.g. splits: {train: {images: images/train,"
                + " masks: masks/train}}, or the ids of each: splits: {train: {ids: train.txt}})",
                refused("classes: [a, b]\n").getMessage());
        assertEquals(prefix + "missing key 'splits.t.images' (the folder of this split's images, relative to the dataset root;"
                + " or ids: a file listing the split's image ids)",
                refused("classes: [a, b]\nsplits: {t: {masks: m}}\n").getMessage());
        assertEquals(prefix + "key 'mask_format' must be index or rgb, got 'colour'",
                refused("classes: [a]\nmask_format: colour\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "missing key 'colors' (mask_format: rgb needs the colour of each class, e.g. colors: {a: [0, 0, 0]})",
                refused("classes: [a]\nmask_format: rgb\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'colors' has no colour for b (every class needs one)",
                refused("classes: [a, b]\ncolors: {a: [1, 2, 3]}\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'colors.a[2]' must be an integer 0..255, got 300",
                refused("classes: [a]\ncolors: {a: [1, 2, 300]}\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'values' names class 'c', which is not in classes (a, b)".replace("'values'", "'values.3'"),
                refused("classes: [a, b]\nvalues: {3: c}\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'ignore_colors' applies to mask_format: rgb only (index masks use ignore_values)",
                refused("classes: [a]\nignore_colors: [[1, 1, 1]]\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'val_split' names split 'val', which is not under splits (t)",
                refused("classes: [a]\nval_split: val\nsplits: {t: {images: i}}\n").getMessage());
        assertEquals(prefix + "key 'splits.t.images' must be a folder relative to the dataset root, got the absolute path /data",
                refused("classes: [a]\nsplits: {t: {images: /data}}\n").getMessage());
        assertTrue(refused("classes: [a]\nclasses: [b]\nsplits: {t: {images: i}}\n").getMessage().contains("Duplicate field 'classes'"));
        assertTrue(refused("classes: [a\n").getMessage().startsWith("dataset spec " + root.resolve("dataset.yaml") + " is not valid YAML"));
        SemisegException none = assertThrows(SemisegException.class, () -> new FolderLayout(root, root.resolve("other.yaml")));
        assertTrue(none.getMessage().startsWith("dataset spec " + root.resolve("other.yaml") + " does not exist"), none.getMessage());
        assertFalse(refused("").getMessage().isEmpty());
    }
}
