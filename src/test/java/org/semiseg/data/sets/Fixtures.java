package org.semiseg.data.sets;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.ImageIO;

/** Tiny image and mask files for the reader tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A random-coloured RGB image; the format follows the extension (png, jpg). */
    static Path image(Path file, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(file.getFileName().toString().hashCode());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return write(file, image);
    }

    /** An 8-bit gray mask with the given values (row-major); all pixels {@code fill} when values is a single value. */
    static Path gray(Path file, int w, int h, int... values) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSamples(0, 0, w, h, 0, expand(values, w * h));
        return write(file, image);
    }

    /** A 16-bit gray mask. */
    static Path gray16(Path file, int w, int h, int... values) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, w, h, 0, expand(values, w * h));
        return write(file, image);
    }

    /** A palette mask with 256 entries (entry i has colour (i, 255 - i, 7)) holding the given indices. */
    static Path palette(Path file, int w, int h, int... indices) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) i;
            g[i] = (byte) (255 - i);
            b[i] = 7;
        }
        return palette(file, w, h, new IndexColorModel(8, 256, r, g, b), indices);
    }

    /** A palette mask with the given palette. */
    static Path palette(Path file, int w, int h, IndexColorModel model, int... indices) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
        image.getRaster().setSamples(0, 0, w, h, 0, expand(indices, w * h));
        return write(file, image);
    }

    /** An RGB mask of 0xRRGGBB colours. */
    static Path rgb(Path file, int w, int h, int... colours) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] all = expand(colours, w * h);
        image.setRGB(0, 0, w, h, all, 0, w);
        return write(file, image);
    }

    /** Keeps the first {@code fraction} of the file's bytes. */
    static Path truncate(Path file, double fraction) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Overwrites the middle third of the file with random bytes. */
    static Path scramble(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Random random = new Random(3);
            for (int i = bytes.length / 3; i < 2 * bytes.length / 3; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path text(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] expand(int[] values, int n) {
        if (values.length == n) {
            return values.clone();
        }
        if (values.length != 1) {
            throw new IllegalArgumentException(values.length + " values for " + n + " pixels");
        }
        int[] all = new int[n];
        Arrays.fill(all, values[0]);
        return all;
    }

    private static Path write(Path file, BufferedImage image) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String name = file.getFileName().toString().toLowerCase();
            String format = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpg" : "png";
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IOException("no writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
