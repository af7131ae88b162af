package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.config.LabeledShare;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.FilePair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Labeled / unlabeled splits of a training set, drawn with a seed or read from split files.
 *
 * <p>The files use the format of the public semi-supervised split lists (those of U2PL, UniMatch and others): one
 * image per line, {@code <image path> <mask path>}, both relative to the dataset root; a line may give the image
 * alone, and the dataset's layout then says where its mask is. Blank lines and lines starting with {@code #} are
 * skipped. {@code labeled.txt} is required; without {@code unlabeled.txt} every other image of the training split is
 * unlabeled.
 */
public final class SplitFiles {
    public static final String LABELED = "labeled.txt";
    public static final String UNLABELED = "unlabeled.txt";
    /** The validation images, when they are not a split of the dataset (carved from the training split). */
    public static final String VAL = "val.txt";
    /** Mixed with the split seed for the draw's generator (the demo's index split uses it too). */
    static final long SPLIT_STREAM = 0x5B117L;
    /** Mixed with {@code data.val_from_train.seed} and each image's path for the carving's ranks. */
    static final long VAL_STREAM = 0x7A1CA7EL;

    private SplitFiles() {
    }

    /** The images that keep their masks and those used without them, each sorted by image path. */
    public record Split(List<FilePair> labeled, List<FilePair> unlabeled) {
        public Split {
            labeled = List.copyOf(labeled);
            unlabeled = List.copyOf(unlabeled);
        }
    }

    /**
     * Draws {@code share} of {@code pool}'s images with masks as the labeled images; every other image of {@code pool} and of
     * {@code extraUnlabeled} (matched by image path) is unlabeled. Pascal VOC's classic protocol passes the 1,464
     * finely annotated images as the pool and the 10,582 augmented ones as the extra unlabeled images.
     *
     * <p>The pool is first sorted by image path, so the draw depends only on the seed and the set of files, not on
     * the order a file system lists them in.
     */
    public static Split draw(List<FilePair> pool, List<FilePair> extraUnlabeled, LabeledShare share, long seed) {
        List<FilePair> sorted = new ArrayList<>(pool.stream().filter(FilePair::labeled).toList());
        if (sorted.isEmpty()) {
            throw new SemisegException("cannot draw a labeled split: the training split has no images with masks");
        }
        List<FilePair> maskless = pool.stream().filter(p -> !p.labeled()).toList();
        sorted.sort(Comparator.comparing(FilePair::image));
        int count = share.of(sorted.size());
        Collections.shuffle(sorted, new Random(Seeds.mix(seed, SPLIT_STREAM)));
        List<FilePair> labeled = new ArrayList<>(sorted.subList(0, count));
        Set<String> taken = new HashSet<>();
        labeled.forEach(p -> taken.add(p.image()));
        Map<String, FilePair> unlabeled = new LinkedHashMap<>();
        for (FilePair p : sorted.subList(count, sorted.size())) {
            unlabeled.put(p.image(), p);
        }
        for (FilePair p : concat(maskless, extraUnlabeled)) {
            if (!taken.contains(p.image())) {
                unlabeled.putIfAbsent(p.image(), p);
            }
        }
        labeled.sort(Comparator.comparing(FilePair::image));
        List<FilePair> rest = new ArrayList<>(unlabeled.values());
        rest.sort(Comparator.comparing(FilePair::image));
        return new Split(labeled, rest);
    }

    /**
     * Validation images carved from a training split: {@code share} of its images with masks, chosen by a rank that
     * depends only on the seed and each image's own path (a hash of both), so the same files and seed always give the
     * same images, and adding or removing other files changes the choice only where the count changes.
     *
     * @return the carved pairs, sorted by image path
     * @throws SemisegException when the split has fewer than two images with masks or the share would take them all
     */
    public static List<FilePair> carve(List<FilePair> train, LabeledShare share, long seed) {
        List<FilePair> labeled = new ArrayList<>(train.stream().filter(FilePair::labeled).toList());
        if (labeled.size() < 2) {
            throw new SemisegException("data.val_from_train: the training split has " + labeled.size() + " image"
                    + (labeled.size() == 1 ? "" : "s") + " with masks; carving validation images needs at least 2");
        }
        int count = share.of(labeled.size());
        if (count >= labeled.size()) {
            throw new SemisegException("data.val_from_train.share takes all " + labeled.size() + " training images with"
                    + " masks; leave some to train on");
        }
        Map<FilePair, Long> rank = new HashMap<>();
        for (FilePair p : labeled) {
            rank.put(p, Seeds.mix(seed, VAL_STREAM, pathHash(p.image())));
        }
        labeled.sort(Comparator.<FilePair>comparingLong(rank::get).thenComparing(FilePair::image));
        List<FilePair> val = new ArrayList<>(labeled.subList(0, count));
        val.sort(Comparator.comparing(FilePair::image));
        return List.copyOf(val);
    }

    /** 64-bit FNV-1a of the path's UTF-8 bytes. */
    private static long pathHash(String path) {
        long h = 0xcbf29ce484222325L;
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }

    /** Writes the validation images to {@code dir/val.txt}, as {@code <image> <mask>} lines. */
    public static void writeVal(Path dir, List<FilePair> val) {
        try {
            Files.createDirectories(dir);
            writeList(dir.resolve(VAL), val);
        } catch (IOException e) {
            org.semiseg.io.OutOfSpace.ifFull(e, dir.resolve(VAL));
            throw new SemisegException("cannot write " + dir.resolve(VAL) + ": " + e.getMessage());
        }
    }

