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
 * and the path keys under a {@code set}, the grid's or a group's: {@value #PATH_KEYS_TEXT}, and the same keys in
 * each entry of {@code data.domains}) are read from the grid
 * file's folder, so a grid can sit beside its data; overrides given on the command line ({@code bench --set}) are read
 * as {@code train --set} reads them, from the working directory.
 *
 * <p>A group may be a <em>variant</em>: {@code tag: NAME} ({@code [a-z0-9][a-z0-9-]*}) with {@code set:}, config
 * overrides of that group's runs alone, e.g. supervised with UniMatch's labeled augmentation or u2pl without its
 * contrastive loss beside the plain runs. A run's config is the base config, then the grid's {@code set}, then its
 * group's {@code set}, then the command line's {@code --set} (so a user's override still wins), then the keys each
 * run sets itself ({@link #CELL_KEYS}, which a group's {@code set} may not change). A variant's run folder is
 * {@code METHOD@TAG-RATIO-sSEED} ({@code supervised@uniweak-1_8-s1}; '@' is in no method name and no tag, so the
 * method and the tag read back unambiguously) and its row in the results {@code METHOD [TAG]}; it is paired by split
 * with plain (untagged) supervised like any method. A tag may serve several groups (other ratios or seeds) when each
 * gives it the same {@code set}; a tag without {@code set} repeats the plain runs under another name. Untagged runs
 * are named as before ({@code memory-bank-1_8-s2}). In a group's {@code set} values, {@value #SEED} becomes each
 * run's seed: an input made per labeled split, such as {@code data.pseudo_masks}.
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
 *   - methods: [supervised]        # a variant: runs supervised@uniweak-1_8-s1..s3, rows "supervised [uniweak]"
 *     ratios: ["1/8"]
 *     tag: uniweak
 *     set:                         # after the grid's set, before --set
 *       augment.labeled: unimatch-weak
 *   - methods: [u2pl]              # u2pl@nocontr-1_8-s1..s3: u2pl without L_c
 *     ratios: ["1/8"]
 *     tag: nocontr
 *     set: {method.u2pl.weights.contr: 0}
 *   - methods: [cct]               # cct@weak-1_8-s1..s3 on pseudo-masks made per split (semiseg weak)
 *     ratios: ["1/8"]
 *     tag: weak
 *     set: {data.weak: all, data.pseudo_masks: "masks/s{seed}"}
 * keep_recorded: false             # true: runs whose folders are gone keep results.json's record (GridRecorded)
 * compare:                         # pairs of rows compared split by split (A - B), as labelled in the results
 *   - [memory-bank, classmix]
 *   - ["u2pl [nocontr]", u2pl]
 * </pre>
 *
 * @param overrides     the grid file's {@code set}, then the command line's {@code --set}: a plain run's overrides
 *                      (the keys each run sets itself aside)
 * @param gridOverrides the grid file's {@code set} alone (its paths made relative to the grid file's folder)
 * @param commandLine   the command line's {@code --set} alone
 * @param compare       the pairs of rows the grid compares directly ({@link GridCompare}); empty when none
 * @param keepRecorded  {@code keep_recorded: true}: a finished run that {@code results.json} records but whose run folder
 *                      is gone is kept as recorded instead of trained again ({@link GridRecorded})
 */
public record GridSpec(Path file, String name, Path config, List<String> overrides, Path out, Path results,
                       String testSplit, List<Cell> cells, List<String> gridOverrides, List<String> commandLine,
                       List<GridCompare> compare, boolean keepRecorded) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> KEYS = Set.of("name", "config", "set", "out", "results", "seeds", "test_split", "groups",
            "compare", "keep_recorded");
    private static final Set<String> GROUP_KEYS = Set.of("methods", "ratios", "seeds", "tag", "set");
    /** What a variant's tag may be: it becomes part of run folder names. */
    private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]*");
    /** Between a method and a variant's tag in a run folder's name: in no method name and no tag. */
    public static final String TAG_SEPARATOR = "@";
    /** Config keys that hold paths: in a grid file's {@code set} they are read from the grid file's folder. */
    public static final List<String> PATH_KEYS = List.of("data.root", "data.spec", "data.split_dir", "data.source.root",
            "data.source.spec", "data.pseudo_masks", "model.pretrained");
    static final String PATH_KEYS_TEXT = "data.root, data.spec, data.split_dir, data.source.root, data.source.spec, data.pseudo_masks, model.pretrained";
    /**
     * In a group's {@code set} values, replaced by each run's seed (its labeled split): an input made per split, such
     * as the pseudo-masks of {@code data.pseudo_masks} ({@code semiseg weak} with that split's data keys).
     */
    public static final String SEED = "{seed}";
    /** Keys each cell sets itself; {@code bench --set} may not change them. */
    public static final List<String> CELL_KEYS = List.of("method.name", "data.labeled", "seed", "data.split_seed");

    /**
     * A group's variant: its tag and its {@code set}.
     *
     * @param set   the group's {@code set} as {@code KEY=VALUE} overrides (paths made relative to the grid file's
     *              folder), applied after the grid's; empty for a tag without {@code set}
     * @param group the index of the first group with this tag
     */
    public record Variant(String tag, List<String> set, int group) {
    }

    /**
     * One run of the grid.
     *
     * @param group   the index of the first group that holds it ({@code groups[i]} of the file)
     * @param variant its group's variant; null for a plain run
     */
    public record Cell(String method, String ratio, long seed, int group, Variant variant) {
        /** A plain run (no variant). */
        public Cell(String method, String ratio, long seed, int group) {
            this(method, ratio, seed, group, null);
        }

        /** The variant's tag; null for a plain run. */
        public String tag() {
            return variant == null ? null : variant.tag();
        }

        /** The run directory's name, e.g. {@code memory-bank-1_8-s2}, or {@code supervised@uniweak-1_8-s2} for a variant. */
        public String runName() {
            return method + (variant == null ? "" : TAG_SEPARATOR + variant.tag()) + "-" + ratio.replace('/', '_') + "-s" + seed;
        }

        /** Its row in the results: the method, with the variant's tag in brackets ({@code supervised [uniweak]}). */
        public String label() {
            return label(method, tag());
        }

        /** {@code METHOD} or {@code METHOD [TAG]}. */
        public static String label(String method, String tag) {
            return tag == null ? method : method + " [" + tag + "]";
        }

        /** The same run (its folder holds the same config), whichever group lists it. */
        boolean sameRun(Cell other) {
            return method.equals(other.method) && ratio.equals(other.ratio) && seed == other.seed
                    && java.util.Objects.equals(tag(), other.tag());
        }

        /** The overrides that make this cell's config from the grid's. */
        List<String> overrides() {
            return List.of("method.name=" + method, "data.labeled=\"" + ratio + "\"", "seed=" + seed,
                    "data.split_seed=" + seed);
        }
    }

    /**
     * The overrides of one cell: the grid's {@code set}, its group's {@code set} (a variant's), the command line's
     * {@code --set}, then the keys the cell sets itself. A plain cell's are the grid's and the command line's, as
     * before variants.
     */
    public List<String> overridesOf(Cell cell) {
        List<String> all = new ArrayList<>(gridOverrides);
        if (cell.variant() != null) {
            for (String o : cell.variant().set()) {
                all.add(o.replace(SEED, Long.toString(cell.seed())));
            }
        }
        all.addAll(commandLine);
        all.addAll(cell.overrides());
        return all;
    }

    /** The grid's variants in the order of their first group (empty when no group has a tag). */
    public List<Variant> variants() {
        List<Variant> out = new ArrayList<>();
        for (Cell c : cells) {
            if (c.variant() != null && !out.contains(c.variant())) {
                out.add(c.variant());
            }
        }
        return out;
    }

    /** The same grid with its run folders and results in {@code folder} (a trial with other settings, say). */
    public GridSpec withOut(Path folder) {
        return new GridSpec(file, name, config, overrides, folder, folder, testSplit, cells, gridOverrides, commandLine,
                compare, keepRecorded);
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
        List<String> gridOverrides = overrides(file, root.get("set"), "set", base);
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
        Map<String, Variant> variants = new LinkedHashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            JsonNode group = groups.get(g);
            String where = "groups[" + g + "]";
            if (!group.isObject()) {
                throw new SemisegException("grid file " + file + ": " + where + " must be a mapping");
            }
            unknownKeys(file, group, GROUP_KEYS, where + ".");
            List<String> methods = strings(file, group.get("methods"), where + ".methods");
            List<String> ratios = strings(file, group.get("ratios"), where + ".ratios");
            Variant variant = variant(file, group, g, base, variants);
            for (long seed : seeds(file, group.get("seeds"), where + ".seeds", seeds)) {
                for (String ratio : ratios) {
                    for (String method : methods) {
                        Cell cell = new Cell(method, ratio, seed, g, variant);
                        Cell before = cells.putIfAbsent(cell.runName(), cell);
                        if (before != null && !before.sameRun(cell)) {
                            throw new SemisegException("grid file " + file + ": " + where + ": run " + cell.runName()
                                    + " would share its folder with another run of groups[" + before.group() + "]");
                        }
                    }
                }
            }
        }
        List<Cell> all = List.copyOf(cells.values());
        return new GridSpec(file, name, config == null ? null : beside(file, config), List.copyOf(overrides), out, results,
                testSplit, all, List.copyOf(gridOverrides), List.copyOf(commandLine),
                GridCompare.read(file, root.get("compare"), all), keepRecorded(file, root));
    }

    /** The {@code keep_recorded} key: true or false (default false). */
    private static boolean keepRecorded(Path file, JsonNode root) {
        JsonNode v = root.get("keep_recorded");
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new SemisegException("grid file " + file + ": key 'keep_recorded' must be true or false (got '"
                    + v.asText() + "')");
        }
        return v.asBoolean();
    }

    /**
     * A group's {@code tag} and {@code set}; null for a plain group. {@code set} needs a tag (run names stay unique),
     * may not change the keys each run sets itself, and a tag used by an earlier group must come with the same set.
     */
    private static Variant variant(Path file, JsonNode group, int g, Path base, Map<String, Variant> seen) {
        String where = "grid file " + file + ": groups[" + g + "]";
        JsonNode set = group.get("set");
        boolean hasSet = set != null && !set.isNull();
        String tag = text(file, group, "tag", null, "groups[" + g + "].tag");
        if (tag == null) {
            if (hasSet) {
                throw new SemisegException(where + ": a group with 'set' needs a 'tag' (a simple name such as uniweak:"
                        + " its runs are named METHOD" + TAG_SEPARATOR + "TAG-RATIO-sSEED beside the plain ones)");
            }
            return null;
        }
        if (!TAG.matcher(tag).matches()) {
            throw new SemisegException(where + ".tag: must be a simple name of lower-case letters, digits and '-',"
                    + " starting with a letter or digit (got '" + tag + "')");
        }
        if (hasSet) {
            String key = cellKeyIn(set, "");
            if (key != null) {
                throw new SemisegException(where + ".set: key '" + key + "' is set by each run itself ("
                        + String.join(", ", CELL_KEYS) + " come from the group's methods, ratios and seeds)");
            }
        }
        Variant variant = new Variant(tag, List.copyOf(overrides(file, set, "groups[" + g + "].set", base)), g);
        Variant before = seen.putIfAbsent(tag, variant);
        if (before == null) {
            return variant;
        }
        if (!before.set().equals(variant.set())) {
            throw new SemisegException(where + ": tag '" + tag + "' is already used by groups[" + before.group()
                    + "] with another 'set'; give this variant another tag");
        }
        return before;
    }

    /** The first of {@link #CELL_KEYS} that a {@code set} mapping (dotted or nested keys) names; null when none. */
    private static String cellKeyIn(JsonNode set, String prefix) {
        if (!set.isObject()) {
            return null;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String full = prefix + e.getKey().trim();
            if (CELL_KEYS.contains(full)) {
                return full;
            }
            String inner = cellKeyIn(e.getValue(), full + ".");
            if (inner != null) {
                return inner;
            }
        }
        return null;
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
        return text(file, root, key, fallback, key);
    }

    private static String text(Path file, JsonNode root, String key, String fallback, String where) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode() || node.asText().isBlank()) {
            throw new SemisegException("grid file " + file + ": key '" + where + "' must be a non-empty text");
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

    private static List<String> overrides(Path file, JsonNode set, String key, Path base) {
        List<String> out = new ArrayList<>();
        if (set == null || set.isNull()) {
            return out;
        }
        if (!set.isObject()) {
            throw new SemisegException("grid file " + file + ": key '" + key + "' must map config keys to values, e.g. train.iterations: 2000");
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
            } else if (full.equals("data.domains") && value.isArray()) {
                // each domain's entry holds data.* keys: its paths too
                for (JsonNode entry : value) {
                    if (entry.isObject()) {
                        resolvePaths((com.fasterxml.jackson.databind.node.ObjectNode) entry, "data.", base);
                    }
                }
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
