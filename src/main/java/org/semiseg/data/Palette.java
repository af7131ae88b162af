package org.semiseg.data;

import java.util.Arrays;

/**
 * A colour for each class index, used to draw masks and overlays.
 *
 * <p>Colours are packed as {@code 0xRRGGBB}. Indices outside {@code [0, size())} (in particular the ignore index
 * 255, since {@link #forClasses} stops at 255 classes) are drawn black.
 */
public final class Palette {
    private static final int OUTSIDE = 0x000000;
    private final int[] rgb;

    private Palette(int[] rgb) {
        this.rgb = rgb;
    }

    /**
     * The Pascal VOC palette for {@code n} classes: the bits of the class index are interleaved into the high bits
     * of R, G and B, so colours are distinct, stable and the same as in VOC label PNGs (0 = black, 1 = dark red...).
     *
     * @param n number of classes, 1 to 255
     */
    public static Palette forClasses(int n) {
        if (n < 1 || n > 255) {
            throw new IllegalArgumentException("palette needs 1 to 255 classes, got " + n);
        }
        int[] colours = new int[n];
        for (int i = 0; i < n; i++) {
            int r = 0;
            int g = 0;
            int b = 0;
            int c = i;
            for (int bit = 7; bit >= 0 && c > 0; bit--, c >>= 3) {
                r |= (c & 1) << bit;
                g |= ((c >> 1) & 1) << bit;
                b |= ((c >> 2) & 1) << bit;
            }
            colours[i] = (r << 16) | (g << 8) | b;
        }
        return new Palette(colours);
    }

    /**
     * A palette from explicit colours.
     *
     * @param rgb one {@code {r, g, b}} triple per class, each component 0 to 255
     */
    public static Palette of(int[][] rgb) {
        if (rgb.length == 0) {
            throw new IllegalArgumentException("palette needs at least one colour");
        }
        int[] colours = new int[rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            int[] c = rgb[i];
            if (c == null || c.length != 3) {
                throw new IllegalArgumentException("palette colour " + i + " must be {r, g, b}, got " + Arrays.toString(c));
            }
            for (int component : c) {
                if (component < 0 || component > 255) {
                    throw new IllegalArgumentException("palette colour " + i + " has component " + component + " outside 0..255");
                }
            }
            colours[i] = (c[0] << 16) | (c[1] << 8) | c[2];
        }
        return new Palette(colours);
    }

    /** Number of classes with a colour. */
    public int size() {
        return rgb.length;
    }

    /** Colour of {@code classIndex} as {@code 0xRRGGBB}; black for indices outside the palette (e.g. ignore). */
    public int rgb(int classIndex) {
        return classIndex >= 0 && classIndex < rgb.length ? rgb[classIndex] : OUTSIDE;
    }

    /** Whether {@code classIndex} has its own colour (is inside {@code [0, size())}). */
    public boolean contains(int classIndex) {
        return classIndex >= 0 && classIndex < rgb.length;
    }
}