    /**
     * The validation images of {@code dir/val.txt} (every image with its mask), sorted; null when the file is absent.
     * An image there must not be among {@code taken} (the labeled and unlabeled images).
     */
    public static List<FilePair> readVal(Path dir, DatasetLayout layout, Set<String> taken) {
        Path file = dir.resolve(VAL);
        if (!Files.exists(file)) {
            return null;
        }
        Map<String, String> seen = new HashMap<>();
        List<FilePair> val = new ArrayList<>(readList(file, layout, seen, true));
        for (FilePair p : val) {
            if (taken.contains(p.image())) {
                throw new SemisegException(seen.get(p.image()) + ": image " + p.image() + " is also a labeled or unlabeled"
                        + " image of " + dir + "; validation images must be kept out of training");
            }
        }
        val.sort(Comparator.comparing(FilePair::image));
        return val;
    }

    private static List<FilePair> concat(List<FilePair> a, List<FilePair> b) {
        List<FilePair> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** Writes {@code labeled.txt} and {@code unlabeled.txt} into {@code dir} (created if needed). */
    public static void write(Path dir, Split split) {
        try {
            Files.createDirectories(dir);
            writeList(dir.resolve(LABELED), split.labeled());
            writeList(dir.resolve(UNLABELED), split.unlabeled());
        } catch (IOException e) {
            org.semiseg.io.OutOfSpace.ifFull(e, dir);
            throw new SemisegException("cannot write split files to " + dir + ": " + e.getMessage());
        }
    }

    private static void writeList(Path file, List<FilePair> pairs) throws IOException {
        StringBuilder text = new StringBuilder();
        for (FilePair p : pairs) {
            text.append(p.image());
            if (p.mask() != null) {
                text.append(' ').append(p.mask());
            }
            text.append('\n');
        }
        org.semiseg.io.AtomicFiles.writeString(file, text);
    }

    /**
     * Reads the split files of {@code dir}. Every named file must exist under the layout's root; an image listed
     * twice, or both labeled and unlabeled, is refused.
     *
     * @param trainSplit images of the training split, the unlabeled ones when {@code unlabeled.txt} is absent
     */
    public static Split read(Path dir, DatasetLayout layout, List<FilePair> trainSplit) {
        if (!Files.isDirectory(dir)) {
            throw new SemisegException("split folder " + dir + " does not exist (write one with `semiseg data split`)");
        }
        Map<String, String> seen = new HashMap<>();
        List<FilePair> labeled = readList(dir.resolve(LABELED), layout, seen, true);
        if (labeled.isEmpty()) {
            throw new SemisegException(dir.resolve(LABELED) + " lists no images: a run needs at least one labeled image");
        }
        List<FilePair> unlabeled;
        Path unlabeledFile = dir.resolve(UNLABELED);
        if (Files.exists(unlabeledFile)) {
            unlabeled = readList(unlabeledFile, layout, seen, false);
        } else {
            unlabeled = new ArrayList<>();
            for (FilePair p : trainSplit) {
                if (!seen.containsKey(p.image())) {
                    unlabeled.add(p);
                }
            }
        }
        labeled = new ArrayList<>(labeled);
        labeled.sort(Comparator.comparing(FilePair::image));
        unlabeled = new ArrayList<>(unlabeled);
        unlabeled.sort(Comparator.comparing(FilePair::image));
        return new Split(labeled, unlabeled);
    }

    private static List<FilePair> readList(Path file, DatasetLayout layout, Map<String, String> seen, boolean needMasks) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SemisegException("split file " + file + " does not exist");
        } catch (IOException e) {
            throw new SemisegException("cannot read split file " + file + ": " + e.getMessage());
        }
        Path root = layout.root();
        List<FilePair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] tokens = line.split("\\s+");
            if (tokens.length > 2) {
                throw new SemisegException(where + ": expected '<image path> <mask path>', found " + tokens.length + " fields");
            }
            for (String token : tokens) {
                if (!printable(token)) {
                    throw new SemisegException(where + ": '" + token.replaceAll("\\p{Cntrl}", "?")
                            + "' is not a file path (it holds control characters)");
                }
            }
            String image = underRoot(root, tokens[0]);
            String mask;
            try {
                mask = tokens.length == 2 ? underRoot(root, tokens[1]) : layout.maskFor(image);
            } catch (SemisegException e) {
                throw new SemisegException(where + ": " + e.getMessage());
            }
            if (!Files.isRegularFile(root.resolve(image))) {
                throw new SemisegException(where + ": image " + image + " does not exist under " + root);
            }
            if (needMasks && (mask == null || !Files.isRegularFile(root.resolve(mask)))) {
                throw new SemisegException(where + ": mask " + (mask == null ? "of " + image : mask) + " does not exist under " + root);
            }
            if (!needMasks && mask != null && !Files.isRegularFile(root.resolve(mask))) {
                mask = null;
            }
            String before = seen.putIfAbsent(image, where);
            if (before != null) {
                throw new SemisegException(where + ": image " + image + " is already listed at " + before);
            }
            pairs.add(new FilePair(image, mask));
        }
        return pairs;
    }

    /** Whether a path of a split file holds no control character (NUL among them, which no file name may hold). */
    private static boolean printable(String token) {
        return token.chars().noneMatch(Character::isISOControl);
    }

    /**
     * The path relative to {@code root}. Published lists often carry a prefix of the machine they were made on
     * (SegNet's CamVid lists start with {@code /SegNet/CamVid/}): when the path does not exist under the root, its
     * leading folders are dropped one at a time until it does; if none exists, the path is returned as written.
     */
    static String underRoot(Path root, String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        String candidate = p;
        while (!Files.exists(root.resolve(candidate))) {
            int slash = candidate.indexOf('/');
            if (slash < 0) {
                return p;
            }
            candidate = candidate.substring(slash + 1);
        }
        return candidate;
    }
}
