package org.semiseg.data.sets;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.semiseg.SemisegException;

/**
 * The {@code images}, {@code masks} and {@code splits} keys of a dataset spec, read into one {@link Split} per split.
 * A split is either a pair of folders ({@code {images: DIR, masks: DIR}}: every file in them) or a list of ids
 * ({@code {ids: FILE}}: the files of those ids in the top-level {@code images.dir} and {@code masks.dir}); file
 * names follow the top-level patterns either way.
 */
final class SplitSpecs {
    static final List<String> SPLIT_KEYS = List.of("images", "masks", "ids");
    static final List<String> FILES_KEYS = List.of("dir", "pattern");

    /**
     * One split.
     *
     * @param images       folder of its images, relative to the root ("" for the root)
     * @param imagePattern how image files are named
     * @param masks        folder of its masks; null for a split without masks
     * @param maskPattern  how mask files are named
     * @param ids          the ids it holds; null for every file of its folders
     */
    record Split(String images, NamePattern imagePattern, String masks, NamePattern maskPattern, IdList ids) {
    }

    /** A top-level {@code images:} or {@code masks:} entry: folder, pattern, and whether the spec gave it. */
    private record Where(String dir, NamePattern pattern, boolean given) {
    }

    private final SpecReader r;
    private final Path root;

    private SplitSpecs(SpecReader reader, Path root) {
        this.r = reader;
        this.root = root;
    }

    /** Reads the splits of {@code tree} (a validated spec's top level). */
    static Map<String, Split> read(SpecReader reader, JsonNode tree, Path root) {
        return new SplitSpecs(reader, root).splits(tree);
    }

    private Map<String, Split> splits(JsonNode tree) {
        Where images = files(tree.get("images"), "images", false);
        Where masks = files(tree.get("masks"), "masks", true);
        JsonNode node = r.required(tree, "splits", "the folders of each split, e.g. splits: {train: {images: images/train,"
                + " masks: masks/train}}, or the ids of each: splits: {train: {ids: train.txt}}");
        Map<String, Split> splits = new LinkedHashMap<>();
        if (node.isTextual()) {
            // one YAML/JSON file mapping each split name to its ids
            String file = r.text(node, "splits");
            Map<String, IdList> lists = readIds(file, "splits");
            if (lists.containsKey(null) || lists.isEmpty()) {
                throw r.fail("key 'splits' names " + file + ", which must map split names to lists of ids (e.g. {train: [...], test: [...]})");
            }
            for (Map.Entry<String, IdList> e : lists.entrySet()) {
                splits.put(e.getKey(), idSplit(e.getKey(), images, masks, e.getValue(), "splits"));
            }
            return Collections.unmodifiableMap(splits);
        }
        if (!node.isObject() || node.isEmpty()) {
            throw r.fail("key 'splits' must map split names to {images: FOLDER, masks: FOLDER} or {ids: FILE}, or name a"
                    + " YAML/JSON file of ids per split, got " + SpecReader.kind(node));
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String split = field.getKey();
            String key = "splits." + split;
            JsonNode value = field.getValue();
            if (!value.isObject()) {
                throw r.fail("key '" + key + "' must be a mapping {images: FOLDER, masks: FOLDER} or {ids: FILE}, got " + SpecReader.kind(value));
            }
            r.allowOnly(value, key + ".", SPLIT_KEYS);
            IdList ids = value.hasNonNull("ids") ? ids(value.get("ids"), key + ".ids", split) : null;
            if (ids == null && !value.hasNonNull("images")) {
                throw r.fail("missing key '" + key + ".images' (the folder of this split's images, relative to the dataset"
                        + " root; or ids: a file listing the split's image ids)");
            }
            String imageDir = value.hasNonNull("images") ? r.folder(value.get("images"), key + ".images") : images.dir();
            String maskDir;
            if (value.has("masks")) {
                maskDir = value.get("masks").isNull() ? null : r.folder(value.get("masks"), key + ".masks");
            } else if (ids == null) {
                maskDir = null;  // a folder split without masks: images only
            } else if (masks.given()) {
                maskDir = masks.dir();
            } else {
                throw r.fail("key '" + key + ".ids' lists ids, but no masks folder is known: add masks: {dir: FOLDER} at the"
                        + " top level (or masks: null to this split when it has no masks)");
            }
            splits.put(split, checked(key, new Split(imageDir, images.pattern(), maskDir, masks.pattern(), ids)));
        }
        return Collections.unmodifiableMap(splits);
    }

