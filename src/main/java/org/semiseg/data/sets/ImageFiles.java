package org.semiseg.data.sets;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import org.semiseg.io.ImageReadException;

/**
 * What the dataset readers need on top of {@link org.semiseg.io.Images} (which decodes, reads headers and raw mask
 * values): the colours of colour-coded masks, and one-line problem phrases.
 */
final class ImageFiles {
    private ImageFiles() {
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

    static String oneLine(Exception e) {
        return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }

    static String oneLine(String text) {
        return text.replace('\n', ' ').replace('\r', ' ').trim();
    }
}
