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
 * @param splits       split name to its files (folders, name patterns, ids), in YAML order
 * @param tags         the image-level labels ({@link TagFile}: a CSV file or a folder of class folders), relative to
 *                     the root; null when the spec names none
 */
record FolderSpec(Path file, String name, List<String> classes, boolean rgb, Map<Integer, Integer> values,
                  Set<Integer> ignoreValues, int[][] colors, Set<Integer> ignoreColors,
                  Map<String, SplitSpecs.Split> splits, String trainSplit, String valSplit, String tags) {

    static final List<String> KEYS = List.of("name", "classes", "mask_format", "values", "ignore_values", "colors",
            "ignore_colors", "images", "masks", "splits", "train_split", "val_split", "tags");
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
            throw new SemisegException("dataset spec " + file + " is not valid YAML" + where + ": " + SpecReader.firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new SemisegException("dataset spec " + file + " cannot be read: " + ImageFiles.oneLine(e));
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new SemisegException("dataset spec " + file + " is empty (it needs at least classes and splits)");
        }
        return new Parser(file).parse(tree, root);
    }

    /** Validation of the YAML tree; {@code fail} builds the one-line messages. */
    private static final class Parser extends SpecReader {
        Parser(Path file) {
            super(file);
        }

        FolderSpec parse(JsonNode tree, Path root) {
            if (!tree.isObject()) {
                throw fail("must hold a mapping of keys (" + String.join(", ", KEYS) + "), got " + SpecReader.kind(tree));
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
                        throw fail("key 'ignore_values' must be a list of raw mask values, got " + SpecReader.kind(list));
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
                    throw fail("key 'ignore_colors' must be a list of [r, g, b] colours, got " + SpecReader.kind(list));
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
            Map<String, SplitSpecs.Split> splits = SplitSpecs.read(this, tree, root);
            String train = tree.has("train_split") ? text(tree.get("train_split"), "train_split")
                    : splits.containsKey("train") ? "train" : splits.keySet().iterator().next();
            String val = tree.has("val_split") ? text(tree.get("val_split"), "val_split")
                    : splits.containsKey("val") ? "val" : train;
            for (String[] key : new String[][] {{"train_split", train}, {"val_split", val}}) {
                if (!splits.containsKey(key[1])) {
                    throw fail("key '" + key[0] + "' names split '" + key[1] + "', which is not under splits (" + String.join(", ", splits.keySet()) + ")");
                }
            }
            String tags = null;
            if (tree.hasNonNull("tags")) {
                tags = folder(tree.get("tags"), "tags");
                if (!Files.exists(root.resolve(tags))) {
                    throw fail("key 'tags' names " + tags + ", which does not exist under " + root + " (a CSV file of"
                            + " 'image,class1;class2' lines, or a folder with one folder per class)");
                }
            }
            return new FolderSpec(file, name, classes, rgb, Map.copyOf(values), Set.copyOf(ignoreValues), colors,
                    Set.copyOf(ignoreColors), splits, train, val, tags);
        }

        private List<String> classes(JsonNode node) {
            if (!node.isArray() || node.isEmpty()) {
                throw fail("key 'classes' must be a non-empty list of class names in index order, got " + SpecReader.kind(node));
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
                    throw fail("classes[" + i + "] must be a class name, got " + SpecReader.kind(item));
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
                throw fail("key 'values' must map raw mask values to classes, e.g. values: {0: 0, 255: 1}, got " + SpecReader.kind(node));
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
            throw fail("key '" + key + "' must be a class index or name, got " + SpecReader.kind(node));
        }

        private int[][] colors(JsonNode node, List<String> classes) {
            if (!node.isObject()) {
                throw fail("key 'colors' must map each class name to [r, g, b], got " + SpecReader.kind(node));
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
                throw fail("key '" + key + "' must be a colour [r, g, b], got " + SpecReader.kind(node));
            }
            int[] rgb = new int[3];
            for (int i = 0; i < 3; i++) {
                rgb[i] = integer(node.get(i), key + "[" + i + "]", 0, 255);
            }
            return rgb;
        }
    }

    static int pack(int[] rgb) {
        return (rgb[0] << 16) | (rgb[1] << 8) | rgb[2];
    }
}
