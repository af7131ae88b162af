package org.semiseg.data.sets;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
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
import org.semiseg.io.ImageReadException;

/**
 * Image files at a lower level than {@link org.semiseg.io.Images}: dimensions from the header without decoding
 * pixels, strict decoding that treats decoder warnings (a truncated JPEG decodes with a gray bottom and only a
 * warning) as errors, and raw mask samples or colours. Failures throw {@link ImageReadException} naming the file.
 */
final class ImageFiles {
    private ImageFiles() {
    }

    /**
     * What the header says.
     *
     * @param colourComponents colour channels without alpha (1 gray, 3 RGB), -1 when the reader does not tell
     * @param indexed          whether pixels are palette indices
     */
    record Header(int width, int height, int colourComponents, boolean indexed) {
        String size() {
            return width + "x" + height;
        }
    }

    /** Reads the header only: dimensions and pixel type. */
    static Header header(Path file) {
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

    /** Decodes every pixel; decoder warnings (truncated or damaged data) are errors. */
    static BufferedImage decode(Path file) {
        checkFile(file);
        List<String> warnings = new ArrayList<>();
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(file, in);
            try {
                reader.setInput(in, true, true);
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
            throw new ImageReadException(file, "image data is truncated or damaged (decoder: " + oneLine(warnings.get(0)) + ")");
        }
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            throw new ImageReadException(file, "image has no pixels");
        }
        return image;
    }

    /**
     * Raw sample values of a gray (8/16-bit) or palette image, row-major: for palette images the index, never its
     * colour. Colour images are refused.
     */
    static int[] rawValues(Path file, BufferedImage image) {
        ColorModel model = image.getColorModel();
        boolean indexed = model instanceof IndexColorModel;
        int colours = model.getNumColorComponents();
        if (!indexed && colours != 1) {
            throw new ImageReadException(file, "a label mask must be a gray or palette image holding class values, found "
                    + colours + " colour channels");
        }
        Raster raster = image.getRaster();
        int h = image.getHeight();
        int w = image.getWidth();
        return raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, 0, new int[h * w]);
    }

    /**
     * The colour of each pixel as {@code 0xRRGGBB}, row-major, alpha dropped: palette images give their palette
     * colour, gray images gray, 16-bit samples their high byte. Read from the raster where possible, so that no
     * colour-space conversion changes a value.
     */
    static int[] colours(BufferedImage image) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int h = image.getHeight();
        int w = image.getWidth();
        int n = h * w;
        int x0 = raster.getMinX();
        int y0 = raster.getMinY();
        int[] out = new int[n];
        if (model instanceof IndexColorModel palette) {
            int[] indices = raster.getSamples(x0, y0, w, h, 0, new int[n]);
            for (int i = 0; i < n; i++) {
                out[i] = palette.getRGB(indices[i]) & 0xFFFFFF;
            }
            return out;
        }
        ColorSpace space = model.getColorSpace();
        int colours = model.getNumColorComponents();
        boolean plain = model instanceof ComponentColorModel
                && (colours == 1 && space.getType() == ColorSpace.TYPE_GRAY || colours == 3 && space.isCS_sRGB());
        if (!plain) {
            image.getRGB(0, 0, w, h, out, 0, w);
            for (int i = 0; i < n; i++) {
                out[i] &= 0xFFFFFF;
            }
            return out;
        }
        for (int c = 0; c < 3; c++) {
            int band = colours == 1 ? 0 : c;
            int shift = Math.max(0, model.getComponentSize(band) - 8);
            int[] samples = raster.getSamples(x0, y0, w, h, band, new int[n]);
            for (int i = 0; i < n; i++) {
                out[i] |= ((samples[i] >> shift) & 0xFF) << (8 * (2 - c));
            }
        }
        return out;
    }

    /** The problem phrase of an {@link ImageReadException}, without its "cannot decode FILE: " prefix. */
    static String what(ImageReadException e) {
        String message = e.getMessage();
        String prefix = "cannot decode " + e.path() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
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

    private static void checkFile(Path file) {
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
    }

    static String oneLine(Exception e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ').trim();
    }
}
