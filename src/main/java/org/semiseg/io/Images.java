package org.semiseg.io;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;

/**
 * Reading images and label masks, and writing label, colour-mask and overlay PNGs, with {@code javax.imageio}.
 *
 * <p>Images become RGB floats in [0, 1], layout (3, H, W). Gray images (8 or 16 bit) are read from the raster
 * directly, not through {@code getRGB}, which would apply a linear-to-sRGB curve to gray PNGs; alpha is dropped.
 * Masks are the raster's raw sample values: for palette PNGs the palette index, never its colour.
 * Failures to read throw {@link ImageReadException} naming the file; writes go to a temporary file in the target
 * folder that is then moved over the target, so a reader never sees half a PNG.
 */
public final class Images {
    private Images() {
    }

    /** Reads a PNG/JPEG (any type ImageIO decodes) as an unlabeled sample whose id is the file stem. */
    public static Sample readImage(Path path) {
        BufferedImage image = decode(path);
        return new Sample(stem(path), toChw(image), null, image.getHeight(), image.getWidth());
    }

    /**
     * Reads a label PNG (8/16-bit gray or palette): one class index per pixel, row-major.
     *
     * @param outHW if not null, receives {height, width} in its first two slots
     */
    public static int[] readMask(Path path, int[] outHW) {
        BufferedImage image = decode(path);
        int[] labels = rawValues(path, image);
        if (outHW != null) {
            outHW[0] = image.getHeight();
            outHW[1] = image.getWidth();
        }
        return labels;
    }

