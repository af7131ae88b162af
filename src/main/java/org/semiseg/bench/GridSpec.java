package org.semiseg.bench;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid of runs read from one YAML file: a base config, overrides shared by every run, and groups of
 * methods x labeled ratios x split seeds. Relative paths in the file ({@code config}, {@code out}, {@code results},
 * and the path keys under {@code set}: {@value #PATH_KEYS_TEXT}) are read from the grid file's folder, so a grid can
 * sit beside its data; overrides given on the command line ({@code bench --set}) are read as {@code train --set}
 * reads them, from the working directory.
 *
 * <pre>
 * name: camvid
 * config: ../../configs/camvid.yaml   # base config of every run (omit: the built-in demo)
 * set:                             # overrides for every run, as --set KEY=VALUE
 *   train.iterations: 2000
 * out: ../out/camvid               # one run directory per cell in here (default: out/NAME beside the grid file)
 * results: ../results/camvid       # results.json / results.md (default: out)
 * seeds: [1, 2, 3]                 # run seed and labeled-split seed of each run
 * test_split: test                 # the split the best (on val) checkpoint is reported on
 * groups:
 *   - methods: [supervised, classmix, memory-bank]
 *     ratios: ["1/8"]
 *   - methods: [supervised]
 *     ratios: [all]
 *     seeds: [1]                   # a group may narrow the seeds
 * </pre>
 *
 * @param overrides     the grid file's {@code set}, then the command line's {@code --set}, for every run
 * @param gridOverrides the grid file's {@code set} alone (its paths made relative to the grid file's folder)
 */
public record GridSpec(Path file, String name, Path config, List<String> overrides, Path out, Path results,
                       String testSplit, List<Cell> cells, List<String> gridOverrides) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("name", "config", "set", "out", "results", "seeds", "test_split", "groups");
    private static final Set<String> GROUP_KEYS = Set.of("methods", "ratios", "seeds");
    /** Config keys that hold paths: in a grid file's {@code set} they are read from the grid file's folder. */
    public static final List<String> PATH_KEYS = List.of("data.root", "data.spec", "data.split_dir", "data.source.root",
            "data.source.spec", "data.pseudo_masks", "model.pretrained");
    static final String PATH_KEYS_TEXT = "data.root, data.spec, data.split_dir, data.source.root, data.source.spec, data.pseudo_masks, model.pretrained";
    /** Keys each cell sets itself; {@code bench --set} may not change them. */
    public static final List<String> CELL_KEYS = List.of("method.name", "data.labeled", "seed", "data.split_seed");

    /**
     * One run of the grid.
     *
     * @param group the index of the first group that holds it ({@code groups[i]} of the file)
     */
    public record Cell(String method, String ratio, long seed, int group) {
        /** The run directory's name, e.g. {@code memory-bank-1_8-s2}. */
        public String runName() {
            return method + "-" + ratio.replace('/', '_') + "-s" + seed;
        }

        /** The overrides that make this cell's config from the grid's. */
        List<String> overrides() {
            return List.of("method.name=" + method, "data.labeled=\"" + ratio + "\"", "seed=" + seed,
                    "data.split_seed=" + seed);
        }
    }

    /** The overrides of one cell: the grid's, then the cell's own. */
    public List<String> overridesOf(Cell cell) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(cell.overrides());
        return all;
    }

    /** The same grid with its run folders and results in {@code folder} (a trial with other settings, say). */
    public GridSpec withOut(Path folder) {
        return new GridSpec(file, name, config, overrides, folder, folder, testSplit, cells, gridOverrides);
    }

    /** The resolved config of one cell. */
    public Config configOf(Cell cell) {
        return ConfigLoader.load(config, overridesOf(cell));
    }

    /** Reads a grid file without command-line overrides. */
    public static GridSpec read(Path file) {
        return read(file, List.of());
    }

    /**
     * Reads a grid file.
     *
     * @param commandLine {@code KEY=VALUE} overrides for every run, after the file's {@code set}; a key that each
     *                    cell sets ({@link #CELL_KEYS}) is refused
     */
    public static GridSpec read(Path file, List<String> commandLine) {
        for (String o : commandLine) {
            String key = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
            if (CELL_KEYS.contains(key)) {
                throw new SemisegException("--set " + key + ": every run of the grid sets " + String.join(", ", CELL_KEYS)
                        + " itself (from its group's methods and ratios and the seeds); change them in the grid file");
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new SemisegException("grid file " + file + " does not exist");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new SemisegException("grid file " + file + " is not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new SemisegException("grid file " + file + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SemisegException("grid file " + file + ": expected a mapping with keys " + KEYS);
        }
        unknownKeys(file, root, KEYS, "");
        Path base = file.toAbsolutePath().getParent();
        String name = text(file, root, "name", fileStem(file));
        String config = text(file, root, "config", null);
        Path out = beside(file, text(file, root, "out", "out/" + name));
        Path results = root.hasNonNull("results") ? beside(file, text(file, root, "results", null)) : out;
        String testSplit = text(file, root, "test_split", "test");
        List<Long> seeds = seeds(file, root.get("seeds"), "seeds", List.of(1L));
        List<String> gridOverrides = overrides(file, root.get("set"), base);
        List<String> overrides = new ArrayList<>(gridOverrides);
        overrides.addAll(commandLine);
        JsonNode groups = root.get("groups");
        if (groups == null || !groups.isArray() || groups.isEmpty()) {
            throw new SemisegException("grid file " + file + ": key 'groups' must be a non-empty list of "
                    + "{methods: [...], ratios: [...], seeds: [...]}");
        }
        // groups in the order listed; within a group seed by seed (every method of the first split before the next
        // split), so that a grid stopped early has compared its methods on the same splits
        Map<String, Cell> cells = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            String where = "groups[" + g + "]";
            if (!group.isObject()) {
                throw new SemisegException("grid file " + file + ": " + where + " must be a mapping");
            }
            unknownKeys(file, group, GROUP_KEYS, where + ".");
            List<String> methods = strings(file, group.get("methods"), where + ".methods");
            List<String> ratios = strings(file, group.get("ratios"), where + ".ratios");
            for (long seed : seeds(file, group.get("seeds"), where + ".seeds", seeds)) {
                for (String ratio : ratios) {
                    for (String method : methods) {
                        Cell cell = new Cell(method, ratio, seed, g);
                        cells.putIfAbsent(cell.runName(), cell);
                    }
                }
            }
        }
        return new GridSpec(file, name, config == null ? null : beside(file, config), List.copyOf(overrides), out, results,
                testSplit, List.copyOf(cells.values()), List.copyOf(gridOverrides));
    }

    /** A path of the grid file: absolute as written, else below the grid file's folder (normalised, relative if that is). */
    static Path beside(Path file, String path) {
        Path p = Path.of(path);
        if (p.isAbsolute()) {
            return p.normalize();
        }
        Path folder = file.getParent();
        Path resolved = (folder == null ? p : folder.resolve(p)).normalize();
        return resolved.toString().isEmpty() ? Path.of(".") : resolved;
    }

    private static void unknownKeys(Path file, JsonNode node, Set<String> allowed, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new SemisegException("grid file " + file + ": unknown key '" + prefix + key + "' (allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String text(Path file, JsonNode root, String key, String fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode() || node.asText().isBlank()) {
            throw new SemisegException("grid file " + file + ": key '" + key + "' must be a non-empty text");
        }
        return node.asText();
    }

    private static List<String> strings(Path file, JsonNode node, String key) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new SemisegException("grid file " + file + ": key '" + key + "' must be a non-empty list");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isValueNode() || item.asText().isBlank()) {
                throw new SemisegException("grid file " + file + ": key '" + key + "' must hold plain values (got " + item + ")");
            }
            out.add(item.asText());
        }
        return out;
    }

    private static List<Long> seeds(Path file, JsonNode node, String key, List<Long> fallback) {
        if (node == null) {
            return fallback;
        }
        List<Long> out = new ArrayList<>();
        for (String s : strings(file, node, key)) {
            try {
                out.add(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new SemisegException("grid file " + file + ": key '" + key + "' must list whole numbers (got '" + s + "')");
            }
        }
        return out;
    }

    private static List<String> overrides(Path file, JsonNode set, Path base) {
        List<String> out = new ArrayList<>();
        if (set == null || set.isNull()) {
            return out;
        }
        if (!set.isObject()) {
            throw new SemisegException("grid file " + file + ": key 'set' must map config keys to values, e.g. train.iterations: 2000");
        }
        JsonNode resolved = set.deepCopy();
        resolvePaths((com.fasterxml.jackson.databind.node.ObjectNode) resolved, "", base);
        for (Iterator<Map.Entry<String, JsonNode>> it = resolved.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            // JSON is YAML: the value goes through the same parser as --set KEY=VALUE
            out.add(e.getKey() + "=" + e.getValue().toString());
        }
        return out;
    }

    /** Makes the relative paths among {@link #PATH_KEYS} (dotted or nested) absolute against the grid file's folder. */
    private static void resolvePaths(com.fasterxml.jackson.databind.node.ObjectNode node, String prefix, Path base) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String key : names) {
            JsonNode value = node.get(key);
            String full = prefix + key;
            if (value.isObject()) {
                resolvePaths((com.fasterxml.jackson.databind.node.ObjectNode) value, full + ".", base);
            } else if (PATH_KEYS.contains(full) && value.isTextual() && !value.asText().isBlank()
                    && !Path.of(value.asText()).isAbsolute()) {
                node.put(key, base.resolve(value.asText()).normalize().toString());
            }
        }
    }

    private static String fileStem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
