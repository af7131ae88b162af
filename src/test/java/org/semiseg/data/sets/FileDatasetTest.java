package org.semiseg.data.sets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;
import org.semiseg.data.Sample;
import org.semiseg.io.ImageReadException;

class FileDatasetTest {
    @TempDir
    Path root;

    @Test
    void decodesImagesAndMasksWithTheImagePathAsId() {
        Fixtures.image(root.resolve("train/a.png"), 3, 2);
        Fixtures.gray(root.resolve("trainannot/a.png"), 3, 2, 0, 11, 10, 3, 3, 3);
        Fixtures.image(root.resolve("train/b.png"), 3, 2);
        CamVidLayout layout = new CamVidLayout(root);
        FileDataset dataset = new FileDataset(layout,
                List.of(new FilePair("train/a.png", "trainannot/a.png"), new FilePair("train/b.png", null)), 255);
        assertEquals(2, dataset.size());
        assertEquals(layout.classNames(), dataset.classNames());
        assertEquals(255, dataset.ignoreIndex());
        Sample a = dataset.get(0);
        assertEquals("train/a.png", a.id());
        assertEquals(2, a.height());
        assertEquals(3, a.width());
        assertArrayEquals(new int[] {0, 255, 10, 3, 3, 3}, a.mask());
        Sample b = dataset.get(1);
        assertNull(b.mask());
        assertEquals(18, b.image().length);
        // many threads at once get the same result
        List<int[]> masks = IntStream.range(0, 16).parallel().mapToObj(i -> dataset.get(0).mask()).toList();
        masks.forEach(m -> assertArrayEquals(a.mask(), m));
    }

    @Test
    void sizeMismatchNamesBothFilesAndSizes() {
        Fixtures.image(root.resolve("train/a.png"), 3, 2);
        Fixtures.gray(root.resolve("trainannot/a.png"), 2, 3, 0);
        FileDataset dataset = new FileDataset(new CamVidLayout(root), List.of(new FilePair("train/a.png", "trainannot/a.png")), 255);
        SemisegException e = assertThrows(SemisegException.class, () -> dataset.get(0));
        assertEquals("mask " + root.resolve("trainannot/a.png") + " is 2x3 but its image " + root.resolve("train/a.png")
                + " is 3x2 (width x height)", e.getMessage());
    }

    @Test
    void badMaskValueAndUnreadableFilesAreOneLineErrors() throws Exception {
        Fixtures.image(root.resolve("train/a.png"), 2, 1);
        Fixtures.gray(root.resolve("trainannot/a.png"), 2, 1, 0, 99);
        FileDataset dataset = new FileDataset(new CamVidLayout(root), List.of(new FilePair("train/a.png", "trainannot/a.png"),
                new FilePair("train/missing.png", null)), 255);
        SemisegException e = assertThrows(SemisegException.class, () -> dataset.get(0));
        assertTrue(e.getMessage().startsWith(root.resolve("trainannot/a.png") + ": mask value 99 at pixel (0, 1)"), e.getMessage());
        ImageReadException missing = assertThrows(ImageReadException.class, () -> dataset.get(1));
        assertTrue(missing.getMessage().contains("missing.png") && missing.getMessage().contains("no such file"), missing.getMessage());
        assertTrue(Files.exists(root.resolve("train/a.png")));
    }

    @Test
    void ignoreIndexThatIsAClassIsRefused() {
        SemisegException e = assertThrows(SemisegException.class, () -> new FileDataset(new CamVidLayout(root), List.of(), 5));
        assertEquals("ignore index 5 is class 'Tree' of camvid; it must be outside the class indices 0..10 (e.g. 255)", e.getMessage());
    }
}
