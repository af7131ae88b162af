package org.semiseg.data.sets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.semiseg.SemisegException;

/**
 * The parsed and validated YAML description of a {@link FolderLayout} dataset. See {@link FolderLayout} for the
 * schema; every error names the YAML file and the key.
 *
 * @param colors       one {@code {r, g, b}} per class, or {@code null} when the YAML gives none (index masks only)
 * @param values       raw mask value to class index (index masks)
 * @param ignoreValues raw mask values that are ignored (index masks)
 * @param ignoreColors colours ({@code 0xRRGGBB}) that are ignored (rgb masks)
 * @param splits       split name to its folders, in YAML order
 */
record FolderSpec(Path file, String name, List<String> classes, boolean rgb, Map<Integer, Integer> values,
                  Set<Integer> ignoreValues, int[][] colors, Set<Integer> ignoreColors,
                  Map<String, SplitFolders> splits, String trainSplit, String valSplit) {

    /** Folders of one split, relative to the root with '/' separators ("" for the root itself). */
    record SplitFolders(String images, String masks) {
    }

    static final List<String> KEYS = List.of("name", "classes", "mask_format", "values", "ignore_values", "colors",
            "ignore_colors", "splits", "train_split", "val_split");
    static final List<String> SPLIT_KEYS = List.of("images", "masks");
    static final int MAX_CLASSES = 255;
    static final int MAX_RAW = 65535;

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    /** Reads and validates {@code file}; {@code root} names the dataset when the YAML has no {@code name}. */
    static FolderSpec load(Path file, Path root) {
        JsonNode tree;
        try {
            tree = YAML.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new SemisegException("dataset spec " + file + " does not exist (a folder dataset is described by a YAML "
                    + "file with classes, mask_format and splits; by default <root>/dataset.yaml)");
        } catch (JacksonException e) {
            String where = e.getLocation() == null || e.getLocation().getLineNr() < 1 ? "" : " (line " + e.getLocation().getLineNr() + ")";
            throw new SemisegException("dataset spec " + file + " is not valid YAML" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SemisegException("dataset spec " + file + " cannot be read: " + ImageFiles.oneLine(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new SemisegException("dataset spec " + file + " is empty (it needs at least classes and splits)");
        }
        return new Parser(file).parse(tree, root);
    }

    /** Validation of the YAML tree; {@code fail} builds the one-line messages. */
    private static final class Parser {
        private final Path file;

        Parser(Path file) {
            this.file = file;
        }

        FolderSpec parse(JsonNode tree, Path root) {
            if (!tree.isObject()) {
                throw fail("must hold a mapping of keys (" + String.join(", ", KEYS) + "), got " + kind(tree));
            }
            allowOnly(tree, "", KEYS);
            String name = tree.has("name") ? text(tree.get("name"), "name") : root.getFileName() == null ? "folder" : root.getFileName().toString();
            List<String> classes = classes(required(tree, "classes", "the class names in index order, e.g. classes: [background, lesion]"));
            String format = tree.has("mask_format") ? text(tree.get("mask_format"), "mask_format") : "index";
            if (!format.equals("index") && !format.equals("rgb")) {
                throw fail("key 'mask_format' must be index or rgb, got '" + format + "'");
            }
            boolean rgb = format.equals("rgb");
            if (rgb) {
                for (String key : List.of("values", "ignore_values")) {
                    if (tree.has(key)) {
                        throw fail("key '" + key + "' applies to mask_format: index only (rgb masks use colors and ignore_colors)");
                    }
                }
            } else if (tree.has("ignore_colors")) {
                throw fail("key 'ignore_colors' applies to mask_format: rgb only (index masks use ignore_values)");
            }
            Map<Integer, Integer> values = new LinkedHashMap<>();
            Set<Integer> ignoreValues = new LinkedHashSet<>();
            if (!rgb) {
                if (tree.has("values")) {
                    values = values(tree.get("values"), classes);
                } else {
                    for (int c = 0; c < classes.size(); c++) {
                        values.put(c, c);
                    }
                }
                if (tree.has("ignore_values")) {
                    JsonNode list = tree.get("ignore_values");
                    if (!list.isArray()) {
                        throw fail("key 'ignore_values' must be a list of raw mask values, got " + kind(list));
                    }
                    for (int i = 0; i < list.size(); i++) {
                        int v = integer(list.get(i), "ignore_values[" + i + "]", 0, MAX_RAW);
                        if (values.containsKey(v)) {
                            throw fail("raw value " + v + " is both a class value (class " + classes.get(values.get(v)) + (tree.has("values")
                                    ? ", in values" : ", by default values 0.." + (classes.size() - 1) + " are the classes") + ") and in ignore_values");
                        }
                        if (!ignoreValues.add(v)) {
                            throw fail("key 'ignore_values' lists " + v + " twice");
                        }
                    }
                }
            }
            int[][] colors = null;
            if (tree.has("colors")) {
                colors = colors(tree.get("colors"), classes);
            } else if (rgb) {
                throw fail("missing key 'colors' (mask_format: rgb needs the colour of each class, e.g. colors: {"
                        + classes.get(0) + ": [0, 0, 0]})");
            }
            Set<Integer> ignoreColors = new LinkedHashSet<>();
            if (tree.has("ignore_colors")) {
                JsonNode list = tree.get("ignore_colors");
                if (!list.isArray()) {
                    throw fail("key 'ignore_colors' must be a list of [r, g, b] colours, got " + kind(list));
                }
                for (int i = 0; i < list.size(); i++) {
                    int[] c = colour(list.get(i), "ignore_colors[" + i + "]");
                    int packed = pack(c);
                    for (int k = 0; k < colors.length; k++) {
                        if (pack(colors[k]) == packed) {
                            throw fail("colour " + FolderLayout.colourText(packed) + " is both class " + classes.get(k)
                                    + "'s colour and in ignore_colors");
                        }
                    }
                    ignoreColors.add(packed);
                }
            }
            Map<String, SplitFolders> splits = splits(required(tree, "splits",
                    "the folders of each split, e.g. splits: {train: {images: images/train, masks: masks/train}}"));
            String train = tree.has("train_split") ? text(tree.get("train_split"), "train_split")
                    : splits.containsKey("train") ? "train" : splits.keySet().iterator().next();
            String val = tree.has("val_split") ? text(tree.get("val_split"), "val_split")
                    : splits.containsKey("val") ? "val" : train;
            for (String[] key : new String[][] {{"train_split", train}, {"val_split", val}}) {
                if (!splits.containsKey(key[1])) {
                    throw fail("key '" + key[0] + "' names split '" + key[1] + "', which is not under splits (" + String.join(", ", splits.keySet()) + ")");
                }
            }
            return new FolderSpec(file, name, classes, rgb, Map.copyOf(values), Set.copyOf(ignoreValues), colors,
                    Set.copyOf(ignoreColors), splits, train, val);
        }

        private List<String> classes(JsonNode node) {
            if (!node.isArray() || node.isEmpty()) {
                throw fail("key 'classes' must be a non-empty list of class names in index order, got " + kind(node));
            }
            if (node.size() > MAX_CLASSES) {
                throw fail("key 'classes' lists " + node.size() + " classes, at most " + MAX_CLASSES + " are supported");
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (item.isBoolean()) {
                    throw fail("classes[" + i + "] is read as " + item.asText() + " by YAML; quote the class name");
                }
                if (!item.isTextual() && !item.isNumber() || item.asText().isBlank()) {
                    throw fail("classes[" + i + "] must be a class name, got " + kind(item));
                }
                String name = item.asText().trim();
                if (names.contains(name)) {
                    throw fail("class '" + name + "' is listed twice in classes");
                }
                names.add(name);
            }
            return List.copyOf(names);
        }

        private Map<Integer, Integer> values(JsonNode node, List<String> classes) {
            if (!node.isObject() || node.isEmpty()) {
                throw fail("key 'values' must map raw mask values to classes, e.g. values: {0: 0, 255: 1}, got " + kind(node));
            }
            Map<Integer, Integer> values = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                int raw;
                try {
                    raw = Integer.parseInt(field.getKey().trim());
                } catch (NumberFormatException e) {
                    throw fail("key 'values' has '" + field.getKey() + "', which is not a raw mask value (an integer 0.." + MAX_RAW + ")");
                }
                if (raw < 0 || raw > MAX_RAW) {
                    throw fail("key 'values' has raw value " + raw + ", outside 0.." + MAX_RAW);
                }
                values.put(raw, classRef(field.getValue(), "values." + field.getKey(), classes));
            }
            return values;
        }

        /** A class given by index or by name. */
        private int classRef(JsonNode node, String key, List<String> classes) {
            if (node.isIntegralNumber()) {
                int c = node.asInt();
                if (!node.canConvertToInt() || c < 0 || c >= classes.size()) {
                    throw fail("key '" + key + "' is class " + node.asText() + ", outside 0.." + (classes.size() - 1));
                }
                return c;
            }
            if (node.isTextual()) {
                int c = classes.indexOf(node.asText().trim());
                if (c < 0) {
                    throw fail("key '" + key + "' names class '" + node.asText() + "', which is not in classes (" + String.join(", ", classes) + ")");
                }
                return c;
            }
            throw fail("key '" + key + "' must be a class index or name, got " + kind(node));
        }

        private int[][] colors(JsonNode node, List<String> classes) {
            if (!node.isObject()) {
                throw fail("key 'colors' must map each class name to [r, g, b], got " + kind(node));
            }
            int[][] colors = new int[classes.size()][];
            Map<Integer, String> owner = new HashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                int c = classes.indexOf(field.getKey().trim());
                if (c < 0) {
                    throw fail("key 'colors' has '" + field.getKey() + "', which is not in classes (" + String.join(", ", classes) + ")");
                }
                int[] rgb = colour(field.getValue(), "colors." + field.getKey());
                String previous = owner.putIfAbsent(pack(rgb), field.getKey());
                if (previous != null) {
                    throw fail("classes " + previous + " and " + field.getKey() + " have the same colour " + FolderLayout.colourText(pack(rgb)) + " in colors");
                }
                colors[c] = rgb;
            }
            List<String> missing = new ArrayList<>();
            for (int c = 0; c < colors.length; c++) {
                if (colors[c] == null) {
                    missing.add(classes.get(c));
                }
            }
            if (!missing.isEmpty()) {
                throw fail("key 'colors' has no colour for " + String.join(", ", missing) + " (every class needs one)");
            }
            return colors;
        }

        private int[] colour(JsonNode node, String key) {
            if (!node.isArray() || node.size() != 3) {
                throw fail("key '" + key + "' must be a colour [r, g, b], got " + kind(node));
            }
            int[] rgb = new int[3];
            for (int i = 0; i < 3; i++) {
                rgb[i] = integer(node.get(i), key + "[" + i + "]", 0, 255);
            }
            return rgb;
        }

        private Map<String, SplitFolders> splits(JsonNode node) {
            if (!node.isObject() || node.isEmpty()) {
                throw fail("key 'splits' must map split names to {images: FOLDER, masks: FOLDER}, got " + kind(node));
            }
            Map<String, SplitFolders> splits = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String split = field.getKey();
                String key = "splits." + split;
                JsonNode folders = field.getValue();
                if (!folders.isObject()) {
                    throw fail("key '" + key + "' must be a mapping {images: FOLDER, masks: FOLDER}, got " + kind(folders));
                }
                allowOnly(folders, key + ".", SPLIT_KEYS);
                String images = folder(required(folders, key + ".images", "the folder of this split's images, relative to the dataset root"), key + ".images");
                String masks = folders.has("masks") && !folders.get("masks").isNull() ? folder(folders.get("masks"), key + ".masks") : null;
                splits.put(split, new SplitFolders(images, masks));
            }
            return java.util.Collections.unmodifiableMap(splits);
        }

        private String folder(JsonNode node, String key) {
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

        private JsonNode required(JsonNode node, String key, String meaning) {
            String leaf = key.substring(key.lastIndexOf('.') + 1);
            JsonNode value = node.get(leaf);
            if (value == null || value.isNull()) {
                throw fail("missing key '" + key + "' (" + meaning + ")");
            }
            return value;
        }

        private String text(JsonNode node, String key) {
            if (!node.isTextual() && !node.isNumber() || node.asText().isBlank()) {
                throw fail("key '" + key + "' must be a string, got " + kind(node));
            }
            return node.asText().trim();
        }

        private int integer(JsonNode node, String key, int min, int max) {
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < min || node.asInt() > max) {
                throw fail("key '" + key + "' must be an integer " + min + ".." + max + ", got " + kind(node));
            }
            return node.asInt();
        }

        private void allowOnly(JsonNode node, String prefix, List<String> allowed) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (!allowed.contains(key)) {
                    throw fail("unknown key '" + prefix + key + "' (allowed" + (prefix.isEmpty() ? "" : " under " + prefix.substring(0, prefix.length() - 1))
                            + ": " + String.join(", ", allowed) + ")");
                }
            }
        }

        private SemisegException fail(String problem) {
            return new SemisegException("dataset spec " + file + ": " + problem);
        }

        private static String kind(JsonNode node) {
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
    }

    static int pack(int[] rgb) {
        return (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "unknown problem";
        }
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }
}
