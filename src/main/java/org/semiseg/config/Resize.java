package org.semiseg.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * How images are scaled on load ({@code data.resize}): by a factor ({@code 0.5}) or to a fixed size
 * ({@code [height, width]}). Masks follow with nearest-neighbour sampling.
 *
 * @param factor scale factor, or NaN when a fixed size is given
 * @param height fixed height, or 0 when a factor is given
 * @param width  fixed width, or 0 when a factor is given
 */
public record Resize(double factor, int height, int width) {
    private static final String KEY = "data.resize";

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Resize parse(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            double f = node.asDouble();
            if (!(f > 0 && f <= 8)) {
                throw ConfigException.key(KEY, "a factor must be in (0, 8] (got " + node + ")");
            }
            return new Resize(f, 0, 0);
        }
        if (node.isArray() && node.size() == 2 && node.get(0).canConvertToExactIntegral() && node.get(1).canConvertToExactIntegral()) {
            int h = node.get(0).asInt();
            int w = node.get(1).asInt();
            if (h < 8 || w < 8) {
                throw ConfigException.key(KEY, "a size must be at least 8x8 (got " + node + ")");
            }
            return new Resize(Double.NaN, h, w);
        }
        throw ConfigException.key(KEY, "expected a factor like 0.5 or a size [height, width] (got " + node + ")");
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
}
