package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;

/**
 * A recorded validation curve of {@code supervised} that a run report draws beside a run made at the same settings
 * (issue 23: the demo's report shows what the semi-supervised method gained over the baseline). The recording is a
 * resource written by {@code bench/methods/reference.py}: the settings it holds for (dotted config keys and their
 * values), the evaluation iterations and the mean mIoU over its seeds. A run matches when its {@code config.yaml}
 * has every one of those values; the method, the seeds and everything else may differ.
 */
public record ReferenceCurve(String label, String about, JsonNode settings, double[] iterations, double[] miou) {
    /** The demo's supervised curve. */
    public static final String DEMO = "demo-supervised-reference.json";

    /** The recording {@code name} from this package's resources. */
    public static ReferenceCurve load(String name) {
        try (InputStream in = ReferenceCurve.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            JsonNode root = new ObjectMapper().readTree(in);
            JsonNode its = root.get("iterations");
            JsonNode values = root.get("miou");
            if (its == null || values == null || its.size() != values.size() || !root.path("settings").isObject()) {
                throw new IllegalStateException("resource " + name + ": needs settings, and iterations and miou of one length");
            }
            double[] x = new double[its.size()];
            double[] y = new double[its.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = its.get(i).asDouble();
                y[i] = values.get(i).asDouble();
            }
            return new ReferenceCurve(root.path("label").asText("reference"), root.path("about").asText(""),
                    root.get("settings"), x, y);
        } catch (IOException e) {
            throw new UncheckedIOException("resource " + name, e);
        }
    }

    /** The demo's curve when {@code runConfig} (a run's config.yaml) has its settings, else null. */
    public static ReferenceCurve forRun(JsonNode runConfig) {
        if (runConfig == null) {
            return null;
        }
        ReferenceCurve demo = Demo.CURVE;
        return demo.matches(runConfig) ? demo : null;
    }

    /** The demo's recording, read once (a report is rebuilt at every evaluation). */
    private static final class Demo {
        static final ReferenceCurve CURVE = load(DEMO);
    }

    /** Whether {@code config} has every recorded setting (numbers compared by value: 5.0E-4 equals 0.0005). */
    public boolean matches(JsonNode config) {
        for (Iterator<Map.Entry<String, JsonNode>> it = settings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!same(at(config, e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** The node at a dotted path; a missing key reads as null, as the config loader fills it. */
    static JsonNode at(JsonNode config, String dotted) {
        JsonNode node = config;
        for (String part : dotted.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) {
            return aNull && bNull;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.doubleValue() == b.doubleValue();
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!same(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isValueNode() && b.isValueNode()) {
            // YAML may read a value as text that JSON holds as a number or boolean, or the other way round
            return a.asText().equals(b.asText());
        }
        return a.equals(b);
    }
}
