package org.semiseg.data.sets;

import java.util.List;

/**
 * A mask decoded into class indices, with what was wrong in it instead of an exception.
 *
 * @param labels    class index per pixel, row-major; ignored pixels and pixels with a value outside the class set
 *                  hold the ignore index
 * @param height    mask height in pixels
 * @param width     mask width in pixels
 * @param badValues raw values (or colours, written {@code (r, g, b)}) that are neither a class nor ignored, in order of
 *                  first occurrence; empty when the mask is fine
 * @param problem   one phrase describing the bad values, naming the first one and its pixel; {@code null} when fine
 */
public record MaskReading(int[] labels, int height, int width, List<String> badValues, String problem) {
    public MaskReading {
        badValues = List.copyOf(badValues);
        if (labels.length != height * width) {
            throw new IllegalArgumentException("mask has " + labels.length + " values, expected " + height + "x" + width);
        }
        if (badValues.isEmpty() != (problem == null)) {
            throw new IllegalArgumentException("a mask reading has a problem exactly when it has bad values");
        }
    }

    /** Whether every pixel was a class or ignored. */
    public boolean ok() {
        return problem == null;
    }
}