    /**
     * Raw sample values of a decoded gray (8/16-bit) or palette image, row-major: for palette images the index, never
     * its colour. Colour images are refused.
     */
    public static int[] rawValues(Path path, BufferedImage image) {
        ColorModel model = image.getColorModel();
        int colours = model.getNumColorComponents();
        if (!(model instanceof IndexColorModel) && colours != 1) {
            throw new ImageReadException(path, "a label mask must be a gray or palette image holding class values, found "
                    + colours + " colour channels (a colour-coded mask needs a folder dataset with mask_format: rgb)");
        }
        Raster raster = image.getRaster();
        int h = image.getHeight();
        int w = image.getWidth();
        return raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, new int[h * w]);
    }

    /** Writes class indices as an 8-bit gray PNG; values outside 0..255 are refused. */
    public static void writeLabelPng(Path path, int[] labels, int h, int w) {
        checkSize(labels, h, w);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > 255) {
                throw new IllegalArgumentException("cannot write " + path + " as an 8-bit label PNG: label " + labels[i]
                        + " at pixel (" + i / w + ", " + i % w + ") is outside 0..255");
            }
        }
        image.getRaster().setSamples(0, 0, w, h, 0, labels);
        writePng(path, image);
    }

    /** Writes each pixel in its class's palette colour (ignore and other unknown indices black). */
    public static void writeColorMaskPng(Path path, int[] labels, int h, int w, Palette palette) {
        checkSize(labels, h, w);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < labels.length; i++) {
            image.setRGB(i % w, i / w, palette.rgb(labels[i]));
        }
        writePng(path, image);
    }

    /**
     * Writes the image with the class colours blended over it: {@code (1 - alpha) * image + alpha * colour}.
     * Pixels whose label is outside the palette (e.g. ignore) show the image alone.
     */
    public static void writeOverlayPng(Path path, Sample image, int[] labels, Palette palette, double alpha) {
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("overlay alpha must be in [0, 1], got " + alpha);
        }
        int h = image.height();
        int w = image.width();
        checkSize(labels, h, w);
        BufferedImage out = toBufferedImage(image.image(), h, w);
        for (int i = 0; i < labels.length; i++) {
            if (palette.contains(labels[i])) {
                out.setRGB(i % w, i / w, blend(out.getRGB(i % w, i / w), palette.rgb(labels[i]), alpha));
            }
        }
        writePng(path, out);
    }

    /** Writes an RGB image (layout (3, H, W), values in [0, 1], clamped) as a PNG. */
    public static void writeImagePng(Path path, float[] chw, int h, int w) {
        writePng(path, toBufferedImage(chw, h, w));
    }

    /** An RGB image (layout (3, H, W), values in [0, 1], clamped) as an 8-bit {@link BufferedImage}. */
    public static BufferedImage toBufferedImage(float[] chw, int h, int w) {
        if (chw.length != 3 * h * w) {
            throw new IllegalArgumentException("image has " + chw.length + " values, expected 3x" + h + "x" + w);
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int i = 0; i < plane; i++) {
            int r = toByte(chw[i]);
            int g = toByte(chw[plane + i]);
            int b = toByte(chw[2 * plane + i]);
            image.setRGB(i % w, i / w, (r << 16) | (g << 8) | b);
        }
        return image;
    }

    /** Any decoded image as RGB floats in [0, 1], layout (3, H, W); gray is copied to all three channels. */
    public static float[] toChw(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        int plane = h * w;
        float[] chw = new float[3 * plane];
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model instanceof ComponentColorModel && isGrayOrSrgb(model)) {
            int colours = model.getNumColorComponents();
            for (int c = 0; c < 3; c++) {
                int band = colours == 1 ? 0 : c;
                float max = (1L << model.getComponentSize(band)) - 1;
                int[] samples = raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, band, new int[plane]);
                for (int i = 0; i < plane; i++) {
                    chw[c * plane + i] = samples[i] / max;
                }
            }
            return chw;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                int i = y * w + x;
                chw[i] = ((rgb >> 16) & 0xFF) / 255f;
                chw[plane + i] = ((rgb >> 8) & 0xFF) / 255f;
                chw[2 * plane + i] = (rgb & 0xFF) / 255f;
            }
        }
        return chw;
    }

    private static boolean isGrayOrSrgb(ColorModel model) {
        ColorSpace space = model.getColorSpace();
        boolean integerSamples = model.getTransferType() != java.awt.image.DataBuffer.TYPE_FLOAT
                && model.getTransferType() != java.awt.image.DataBuffer.TYPE_DOUBLE;
        return integerSamples && (space.getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1
                || space.isCS_sRGB() && model.getNumColorComponents() == 3);
    }

    /**
     * What an image header says, read without decoding pixels.
     *
     * @param colourComponents colour channels without alpha (1 gray, 3 RGB), -1 when the reader does not tell
     * @param indexed          whether pixels are palette indices
     */
    public record Header(int width, int height, int colourComponents, boolean indexed) {
        public String size() {
            return width + "x" + height;
        }
    }

    /** Reads the header only: dimensions and pixel type. */
    public static Header header(Path file) {
        checkFile(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(file, in);
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw new ImageReadException(file, "image has no pixels");
                }
                ImageTypeSpecifier type = reader.getRawImageType(0);
                int colours = -1;
                boolean indexed = false;
                if (type != null) {
                    ColorModel model = type.getColorModel();
                    indexed = model instanceof IndexColorModel;
                    colours = model.getNumColorComponents();
                }
                return new Header(width, height, colours, indexed);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageReadException ire) {
                throw ire;
            }
            throw new ImageReadException(file, "image header is corrupt or unsupported (" + oneLine(e) + ")", e);
        }
    }

    /**
     * Decodes every pixel. Decoder warnings are errors: a truncated JPEG otherwise decodes "successfully" with a gray
     * bottom and only a warning.
     */
    public static BufferedImage decode(Path file) {
        long size = checkFile(file);
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(file, in);
            try {
                reader.setInput(in, true, true);
                checkPixelCount(file, reader, size);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageReadException ire) {
                throw ire;
            }
            throw new ImageReadException(file, "image data is corrupt, truncated or unsupported (" + oneLine(e) + ")", e);
        }
        if (!warnings.isEmpty()) {
            throw new ImageReadException(file, "image data is truncated or damaged (decoder: " + warnings.get(0).replace('\n', ' ').replace('\r', ' ').trim() + ")");
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new ImageReadException(file, "image has no pixels");
        }
        return image;
    }

    /** Bytes of memory a decoded pixel may take on its way to a sample: the image, raw values, float channels. */
    static final long BYTES_PER_PIXEL = 24;

    /**
     * The most pixels a valid image file of {@code fileSize} bytes can decode to. PNG (and GIF, TIFF, BMP) data
     * expands at most about 1032 times under deflate (2730 under LZW) into raw rows of {@code bitsPerPixel} per
     * pixel; a JPEG spends at least one bit on every 8x8 block. Anything a header claims beyond this is damage, and
     * refusing it keeps a corrupt header from allocating gigabytes.
     */
    public static long justifiedPixels(String format, int bitsPerPixel, long fileSize) {
        String f = format.toLowerCase(java.util.Locale.ROOT);
        if (f.equals("jpeg") || f.equals("jpg")) {
            return 600 * fileSize + (1 << 20);
        }
        long rawBytes = (f.equals("png") ? 1100 : 2800) * fileSize + (1 << 20);
        return rawBytes * 8 / Math.max(1, bitsPerPixel);
    }

    /**
     * Refuses, before ImageIO allocates the image, a header whose size no file of {@code fileSize} bytes can hold
     * ({@link #justifiedPixels}) or whose pixels would take more than a quarter of the Java heap.
     */
    private static void checkPixelCount(Path file, ImageReader reader, long fileSize) throws IOException {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new ImageReadException(file, "image has no pixels");
        }
        long pixels = (long) width * height;
        int bits = 1;
        try {
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type != null) {
                bits = java.util.Arrays.stream(type.getSampleModel().getSampleSize()).sum();
            }
        } catch (IOException | RuntimeException e) {
            bits = 1;  // unknown: the most pixels per byte
        }
        String format = reader.getFormatName();
        if (pixels > justifiedPixels(format, bits, fileSize)) {
            throw new ImageReadException(file, "the header claims " + width + "x" + height + " pixels, more than a "
                    + fileSize + "-byte " + format.toUpperCase(java.util.Locale.ROOT) + " file can hold (damaged header)");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (pixels * BYTES_PER_PIXEL > heap / 4) {
            throw new ImageReadException(file, "an image of " + width + "x" + height + " pixels needs about "
                    + (pixels * BYTES_PER_PIXEL >> 20) + " MiB to decode, more than a quarter of the Java heap ("
                    + (heap >> 20) + " MiB); give Java more memory (SEMISEG_JAVA_OPTS=-Xmx...) or use smaller images");
        }
    }

    private static ImageReader readerFor(Path file, ImageInputStream in) {
        if (in == null) {
            throw new ImageReadException(file, "cannot open file");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new ImageReadException(file, "not a PNG or JPEG image (no ImageIO reader recognises it)");
        }
        return readers.next();
    }

    /** The file's size; refuses a folder, a missing, empty or unreadable file. */
    private static long checkFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new ImageReadException(file, "is a directory, not an image file");
        }
        long length;
        try {
            length = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new ImageReadException(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new ImageReadException(file, "permission denied", e);
        } catch (IOException e) {
            throw new ImageReadException(file, "cannot read file (" + oneLine(e) + ")", e);
        }
        if (length == 0) {
            throw new ImageReadException(file, "file is empty");
        }
        if (!Files.isReadable(file)) {
            throw new ImageReadException(file, "permission denied");
        }
        return length;
    }

    private static void writePng(Path path, BufferedImage image) {
        Path target = path.toAbsolutePath();
        Path dir = target.getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("no PNG writer available");
            }
            AtomicFiles.replace(temp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + oneLine(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and harmless
                }
            }
        }
    }

    private static void checkSize(int[] labels, int h, int w) {
        if (h <= 0 || w <= 0 || labels.length != h * w) {
            throw new IllegalArgumentException("labels have " + labels.length + " values, expected " + h + "x" + w);
        }
    }

    private static int blend(int base, int colour, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            double mixed = (1 - alpha) * ((base >> shift) & 0xFF) + alpha * ((colour >> shift) & 0xFF);
            out |= (int) Math.round(mixed) << shift;
        }
        return out;
    }

    private static int toByte(float value) {
        return Math.round(Math.max(0f, Math.min(1f, value)) * 255f);
    }

    private static String stem(Path path) {
        String name = path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String oneLine(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ').replace('\r', ' ');
    }
}
