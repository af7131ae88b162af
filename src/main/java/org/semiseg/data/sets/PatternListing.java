package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists one split of a folder dataset: reads its folders, names each file's id by the split's patterns, and pairs
 * images with masks by id, either every file of the folders or the ids of the split's list. What cannot be paired
 * becomes a {@link Problem} naming the file.
 */
final class PatternListing {
    /** How an image without a mask is reported (the start of the phrase; {@link PairingHint} looks for it). */
    static final String NO_MASK = "no mask for this image";
    /** How a mask without an image is reported. */
    static final String NO_IMAGE = "mask without an image";
    /** How a file whose name fits no pattern is reported. */
    static final String NO_FIT = "name does not fit";

    private final Path root;
    private final SplitSpecs.Split split;
    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, String> images = new TreeMap<>();
    private final Map<String, String> masks = new TreeMap<>();

    private PatternListing(Path root, SplitSpecs.Split split) {
        this.root = root;
        this.split = split;
    }

    /** The split's pairs and problems; its folders must exist. */
    static Listing list(Path root, SplitSpecs.Split split) {
        return new PatternListing(root, split).list();
    }

    private Listing list() {
        boolean shared = split.masks() != null && split.masks().equals(split.images());
        boolean everyFile = split.ids() == null;
        String imagePrefix = prefix(split.images());
        for (String file : FileLists.files(root, split.images(), true)) {
            String rel = file.substring(imagePrefix.length());
            String imageId = split.imagePattern().id(rel);
            String maskId = shared ? split.maskPattern().id(rel) : null;
            if (imageId != null && maskId != null) {
                // both patterns fit: the one with more literal text is the more specific
                if (split.maskPattern().literalLength() > split.imagePattern().literalLength()) {
                    imageId = null;
                } else {
                    maskId = null;
                }
            }
            if (maskId != null) {
                add(masks, maskId, file, "second mask for the same image as ");
            } else if (imageId != null) {
                add(images, imageId, file, "second image with the same name as ");
            } else if (everyFile && FileLists.isImage(file)) {
                problems.add(new Problem(file, NO_FIT + " images.pattern " + quoted(split.imagePattern())
                        + (shared ? " nor masks.pattern " + quoted(split.maskPattern()) : "") + " (ignored)"));
            }
        }
        if (split.masks() != null && !shared) {
            String maskPrefix = prefix(split.masks());
            for (String file : FileLists.files(root, split.masks(), true)) {
                String id = split.maskPattern().id(file.substring(maskPrefix.length()));
                if (id != null) {
                    add(masks, id, file, "second mask for the same image as ");
                } else if (everyFile && FileLists.isImage(file)) {
                    problems.add(new Problem(file, !FileLists.isPng(file)
                            ? "a mask must be a PNG (JPEG compression changes the label values); ignored"
                            : NO_FIT + " masks.pattern " + quoted(split.maskPattern()) + " (ignored)"));
                }
            }
        }
        List<FilePair> pairs = everyFile ? pairEveryFile() : pairListed();
        pairs.sort(Comparator.comparing(FilePair::image));
        problems.sort(Comparator.comparing(Problem::file));
        return new Listing(pairs, problems);
    }

    private List<FilePair> pairEveryFile() {
        List<FilePair> pairs = new ArrayList<>();
        for (Map.Entry<String, String> image : images.entrySet()) {
            String mask = masks.get(image.getKey());
            if (split.masks() == null) {
                pairs.add(new FilePair(image.getValue(), null));
            } else if (mask == null) {
                problems.add(new Problem(image.getValue(), NO_MASK + " (expected " + expectedMask(image.getKey()) + ")"));
            } else {
                pairs.add(new FilePair(image.getValue(), mask));
            }
        }
        if (split.masks() != null) {
            for (Map.Entry<String, String> mask : masks.entrySet()) {
                if (!images.containsKey(mask.getKey())) {
                    problems.add(new Problem(mask.getValue(), NO_IMAGE + " (expected an image " + expectedImage(mask.getKey()) + ")"));
                }
            }
        }
        return pairs;
    }

    private List<FilePair> pairListed() {
        IdList list = split.ids();
        List<FilePair> pairs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < list.ids().size(); i++) {
            String id = idOf(list.ids().get(i));
            Integer before = seen.putIfAbsent(id, i);
            if (before != null) {
                boolean lines = list.lines().get(i) > 0;
                problems.add(new Problem(list.source(), "id " + id + " is listed twice (" + (lines ? "lines " : "entries ")
                        + (lines ? list.lines().get(before) : before + 1) + " and " + (lines ? list.lines().get(i) : i + 1)
                        + "); the second is ignored"));
                continue;
            }
            String image = images.get(id);
            if (image == null) {
                problems.add(new Problem(prefix(split.images()) + split.imagePattern().name(id), "no image of id " + id
                        + ", which " + list.where(i) + " lists (expected " + expectedImage(id) + ")"));
                continue;
            }
            if (split.masks() == null) {
                pairs.add(new FilePair(image, null));
                continue;
            }
            String mask = masks.get(id);
            if (mask == null) {
                problems.add(new Problem(image, NO_MASK + " (expected " + expectedMask(id) + "; id " + id + " from " + list.where(i) + ")"));
            } else {
                pairs.add(new FilePair(image, mask));
            }
        }
        return pairs;
    }

    /**
     * The id a list entry stands for: the entry itself, or, when it names an image file (with an image extension,
     * optionally below the images folder), the id that file's name gives.
     */
    private String idOf(String entry) {
        String e = entry.replace('\\', '/');
        if (!FileLists.isImage(e)) {
            return entry;
        }
        String folder = prefix(split.images());
        String rel = !folder.isEmpty() && e.startsWith(folder) ? e.substring(folder.length()) : e;
        String id = split.imagePattern().id(rel);
        return id != null ? id : FileLists.stripExtension(rel);
    }

    private void add(Map<String, String> byId, String id, String file, String duplicate) {
        String previous = byId.putIfAbsent(id, file);
        if (previous != null) {
            problems.add(new Problem(file, duplicate + previous + " (ignored)"));
        }
    }

    private String expectedMask(String id) {
        return prefix(split.masks()) + split.maskPattern().name(id);
    }

    private String expectedImage(String id) {
        NamePattern p = split.imagePattern();
        String name = prefix(split.images()) + p.name(id);
        return p.extension() != null ? name : name + ", .jpg or .jpeg";
    }

    private static String quoted(NamePattern p) {
        return "\"" + p.text() + "\"";
    }

    static String prefix(String folder) {
        return folder.isEmpty() ? "" : folder + "/";
    }
}
