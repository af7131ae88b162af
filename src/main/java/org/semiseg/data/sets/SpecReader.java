package org.semiseg.data.sets;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.semiseg.SemisegException;

/** Reading values out of a dataset spec's YAML tree; every message starts with "dataset spec FILE: ". */
class SpecReader {
    final Path file;

    SpecReader(Path file) {
        this.file = file;
    }

    SemisegException fail(String problem) {
        return new SemisegException("dataset spec " + file + ": " + problem);
    }

    JsonNode required(JsonNode node, String key, String meaning) {
        String leaf = key.substring(key.lastIndexOf('.') + 1);
        JsonNode value = node.get(leaf);
        if (value == null || value.isNull()) {
            throw fail("missing key '" + key + "' (" + meaning + ")");
        }
        return value;
    }

    String text(JsonNode node, String key) {
        if (!node.isTextual() && !node.isNumber() || node.asText().isBlank()) {
            throw fail("key '" + key + "' must be a string, got " + kind(node));
        }
        String text = node.asText().trim();
        if (text.chars().anyMatch(Character::isISOControl)) {
            // a NUL or other control character is in no file name, pattern or id (and NUL is no path at all)
            throw fail("key '" + key + "' holds control characters: " + kind(node));
        }
        return text;
    }

    int integer(JsonNode node, String key, int min, int max) {
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
            throw fail("key '" + key + "' must be an integer " + min + ".." + max + ", got " + kind(node));
        }
        return node.asInt();
    }

    /** A folder relative to the dataset root and inside it, normalised with '/' separators ("" for the root). */
    String folder(JsonNode node, String key) {
        String text = text(node, key);
        Path path = Path.of(text);
        if (path.isAbsolute()) {
            throw fail("key '" + key + "' must be a folder relative to the dataset root, got the absolute path " + text);
        }
        String normal = path.normalize().toString().replace(java.io.File.separatorChar, '/');
        if (normal.equals("..") || normal.startsWith("../")) {
            throw fail("key '" + key + "' must be a folder inside the dataset root, got " + text);
        }
        return normal;
    }

    void allowOnly(JsonNode node, String prefix, List<String> allowed) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw fail("unknown key '" + prefix + key + "' (allowed" + (prefix.isEmpty() ? "" : " under " + prefix.substring(0, prefix.length() - 1))
                        + ": " + String.join(", ", allowed) + ")");
            }
        }
    }

    static String kind(JsonNode node) {
        if (node == null || node.isNull()) {
            return "nothing";
        }
        if (node.isTextual()) {
            // one line, and short: the string may be a whole multi-line YAML block
            String text = node.asText().replaceAll("\\s+", " ").replaceAll("\\p{Cntrl}", "?").strip();
            return "the string '" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
        }
        if (node.isNumber() || node.isBoolean()) {
            return node.asText();
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty list" : "a list";
        }
        return node.isEmpty() ? "an empty mapping" : "a mapping";
    }

    static String firstLine(String text) {
        if (text == null) {
            return "unknown problem";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
