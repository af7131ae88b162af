package org.semiseg.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.semiseg.SemisegException;
import org.semiseg.augment.Resampling;
import org.semiseg.config.DataConfig;
import org.semiseg.io.AtomicFiles;
import org.semiseg.io.Images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A folder of pseudo-masks of tagged images, as {@code semiseg weak} writes it and {@code data.pseudo_masks} reads it:
 * {@value #INDEX} lists each image by its sample id (the image path relative to the dataset root for datasets on
 * disk) with its mask file (an 8-bit label PNG under {@value #MASKS}/: a class index where the pseudo-mask labels
 * the pixel, the index's {@code ignore_index} elsewhere) and its tags; it also records the class names, so a folder
 * made for another dataset is refused. Masks are at the size the images were loaded at ({@code data.resize}); a
 * run that loads them at another size resamples them (nearest).
 */
public final class PseudoMasks {
    /** The index file. */
    public static final String INDEX = "pseudo-masks.json";
    /** The folder of mask PNGs. */
    public static final String MASKS = "masks";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Map<String, String> files;
    private final int savedIgnore;
    private final int classes;

    private PseudoMasks(Path dir, Map<String, String> files, int savedIgnore, int classes) {
        this.dir = dir;
        this.files = files;
        this.savedIgnore = savedIgnore;
        this.classes = classes;
    }

    /**
     * One image's pseudo-mask, for {@link #writeIndex}.
     *
     * @param id   its sample id
     * @param mask the PNG, relative to the folder
     * @param tags its tags by class name
     */
    public record Entry(String id, String mask, List<String> tags) {
    }

    /** Writes the index of a folder whose mask PNGs are written. */
    public static void writeIndex(Path dir, List<String> classNames, int ignoreIndex, List<Entry> entries) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode names = root.putArray("classes");
        classNames.forEach(names::add);
        root.put("ignore_index", ignoreIndex);
        ArrayNode images = root.putArray("images");
        for (Entry e : entries) {
            ObjectNode item = images.addObject();
            item.put("id", e.id());
            item.put("mask", e.mask());
            ArrayNode tags = item.putArray("tags");
            e.tags().forEach(tags::add);
        }
        AtomicFiles.writeString(dir.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }

    /**
     * Reads the index of {@code dir}; every error starts with {@code data.pseudo_masks: } and names the file.
     *
     * @param classNames the run's classes: the folder must have been made for them
     */
    public static PseudoMasks read(Path dir, List<String> classNames) {
        Path index = dir.resolve(INDEX);
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(index));
        } catch (NoSuchFileException e) {
            throw fail(index + " does not exist (write the pseudo-masks with semiseg weak --out " + dir + ")");
        } catch (IOException e) {
            throw fail(index + " cannot be read: " + oneLine(e.getMessage()));
        }
        if (root == null || !root.isObject() || !root.path("classes").isArray() || !root.path("images").isArray()
                || !root.path("ignore_index").canConvertToInt()) {
            throw fail(index + " is damaged: it needs classes, ignore_index and images");
        }
        List<String> saved = new ArrayList<>();
        root.get("classes").forEach(n -> saved.add(n.asText()));
        if (!saved.equals(classNames)) {
            throw fail(index + " was made for the classes " + saved + ", not this dataset's " + classNames);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (JsonNode item : root.get("images")) {
            String id = item.path("id").asText("");
            String mask = item.path("mask").asText("");
            if (id.isEmpty() || !inside(mask)) {
                throw fail(index + " is damaged: an entry needs an id and a mask file inside the folder (got "
                        + shown(item.toString()) + ")");
            }
            if (files.put(id, mask) != null) {
                throw fail(index + " lists " + shown(id) + " twice");
            }
            if (!Files.isRegularFile(dir.resolve(mask))) {
                throw fail(index + ": the pseudo-mask of " + shown(id) + ", " + mask + ", does not exist");
            }
        }
        return new PseudoMasks(dir, files, root.get("ignore_index").asInt(), classNames.size());
    }

    /**
     * The pseudo-masks a run's unlabeled batches carry: the tagged images' ({@code data.pseudo_masks}) when its method
     * learns from them; null when it does not, or when the run tags no image.
     *
     * @param wanted whether the method learns from pseudo-masks ({@code Method.Inputs.weakLabels})
     * @param method its name, for messages
     * @throws SemisegException when the method would learn from tags that have no pseudo-masks, when pseudo-masks are
     *                          given without {@code data.weak}, or when they are not the run's tagged images'
     */
    public static PseudoMasks forRun(DataConfig data, DataSplits splits, boolean wanted, String method) {
        if (!wanted) {
            return null;
        }
        if (data.pseudoMasks() != null && !data.tagged()) {
            throw new SemisegException("data.pseudo_masks is set but data.weak is not: set data.weak (and the other data"
                    + " keys) as when the pseudo-masks were made");
        }
        if (!data.tagged()) {
            return null;
        }
        if (data.pseudoMasks() == null) {
            throw new SemisegException("data.weak=" + data.weak() + " tags " + splits.tagged().size() + " images, but"
                    + " data.pseudo_masks is not set: make their pseudo-masks for method " + method + " with semiseg weak"
                    + " (the same config, --out DIR), then train with --set data.pseudo_masks=DIR");
        }
        PseudoMasks masks = read(Path.of(data.pseudoMasks()), splits.train().classNames());
        masks.requireImages(splits.tagged(), data.weak());
        return masks;
    }

    /**
     * Refuses a folder whose images are not the run's tagged images: the pseudo-masks must be made with the run's
     * {@code data.*} keys (the same labeled split, {@code data.weak} and {@code data.split_seed}).
     */
    public void requireImages(TaggedImages tagged, String weak) {
        Set<String> mine = new TreeSet<>(files.keySet());
        Set<String> run = new TreeSet<>(tagged.ids());
        if (mine.equals(run)) {
            return;
        }
        Set<String> missing = new TreeSet<>(run);
        missing.removeAll(mine);
        Set<String> extra = new TreeSet<>(mine);
        extra.removeAll(run);
        String example = !missing.isEmpty() ? "e.g. the tagged image " + shown(missing.iterator().next()) + " has none"
                : "e.g. " + shown(extra.iterator().next()) + " is not a tagged image of this run";
        throw fail(dir + " holds the pseudo-masks of " + mine.size() + " images, but this run tags " + run.size()
                + " (data.weak=" + weak + "): " + example + "; make them with this run's data keys"
                + " (semiseg weak --config ... with the same data.labeled, data.weak, data.split_seed)");
    }

    public Set<String> ids() {
        return files.keySet();
    }

    public Path dir() {
        return dir;
    }

    /**
     * The pseudo-mask of {@code id} at {@code height} x {@code width} (resampled by nearest neighbour when it was made
     * at another size): class indices, {@code ignoreIndex} where it labels nothing.
     *
     * @throws SemisegException when the PNG cannot be read or holds a value that is neither a class nor ignored
     */
    public int[] load(String id, int height, int width, int ignoreIndex) {
        String mask = files.get(id);
        if (mask == null) {
            throw fail(dir + " has no pseudo-mask of " + shown(id));
        }
        Path file = dir.resolve(mask);
        int[] hw = new int[2];
        int[] labels;
        try {
            labels = Images.readMask(file, hw);
        } catch (RuntimeException e) {
            throw fail(file + ": " + oneLine(e.getMessage()));
        }
        for (int i = 0; i < labels.length; i++) {
            int v = labels[i];
            if (v == savedIgnore) {
                labels[i] = ignoreIndex;
            } else if (v < 0 || v >= classes) {
                throw fail(file + ": value " + v + " at pixel (" + i / hw[1] + ", " + i % hw[1] + ") is neither a class (0.."
                        + (classes - 1) + ") nor the ignore index " + savedIgnore);
            }
        }
        return hw[0] == height && hw[1] == width ? labels : Resampling.nearest(labels, hw[0], hw[1], height, width);
    }

    /** A relative path below the folder: no control characters, no '..', not absolute. */
    private static boolean inside(String mask) {
        if (mask.isEmpty() || mask.chars().anyMatch(Character::isISOControl) || mask.contains("..")) {
            return false;
        }
        try {
            return !Path.of(mask).isAbsolute();
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** An id or entry as messages show it: one line, at most 80 characters. */
    private static String shown(String text) {
        String t = oneLine(text);
        return t.length() > 80 ? t.substring(0, 77) + "..." : t;
    }

    private static SemisegException fail(String problem) {
        return new SemisegException("data.pseudo_masks: " + problem);
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").replaceAll("\\p{Cntrl}", "?").trim();
    }
}
