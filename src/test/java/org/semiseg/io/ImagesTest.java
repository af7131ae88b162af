package org.semiseg.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;

class ImagesTest {
    @TempDir
    Path dir;

    @Test
    void labelPngRoundTripsValuesAndLeavesNoTemporaryFiles() throws IOException {
        int[] labels = {0, 1, 2, 255, 7, 0};
        Path file = dir.resolve("sub/labels.png");
        Images.writeLabelPng(file, labels, 2, 3);
        Images.writeLabelPng(file, labels, 2, 3); // overwrite works too
        int[] hw = new int[2];
        assertArrayEquals(labels, Images.readMask(file, hw));
        assertArrayEquals(new int[] {2, 3}, hw);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void labelValuesAbove255AreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Images.writeLabelPng(dir.resolve("x.png"), new int[] {0, 300}, 1, 2));
        assertTrue(e.getMessage().contains("300") && e.getMessage().contains("x.png"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Images.writeLabelPng(dir.resolve("y.png"), new int[3], 1, 2));
    }

    @Test
    void paletteMaskReadsIndicesNotColours() throws IOException {
        byte[] r = {0, (byte) 200, 10, 50};
        byte[] g = {0, 10, (byte) 200, 50};
        byte[] b = {0, 10, 10, (byte) 250};
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(8, 4, r, g, b));
        image.getRaster().setSamples(0, 0, 2, 2, 0, new int[] {0, 1, 2, 3});
        Path file = dir.resolve("palette.png");
        ImageIO.write(image, "png", file.toFile());
        assertArrayEquals(new int[] {0, 1, 2, 3}, Images.readMask(file, null));
        Sample sample = Images.readImage(file);
        assertEquals(200 / 255f, sample.image()[1], 1e-6); // red of pixel 1 is the palette colour
        assertEquals(250 / 255f, sample.image()[2 * 4 + 3], 1e-6);
    }

    @Test
    void sixteenBitGrayKeepsRawMaskValuesAndScalesImage() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 32768, 65535});
        Path file = dir.resolve("gray16.png");
        ImageIO.write(image, "png", file.toFile());
        assertArrayEquals(new int[] {0, 32768, 65535}, Images.readMask(file, null));
        Sample sample = Images.readImage(file);
        assertEquals("gray16", sample.id());
        assertNull(sample.mask());
        for (int c = 0; c < 3; c++) {
            assertEquals(0f, sample.image()[c * 3], 1e-6);
            assertEquals(32768 / 65535f, sample.image()[c * 3 + 1], 1e-6);
            assertEquals(1f, sample.image()[c * 3 + 2], 1e-6);
        }
    }

    @Test
    void eightBitGrayImageIsNotGammaShifted() throws IOException {
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {64, 128});
        Path file = dir.resolve("gray8.png");
        ImageIO.write(image, "png", file.toFile());
        Sample sample = Images.readImage(file);
        assertEquals(64 / 255f, sample.image()[0], 1e-6);
        assertEquals(128 / 255f, sample.image()[2 + 1], 1e-6);
    }

    @Test
    void jpegReadsAsRgb() throws IOException {
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, 0xC86432); // (200, 100, 50)
            }
        }
        Path file = dir.resolve("photo.jpg");
        ImageIO.write(image, "jpg", file.toFile());
        Sample sample = Images.readImage(file);
        assertEquals("photo", sample.id());
        assertEquals(8, sample.height());
        assertEquals(16, sample.width());
        int plane = 8 * 16;
        assertEquals(200 / 255f, sample.image()[40], 0.03);
        assertEquals(100 / 255f, sample.image()[plane + 40], 0.03);
        assertEquals(50 / 255f, sample.image()[2 * plane + 40], 0.03);
    }

    @Test
    void rgbImageIsNotAcceptedAsMask() throws IOException {
        Path file = dir.resolve("colour.png");
        ImageIO.write(new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
        ImageReadException e = assertThrows(ImageReadException.class, () -> Images.readMask(file, null));
        assertTrue(e.getMessage().startsWith("cannot decode " + file + ": a label mask must be a gray or palette image"),
                e.getMessage());
    }

    @Test
    void unreadableFilesGiveOneLineMessagesNamingTheFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.png"));
        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image");
        Path missing = dir.resolve("missing.png");
        Path truncated = dir.resolve("truncated.png");
        Images.writeLabelPng(dir.resolve("whole.png"), new int[64 * 64], 64, 64);
        byte[] whole = Files.readAllBytes(dir.resolve("whole.png"));
        byte[] half = new byte[whole.length / 2];
        System.arraycopy(whole, 0, half, 0, half.length);
        Files.write(truncated, half);

        assertEquals("cannot decode " + empty + ": file is empty",
                assertThrows(ImageReadException.class, () -> Images.readImage(empty)).getMessage());
        assertEquals("cannot decode " + text + ": not a PNG or JPEG image (no ImageIO reader recognises it)",
                assertThrows(ImageReadException.class, () -> Images.readMask(text, null)).getMessage());
        assertEquals("cannot decode " + missing + ": no such file",
                assertThrows(ImageReadException.class, () -> Images.readImage(missing)).getMessage());
        ImageReadException e = assertThrows(ImageReadException.class, () -> Images.readImage(truncated));
        assertTrue(e.getMessage().startsWith("cannot decode " + truncated + ": "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        assertEquals(truncated, e.path());
    }

    @Test
    void colourMaskUsesPaletteColoursAndIgnoreIsBlack() throws IOException {
        Palette palette = Palette.forClasses(6);
        int[] labels = {0, 1, 2, 3, 4, 5, 255, 1};
        Path file = dir.resolve("colour-mask.png");
        Images.writeColorMaskPng(file, labels, 2, 4, palette);
        BufferedImage read = ImageIO.read(file.toFile());
        for (int i = 0; i < labels.length; i++) {
            assertEquals(palette.rgb(labels[i]), read.getRGB(i % 4, i / 4) & 0xFFFFFF, "pixel " + i);
        }
        assertEquals(0, read.getRGB(2, 1) & 0xFFFFFF);
    }

    @Test
    void overlayBlendsClassColourOverImage() throws IOException {
        float[] chw = new float[3 * 2];
        java.util.Arrays.fill(chw, 1f); // white 1x2 image
        Sample white = new Sample("w", chw, null, 1, 2);
        Palette palette = Palette.of(new int[][] {{0, 0, 0}, {255, 0, 0}});
        Path file = dir.resolve("overlay.png");
        Images.writeOverlayPng(file, white, new int[] {1, 255}, palette, 0.5);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(0xFF8080, read.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, read.getRGB(1, 0) & 0xFFFFFF); // ignore: image unchanged
    }

    @Test
    void chwAndBufferedImageRoundTrip() {
        float[] chw = {0f, 1f, 0.5f, 0.2f, 1f, 0f, 0.4f, 0.6f, 0.8f, 0f, 1f, 0.1f};
        BufferedImage image = Images.toBufferedImage(chw, 2, 2);
        float[] back = Images.toChw(image);
        for (int i = 0; i < chw.length; i++) {
            assertEquals(chw[i], back[i], 0.5 / 255 + 1e-6);
        }
    }
}
