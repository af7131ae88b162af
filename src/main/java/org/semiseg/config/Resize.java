package org.semiseg.config;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How images are scaled on load ({@code data.resize}, {@code data.source.resize}): by a factor ({@code 0.5}) or to a
 * fixed size ({@code [height, width]}). Masks follow with nearest-neighbour sampling.
 *
 * @param factor scale factor, or NaN when a fixed size is given
 * @param height fixed height, or 0 when a factor is given
 * @param width  fixed width, or 0 when a factor is given
 */
@JsonDeserialize(using = Resize.Reader.class)
public record Resize(double factor, int height, int width) {
    /**
     * Reads a config value.
     *
     * @param key the config key it came from, named in the error messages (e.g. {@code data.resize})
     * @return null for a null node
     */
    public static Resize parse(String key, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            double f = node.asDouble();
            if (!(f > 0 && f <= 8)) {
                throw ConfigException.key(key, "a factor must be in (0, 8] (got " + node + ")");
            }
            return new Resize(f, 0, 0);
        }
        if (node.isArray() && node.size() == 2 && node.get(0).canConvertToExactIntegral() && node.get(1).canConvertToExactIntegral()) {
            int h = node.get(0).asInt();
            int w = node.get(1).asInt();
            if (h < 8 || w < 8) {
                throw ConfigException.key(key, "a size must be at least 8x8 (got " + node + ")");
            }
            return new Resize(Double.NaN, h, w);
        }
        throw ConfigException.key(key, "expected a factor like 0.5 or a size [height, width] (got " + node + ")");
    }

    /** Output size for an image of {@code h x w}: {height, width}, each at least 1. */
    public int[] sizeFor(int h, int w) {
        if (Double.isNaN(factor)) {
            return new int[] {height, width};
        }
        return new int[] {Math.max(1, (int) Math.round(h * factor)), Math.max(1, (int) Math.round(w * factor))};
    }

    @JsonValue
    public Object yaml() {
        return Double.isNaN(factor) ? List.of(height, width) : factor;
    }

    /** Reads a {@code resize} value of a config, naming the key it sits under (its path in the YAML) in errors. */
    static final class Reader extends StdDeserializer<Resize> {
        Reader() {
            super(Resize.class);
        }

        @Override
        public Resize deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String key = key(p.getParsingContext());
            return parse(key, p.readValueAsTree());
        }

        /** The dotted path of the current value, e.g. {@code data.source.resize}. */
        private static String key(JsonStreamContext context) {
            List<String> names = new ArrayList<>();
            for (JsonStreamContext c = context; c != null; c = c.getParent()) {
                if (c.inObject() && c.getCurrentName() != null) {
                    names.add(c.getCurrentName());
                }
            }
            Collections.reverse(names);
            return names.isEmpty() ? "resize" : String.join(".", names);
        }
    }
}