    private Split idSplit(String name, Where images, Where masks, IdList ids, String key) {
        if (!masks.given()) {
            throw r.fail("key '" + key + "' lists ids per split, but no masks folder is known: add masks: {dir: FOLDER} at the top level");
        }
        return checked(key, new Split(images.dir(), images.pattern(), masks.dir(), masks.pattern(), ids));
    }

    /** Refuses images and masks in one folder under names that cannot tell them apart. */
    private Split checked(String key, Split s) {
        if (s.masks() != null && s.masks().equals(s.images())) {
            NamePattern i = s.imagePattern();
            NamePattern m = s.maskPattern();
            boolean sameNames = i.prefix().equals(m.prefix()) && i.suffix().equals(m.suffix())
                    && (i.extension() == null || m.extension() == null || i.extension().equals(m.extension()));
            if (sameNames) {
                throw r.fail(key + ": images and masks share the folder '" + (s.images().isEmpty() ? "." : s.images())
                        + "' and the name pattern " + i.text() + ": give images.pattern and masks.pattern that tell them"
                        + " apart (e.g. \"{id}_rgb.png\" and \"{id}_label.png\")");
            }
        }
        return s;
    }

    private Where files(JsonNode node, String key, boolean masks) {
        if (node == null || node.isNull()) {
            return new Where("", NamePattern.plain(masks), false);
        }
        if (node.isTextual()) {
            return new Where(r.folder(node, key), NamePattern.plain(masks), true);
        }
        if (!node.isObject()) {
            throw r.fail("key '" + key + "' must be a mapping {dir: FOLDER, pattern: \"{id}...\"}, got " + SpecReader.kind(node));
        }
        r.allowOnly(node, key + ".", FILES_KEYS);
        String dir = node.hasNonNull("dir") ? r.folder(node.get("dir"), key + ".dir") : "";
        NamePattern pattern = NamePattern.plain(masks);
        if (node.hasNonNull("pattern")) {
            String[] error = new String[1];
            pattern = NamePattern.parse(r.text(node.get("pattern"), key + ".pattern"), masks, error);
            if (pattern == null) {
                throw r.fail("key '" + key + ".pattern' " + error[0]);
            }
        }
        return new Where(dir, pattern, true);
    }

    private IdList ids(JsonNode node, String key, String split) {
        if (node.isArray()) {
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                ids.add(r.text(node.get(i), key + "[" + i + "]"));
            }
            return new IdList(key + " in " + r.file.getFileName(), ids, Collections.nCopies(ids.size(), 0));
        }
        String file = r.text(node, key);
        Map<String, IdList> lists = readIds(file, key);
        if (lists.containsKey(null)) {
            return lists.get(null);
        }
        IdList own = lists.get(split);
        if (own == null) {
            throw r.fail("key '" + key + "' names " + file + ", a mapping without a list for split '" + split + "' (it has: "
                    + String.join(", ", lists.keySet()) + ")");
        }
        return own;
    }

    /** Reads an id file named relative to the root: text lines, or a YAML/JSON list or mapping. */
    private Map<String, IdList> readIds(String file, String key) {
        Path path = root.resolve(file);
        try {
            if (IdList.structured(file)) {
                return IdList.structured(path, file);
            }
            Map<String, IdList> one = new LinkedHashMap<>();
            one.put(null, IdList.text(path, file));
            return one;
        } catch (NoSuchFileException e) {
            throw r.fail("key '" + key + "' names " + file + ", which does not exist under " + root);
        } catch (IOException e) {
            throw r.fail("key '" + key + "' names " + file + ", which cannot be read: " + ImageFiles.oneLine(e));
        } catch (SemisegException e) {
            throw r.fail(e.getMessage());
        }
    }
}
