package org.semiseg.data.sets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.semiseg.SemisegException;

/**
 * The ids of one split of a folder dataset, as an official split list gives them: a text file with one id per line
 * (the first field of a line; blank lines and lines starting with {@code #} skipped), a YAML or JSON file holding a
 * list (or a mapping from split names to lists, from which the split's own is taken), or a list written in the spec.
 * Scalars are read as written, so {@code 0001} in a YAML list stays {@code 0001}.
 *
 * @param source where the ids come from, for messages ({@code train.txt}, {@code splits.json: train})
 * @param ids    the ids in list order
 * @param lines  the line of each id in its file (1-based; 0 when not known)
 */
record IdList(String source, List<String> ids, List<Integer> lines) {
    IdList {
        ids = List.copyOf(ids);
        lines = List.copyOf(lines);
    }

    /** "train.txt line 4", or the source alone when the line is not known. */
    String where(int index) {
        return lines.get(index) > 0 ? source + " line " + lines.get(index) : source;
    }

    /** Whether a file name is read as YAML or JSON rather than as lines of text. */
    static boolean structured(String file) {
        String lower = file.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    /** The lines of a text file: the first field of each line that is neither blank nor a comment. */
    static IdList text(Path file, String source) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String id = line.split("\\s+")[0];
            if (id.chars().anyMatch(Character::isISOControl)) {
                throw new SemisegException("split list " + file + " line " + (i + 1) + ": '" + id.replaceAll("\\p{Cntrl}", "?")
                        + "' is not an id (it holds control characters)");
            }
            ids.add(id);
            lines.add(i + 1);
        }
        return new IdList(source, ids, lines);
    }

    /**
     * A YAML or JSON file: a list of ids, or a mapping from split names to lists of ids.
     *
     * @return the lists by split name; a file holding a bare list gives it under the key {@code null}
     * @throws SemisegException naming the file when it is not valid or holds something else
     */
    static Map<String, IdList> structured(Path file, String source) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        JsonFactory factory = name.endsWith(".json") ? new JsonFactory() : new YAMLFactory();
        try (JsonParser parser = factory.createParser(Files.readAllBytes(file))) {
            JsonToken first = parser.nextToken();
            Map<String, IdList> out = new LinkedHashMap<>();
            if (first == JsonToken.START_ARRAY) {
                out.put(null, list(parser, file, source));
            } else if (first == JsonToken.START_OBJECT) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String split = parser.currentName();
                    if (parser.nextToken() != JsonToken.START_ARRAY) {
                        throw new SemisegException("split list " + file + ": '" + split + "' must be a list of ids");
                    }
                    out.put(split, list(parser, file, source + ": " + split));
                }
            } else {
                throw new SemisegException("split list " + file + " must hold a list of ids or a mapping from split names to lists of ids");
            }
            return out;
        } catch (JacksonException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new SemisegException("split list " + file + " is not valid " + (name.endsWith(".json") ? "JSON" : "YAML") + where
                    + ": " + SpecReader.firstLine(e.getOriginalMessage()));
        }
    }

    private static IdList list(JsonParser parser, Path file, String source) throws IOException {
        List<String> ids = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
            if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL || parser.getText().isBlank()) {
                throw new SemisegException("split list " + file + ": " + source + " must hold plain ids (got "
                        + (t == null ? "the end of the file" : t.isScalarValue() ? "an empty value" : "a nested list or mapping")
                        + " at line " + parser.currentTokenLocation().getLineNr() + ")");
            }
            String id = parser.getText().strip();
            if (id.chars().anyMatch(Character::isISOControl)) {
                throw new SemisegException("split list " + file + ": " + source + " line " + parser.currentTokenLocation().getLineNr()
                        + ": '" + id.replaceAll("\\p{Cntrl}", "?") + "' is not an id (it holds control characters)");
            }
            ids.add(id);
            lines.add(Math.max(0, parser.currentTokenLocation().getLineNr()));
        }
        return new IdList(source, ids, lines);
    }
}
