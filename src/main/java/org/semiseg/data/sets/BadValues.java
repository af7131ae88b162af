package org.semiseg.data.sets;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Collects mask pixels whose value is neither a class nor ignored, and words one phrase about them. */
final class BadValues {
    private static final int LISTED = 8;
    private static final int KEPT = 1000;

    private final Set<String> values = new LinkedHashSet<>();
    private String first;
    private int firstY;
    private int firstX;
    private long pixels;

    void add(String value, int pixel, int width) {
        if (pixels == 0) {
            first = value;
            firstY = pixel / width;
            firstX = pixel % width;
        }
        pixels++;
        if (values.size() < KEPT) {
            values.add(value);
        }
    }

    boolean any() {
        return pixels > 0;
    }

    List<String> values() {
        return List.copyOf(values);
    }

    /**
     * @param noun  what a value is called, e.g. "mask value" or "colour"
     * @param claim what is wrong with it, e.g. "is not a class of camvid (classes are 0..10, ignored values 11)"
     * @return e.g. "mask value 40 at pixel (0, 3) is not a class of camvid (...); 12 pixels in all, values 40, 41"
     */
    String phrase(String noun, String claim) {
        if (pixels == 0) {
            return null;
        }
        StringBuilder text = new StringBuilder(noun).append(' ').append(first)
                .append(" at pixel (").append(firstY).append(", ").append(firstX).append(") ").append(claim);
        if (pixels > 1) {
            List<String> listed = new ArrayList<>(values);
            text.append("; ").append(pixels).append(" such pixels");
            if (listed.size() > 1) {
                text.append(", values ").append(String.join(", ", listed.subList(0, Math.min(LISTED, listed.size()))));
                if (listed.size() > LISTED) {
                    text.append(values.size() >= KEPT ? " and more" : " and " + (listed.size() - LISTED) + " more");
                }
            }
        }
        return text.toString();
    }
}
