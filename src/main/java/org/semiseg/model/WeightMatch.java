package org.semiseg.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Compares named tensors from a file with the parameters they should fill, and describes every mismatch in one
 * line: {@code " 2 missing [a, b]; 1 unexpected [c]; 1 mis-shaped [d (3) vs model (4)];"}.
 */
public final class WeightMatch {
    private static final int SHOWN = 5;

    private WeightMatch() {
    }

    /** The mismatches between {@code expected} and {@code found}, or the empty string when every name and shape fits. */
    public static String mismatches(Map<String, Parameter> expected, Map<String, NDArray> found) {
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : expected.entrySet()) {
            NDArray value = found.get(e.getKey());
            if (value == null) {
                missing.add(e.getKey());
            } else if (!value.getShape().equals(e.getValue().getArray().getShape())) {
                misShaped.add(e.getKey() + " " + value.getShape() + " vs model " + e.getValue().getArray().getShape());
            }
        }
        List<String> unexpected = found.keySet().stream().filter(k -> !expected.containsKey(k)).sorted().toList();
        return describe("missing", missing) + describe("unexpected", unexpected) + describe("mis-shaped", misShaped);
    }

    private static String describe(String what, List<String> keys) {
        if (keys.isEmpty()) {
            return "";
        }
        List<String> shown = keys.subList(0, Math.min(SHOWN, keys.size()));
        return " " + keys.size() + " " + what + " " + shown + (keys.size() > SHOWN ? " ..." : "") + ";";
    }
}
