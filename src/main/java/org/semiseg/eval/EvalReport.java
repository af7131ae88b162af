package org.semiseg.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Human- and machine-readable forms of an {@link EvalResult}: a text table, eval.json and a metrics line.
 *
 * <p>JSON holds fractions in [0, 1] (the table shows percent); NaN (class absent) is written as {@code null}.
 */
public final class EvalReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvalReport() {
    }

    /** Fixed-width table: one line per class with IoU in percent ("n/a" for NaN), then mIoU and pixel accuracy. */
    public static String table(EvalResult r) {
        int nameWidth = "pixel accuracy".length();
        for (String name : r.classNames()) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        String row = "%-" + nameWidth + "s  %8s%n";
        String rule = "-".repeat(nameWidth) + "  " + "-".repeat(8) + System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "split %s, %d images, %.1f s%n", r.split(), r.numImages(), r.seconds()));
        sb.append(String.format(Locale.ROOT, row, "class", "IoU (%)"));
        sb.append(rule);
        double[] iou = r.iou();
        for (int c = 0; c < iou.length; c++) {
            sb.append(String.format(Locale.ROOT, row, r.classNames().get(c), percent(iou[c])));
        }
        sb.append(rule);
        sb.append(String.format(Locale.ROOT, row, "mIoU", percent(r.meanIou())));
        sb.append(String.format(Locale.ROOT, row, "pixel accuracy", percent(r.pixelAccuracy())));
        return sb.toString();
    }

    /**
     * Scalars for one metrics.jsonl line: split, images, seconds, mIoU, pixelAccuracy and {@code iou} keyed by
     * class name (fractions, NaN as null).
     */
    public static Map<String, Object> summary(EvalResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", r.split());
        m.put("images", r.numImages());
        m.put("seconds", r.seconds());
        m.put("mIoU", orNull(r.meanIou()));
        m.put("pixelAccuracy", orNull(r.pixelAccuracy()));
        m.put("iou", byClass(r.classNames(), r.iou()));
        return m;
    }

    /**
     * Writes eval.json atomically (temp file in the same folder, then an atomic move): {@link #summary} plus
     * classAccuracy, classNames and confusionMatrix ({@code [label][pred]}), then the {@code extra} entries (e.g.
     * iteration, checkpoint).
     *
     * @throws IllegalArgumentException if an extra key clashes with a built-in one
     */
    public static void writeJson(Path file, EvalResult r, Map<String, Object> extra) throws IOException {
        Map<String, Object> m = summary(r);
        m.put("classAccuracy", byClass(r.classNames(), r.confusionMatrix().classAccuracy()));
        m.put("classNames", r.classNames());
        m.put("confusionMatrix", r.confusionMatrix().toArray());
        if (extra != null) {
            for (Map.Entry<String, Object> e : extra.entrySet()) {
                if (m.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("extra key '" + e.getKey() + "' clashes with a built-in key of eval.json");
                }
                m.put(e.getKey(), e.getValue());
            }
        }
        write(file, m);
    }

    /**
     * Writes the eval.json of a run on several domains atomically: {@code split}, {@code mIoU} (the mean of the
     * domains' mIoU), {@code domains} ({@link #summary} of each, by name), then the {@code extra} entries. Each
     * domain's full result goes to a file of its own ({@link #writeJson}).
     */
    public static void writeDomainsJson(Path file, Map<String, EvalResult> results, Map<String, Object> extra)
            throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", results.values().iterator().next().split());
        m.put("mIoU", orNull(meanIou(results.values())));
        Map<String, Object> domains = new LinkedHashMap<>();
        results.forEach((name, r) -> domains.put(name, summary(r)));
        m.put("domains", domains);
        if (extra != null) {
            m.putAll(extra);
        }
        write(file, m);
    }

    /** The mean of the results' mIoU (several domains: what chooses the best checkpoint). */
    public static double meanIou(java.util.Collection<EvalResult> results) {
        return results.stream().mapToDouble(EvalResult::meanIou).average().orElse(Double.NaN);
    }

    private static void write(Path file, Map<String, Object> m) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            try (java.io.OutputStream out = org.semiseg.io.FileWrites.open(tmp)) {
                JSON.writeValue(out, m);
            }
            org.semiseg.io.AtomicFiles.replace(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Serialises {@link #summary} as one compact JSON line (no newline). */
    public static String summaryJson(EvalResult r) {
        try {
            return new ObjectMapper().writeValueAsString(summary(r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> byClass(List<String> names, double[] values) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int c = 0; c < values.length; c++) {
            m.put(names.get(c), orNull(values[c]));
        }
        return m;
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static String percent(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }
}
