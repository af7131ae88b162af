package org.semiseg.data.sets;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.semiseg.io.Images;

/**
 * Raw mask values (8/16-bit gray samples or palette indices) to class indices: a lookup table in which every value
 * is a class, ignored, or bad (outside the class set).
 */
final class ValueTable {
    private static final int IGNORE = -1;
    private static final int BAD = -2;

    private final int[] lut;
    private final String classSet;

    /**
     * @param classOf raw value to class index
     * @param ignored raw values whose pixels are ignored; disjoint from the keys of {@code classOf}
     * @param what    how the raw values are called in messages, e.g. "" or "label ids "
     */
    ValueTable(Map<Integer, Integer> classOf, Set<Integer> ignored, String what) {
        int max = -1;
        for (int v : classOf.keySet()) {
            max = Math.max(max, v);
        }
        for (int v : ignored) {
            max = Math.max(max, v);
        }
        lut = new int[max + 1];
        Arrays.fill(lut, BAD);
        for (Map.Entry<Integer, Integer> e : classOf.entrySet()) {
            if (e.getKey() < 0 || e.getValue() < 0) {
                throw new IllegalArgumentException("negative raw value or class: " + e);
            }
            lut[e.getKey()] = e.getValue();
        }
        for (int v : ignored) {
            if (lut[v] != BAD) {
                throw new IllegalArgumentException("raw value " + v + " is both a class and ignored");
            }
            lut[v] = IGNORE;
        }
        String text = "classes are " + what + ranges(new TreeSet<>(classOf.keySet()));
        classSet = ignored.isEmpty() ? text + ", no ignored values" : text + ", ignored values " + ranges(new TreeSet<>(ignored));
    }

    /** Values {@code 0..n-1} are classes {@code 0..n-1}; {@code ignored} are ignored. */
    static ValueTable identity(int n, Set<Integer> ignored) {
        Map<Integer, Integer> classOf = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            classOf.put(i, i);
        }
        return new ValueTable(classOf, ignored, "");
    }

    /** E.g. "classes are 0..10, ignored values 11". */
    String classSet() {
        return classSet;
    }

    /** Decodes {@code file} (gray or palette PNG) and maps its values. */
    MaskReading read(Path file, int ignoreIndex, String dataset) {
        BufferedImage image = Images.decode(file);
        int[] raw = Images.rawValues(file, image);
        return map(raw, image.getHeight(), image.getWidth(), ignoreIndex, dataset);
    }

    /** Maps raw values in place to class indices (or {@code ignoreIndex}). */
    MaskReading map(int[] raw, int height, int width, int ignoreIndex, String dataset) {
        BadValues bad = new BadValues();
        for (int i = 0; i < raw.length; i++) {
            int v = raw[i];
            int c = v >= 0 && v < lut.length ? lut[v] : BAD;
            if (c >= 0) {
                raw[i] = c;
            } else {
                if (c == BAD) {
                    bad.add(Integer.toString(v), i, width);
                }
                raw[i] = ignoreIndex;
            }
        }
        return new MaskReading(raw, height, width, bad.values(),
                bad.phrase("mask value", "is not a class of " + dataset + " (" + classSet + ")"));
    }

    /** Sorted values as "0..6, 9, 10, 14..16". */
    static String ranges(TreeSet<Integer> values) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int v : values) {
            if (prev != null && v == prev + 1) {
                prev = v;
                continue;
            }
            if (start != null) {
                parts.add(range(start, prev));
            }
            start = v;
            prev = v;
        }
        if (start != null) {
            parts.add(range(start, prev));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    private static String range(int from, int to) {
        if (from == to) {
            return Integer.toString(from);
        }
        return to == from + 1 ? from + ", " + to : from + ".." + to;
    }
}
