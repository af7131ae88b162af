package org.semiseg.config;

import java.util.List;

/** Range checks used by the config records' constructors. Each names the full key it checks. */
public final class Check {
    private Check() {
    }

    public static int atLeast(String key, int value, int min) {
        if (value < min) {
            throw ConfigException.key(key, "must be at least " + min + " (got " + value + ")");
        }
        return value;
    }

    public static double positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw ConfigException.key(key, "must be a positive number (got " + value + ")");
        }
        return value;
    }

    public static double inRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw ConfigException.key(key, "must be between " + min + " and " + max + " (got " + value + ")");
        }
        return value;
    }

    public static String oneOf(String key, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw ConfigException.key(key, "must be one of " + String.join(", ", allowed) + " (got " + value + ")");
        }
        return value;
    }

    public static <T> T present(String key, T value) {
        if (value == null) {
            throw ConfigException.key(key, "is required");
        }
        return value;
    }
}
