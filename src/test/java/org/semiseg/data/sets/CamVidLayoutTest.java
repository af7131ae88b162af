package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

class CamVidLayoutTest {
    @TempDir
    Path root;

    private void tree() {
        for (String split : List.of("train", "val", "test")) {
            for (String name : List.of("0001TP_a", "0016E5_b")) {
                Fixtures.image(root.resolve(split + "/" + split + name + ".png"), 4, 3);
                Fixtures.gray(root.resolve(split + "annot/" + split + name + ".png"), 4, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            }
        }
    }

    @Test
    void listsSplitsAndDecodesVoidAsIgnore() {
        tree();
        CamVidLayout layout = new CamVidLayout(root);
        assertEquals(11, layout.classNames().size());
        assertEquals(11, layout.palette().size());
        assertEquals(0x804080, layout.palette().rgb(3)); // Road 128,64,128
        assertEquals(List.of("train", "val", "test"), layout.splitNames());
        Listing train = layout.list("train");
        assertEquals(List.of(new FilePair("train/train0001TP_a.png", "trainannot/train0001TP_a.png"),
                new FilePair("train/train0016E5_b.png", "trainannot/train0016E5_b.png")), train.pairs());
        assertTrue(train.problems().isEmpty());
        assertEquals("valannot/x.png", layout.maskFor("val/x.png"));
        int[] labels = layout.decodeMask(root.resolve("trainannot/train0001TP_a.png"), 255);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255}, labels);
    }

    @Test
    void unpairedFilesAreReportedBothWays() {
        tree();
        Fixtures.image(root.resolve("train/lonely.png"), 4, 3);
        Fixtures.gray(root.resolve("trainannot/orphan.png"), 4, 3, 0);
        Listing train = new CamVidLayout(root).list("train");
        assertEquals(2, train.pairs().size());
        assertEquals(List.of(new Problem("train/lonely.png", "no mask for this image (expected trainannot/lonely.png)"),
                new Problem("trainannot/orphan.png", "mask without an image (expected train/orphan.png)")), train.problems());
    }

    @Test
    void linkedFoldersAndFilesAreFollowedAndADanglingLinkIsChecked() throws Exception {
        Path elsewhere = root.resolve("elsewhere");
        Fixtures.image(elsewhere.resolve("images/a.png"), 4, 3);
        Fixtures.image(elsewhere.resolve("images/b.png"), 4, 3);
        Fixtures.gray(elsewhere.resolve("masks/a.png"), 4, 3, 0);
        Path data = root.resolve("data");
        Files.createDirectories(data.resolve("valannot"));
        Files.createSymbolicLink(data.resolve("val"), elsewhere.resolve("images"));
        Files.createSymbolicLink(data.resolve("valannot/a.png"), elsewhere.resolve("masks/a.png"));
        Files.createSymbolicLink(data.resolve("valannot/b.png"), elsewhere.resolve("masks/b.png")); // dangling
        CamVidLayout layout = new CamVidLayout(data);
        Listing val = layout.list("val");
        assertEquals(List.of(new FilePair("val/a.png", "valannot/a.png"), new FilePair("val/b.png", "valannot/b.png")), val.pairs());
        CheckReport report = DataCheck.check(layout, java.util.Map.of("val", val.pairs()), val.problems(), false, 255, 1);
        assertEquals(List.of(new Problem("valannot/b.png", "no such file")), report.problems());
    }

    @Test
    void valueOutsideTheClassesNamesFilePixelAndClassSet() {
        Path mask = Fixtures.gray(root.resolve("trainannot/m.png"), 3, 2, 0, 1, 2, 3, 12, 40);
        CamVidLayout layout = new CamVidLayout(root);
        SemisegException e = assertThrows(SemisegException.class, () -> layout.decodeMask(mask, 255));
        assertEquals(mask + ": mask value 12 at pixel (1, 1) is not a class of camvid (classes are 0..10, ignored values 11);"
                + " 2 such pixels, values 12, 40", e.getMessage());
        MaskReading reading = layout.readMask(mask, 255);
        assertFalse(reading.ok());
        assertEquals(List.of("12", "40"), reading.badValues());
        assertArrayEquals(new int[] {0, 1, 2, 3, 255, 255}, reading.labels());
    }

    @Test
    void missingFolderNamesItAndTheLayout() throws Exception {
        Files.createDirectories(root.resolve("train"));
        SemisegException e = assertThrows(SemisegException.class, () -> new CamVidLayout(root).list("train"));
        assertTrue(e.getMessage().contains(root.resolve("trainannot") + " is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("train/ trainannot/ val/ valannot/ test/ testannot/"), e.getMessage());
        SemisegException split = assertThrows(SemisegException.class, () -> new CamVidLayout(root).list("tran"));
        assertEquals("camvid has no split 'tran' (splits: train, val, test)", split.getMessage());
        assertThrows(SemisegException.class, () -> new CamVidLayout(root).maskFor("images/x.png"));
    }
}
