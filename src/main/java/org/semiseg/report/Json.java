package org.semiseg.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reading the run's and grid's JSON/YAML files; every failure is a {@link SemisegException} naming the file. */
final class Json {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {
    }

    /** A JSON document. */
    static JsonNode read(Path file) {
        return parse(file, JSON);
    }

    /** A YAML document. */
    static JsonNode readYaml(Path file) {
        return parse(file, YAML);
    }

    /**
     * A JSON-lines file: one object per non-blank line. A last line that does not parse is dropped (a run killed
     * mid-write leaves one); any other is an error.
     */
    static List<JsonNode> readLines(Path file) {
        List<String> lines = text(file).lines().toList();
        int last = lines.size() - 1;
        while (last >= 0 && lines.get(last).isBlank()) {
            last--;
        }
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i <= last; i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                JsonNode node = JSON.readTree(line);
                if (!node.isObject()) {
                    throw new IOException("not an object");
                }
                out.add(node);
            } catch (IOException e) {
                if (i == last) {
                    break;
                }
                throw new SemisegException("cannot read " + file + ": line " + (i + 1) + " is not a JSON object");
            }
        }
        return out;
    }

    /** A number, NaN for missing, null or non-numeric values. */
    static double num(JsonNode node) {
        return node != null && node.isNumber() ? node.asDouble() : Double.NaN;
    }

    private static JsonNode parse(Path file, ObjectMapper mapper) {
        String text = text(file);
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || !node.isObject()) {
                throw new SemisegException("cannot read " + file + ": it does not hold an object");
            }
            return node;
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new SemisegException("cannot read " + file + ": not valid " + (mapper == YAML ? "YAML" : "JSON")
                    + " (" + message + ")");
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SemisegException("cannot read " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new SemisegException("cannot read " + file + ": permission denied");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SemisegException("cannot read " + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new SemisegException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
