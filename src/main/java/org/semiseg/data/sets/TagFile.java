package org.semiseg.data.sets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.semiseg.SemisegException;

/**
 * A folder dataset's own image-level labels (tags), as {@code dataset.yaml}'s {@code tags:} names them:
 * <ul>
 *   <li>a CSV file, one image a line: {@code image,class1;class2} (the image's path relative to the dataset root, or
 *       its file name, with or without extension, when that names one image; its classes by name, separated by
 *       {@code ;}, none for an image that shows only the background). Blank lines and lines starting with
 *       {@code #} are skipped, and so is a first line whose first field is {@code image} (a header). Fields may be
 *       quoted with {@code "};</li>
 *   <li>a folder with one subfolder per class: a file {@code <tags>/<class>/<name>} tags the image {@code <name>}
 *       (named as in the CSV: a path relative to the dataset root or a file name) with that class. The files may be
 *       copies of the images, links to them or empty files: only their names are read.</li>
 * </ul>
 * Reading collects problems rather than stopping at the first, one {@link Problem} each, naming the line or file:
 * an unknown class, a malformed or repeated line, a file outside the class folders; {@link #resolve} adds the images
 * that do not exist.
 */
public final class TagFile {
    /**
     * One image's tags as written.
     *
     * @param image   the image as named (a path relative to the root, or a file name)
     * @param classes class indices, sorted, without repeats
     * @param where   where it was read ({@code tags.csv line 4}, {@code tags/car/x.png})
     */
    public record Entry(String image, List<Integer> classes, String where) {
    }

    /** The entries and what was wrong with the rest. */
    public record Read(List<Entry> entries, List<Problem> problems) {
    }

    /**
     * Tags resolved to the images of the dataset.
     *
     * @param tags     image path (relative to the root) to its class indices, sorted by path
     * @param problems entries naming no image, or an ambiguous one
     */
    public record Resolved(Map<String, List<Integer>> tags, List<Problem> problems) {
    }

    private TagFile() {
    }

    /**
     * Reads {@code source} (a CSV file or a folder of class folders) under {@code root}.
     *
     * @param source  as {@code dataset.yaml} names it, relative to the root
     * @param classes the dataset's class names in index order
     * @throws SemisegException when the file or folder cannot be read at all
     */
    public static Read read(Path root, String source, List<String> classes) {
        Path path = root.resolve(source);
        return Files.isDirectory(path) ? folders(root, source, classes) : csv(path, source, classes);
    }

    /** The CSV form; every problem names {@code source line N}. */
    static Read csv(Path file, String source, List<String> classes) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SemisegException("tags file " + file + " cannot be read: " + ImageFiles.oneLine(e));
        }
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1);
            int comma = line.indexOf(',');
            String image = unquote(comma < 0 ? line : line.substring(0, comma));
            if (first && image.equalsIgnoreCase("image")) {
                first = false;
                continue;  // a header
            }
            first = false;
            if (comma < 0) {
                problems.add(new Problem(where, "expected 'image,class1;class2' (a comma after the image), got '"
                        + shown(line) + "'"));
                continue;
            }
            if (image.isEmpty() || image.chars().anyMatch(Character::isISOControl)) {
                problems.add(new Problem(where, "'" + shown(image) + "' is not an image name"));
                continue;
            }
            String[] names = unquote(line.substring(comma + 1)).split(";");
            List<String> given = new ArrayList<>();
            for (String n : names) {
                if (!unquote(n).isEmpty()) {
                    given.add(unquote(n));
                }
            }
            Entry entry = entry(image, given, where, classes, problems);
            String before = seen.putIfAbsent(image, where);
            if (before != null) {
                problems.add(new Problem(where, "image " + image + " is listed again (first at " + before + ")"));
            } else if (entry != null) {
                entries.add(entry);
            }
        }
        return new Read(entries, problems);
    }

    /** The folder form: {@code <source>/<class>/<image name>}. */
    static Read folders(Path root, String source, List<String> classes) {
        String base = source.endsWith("/") ? source : source + "/";
        List<Problem> problems = new ArrayList<>();
        Map<String, TreeSet<Integer>> byImage = new LinkedHashMap<>();
        Map<String, String> where = new HashMap<>();
        for (String file : FileLists.files(root, source, true)) {
            String below = file.substring(base.length());
            int slash = below.indexOf('/');
            if (slash < 0) {
                problems.add(new Problem(file, "is not in a class folder (tags folders hold one folder per class: "
                        + base + "<class>/<image>)"));
                continue;
            }
            String name = below.substring(0, slash);
            int c = classes.indexOf(name);
            if (c < 0) {
                problems.add(new Problem(file, "folder '" + name + "' is not a class (classes: " + String.join(", ", classes) + ")"));
                continue;
            }
            String image = below.substring(slash + 1);
            byImage.computeIfAbsent(image, k -> new TreeSet<>()).add(c);
            where.putIfAbsent(image, file);
        }
        List<Entry> entries = new ArrayList<>();
        byImage.forEach((image, cs) -> entries.add(new Entry(image, List.copyOf(cs), where.get(image))));
        return new Read(entries, problems);
    }

    private static Entry entry(String image, List<String> names, String where, List<String> classes, List<Problem> problems) {
        TreeSet<Integer> found = new TreeSet<>();
        boolean ok = true;
        for (String name : names) {
            int c = classes.indexOf(name);
            if (c < 0) {
                problems.add(new Problem(where, "class '" + shown(name) + "' is not in classes (" + String.join(", ", classes) + ")"));
                ok = false;
            }
            found.add(c);
        }
        return ok ? new Entry(image, List.copyOf(found), where) : null;
    }

    /**
     * Finds the image each entry names: a path among {@code images} (relative to the root), else the one image of
     * {@code images} with that file name (with or without its extension). An entry that names an existing file
     * outside {@code images} (a validation image, say) is left out quietly; one that names nothing is a problem, and
     * so is a name that fits several images, or two entries for one image.
     *
     * @param images the images tags may belong to, as paths relative to {@code root}
     */
    public static Resolved resolve(Read read, Collection<String> images, Path root) {
        Map<String, List<String>> byName = new HashMap<>();
        for (String image : images) {
            String name = image.substring(image.lastIndexOf('/') + 1);
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(image);
            int dot = name.lastIndexOf('.');
            if (dot > 0) {
                byName.computeIfAbsent(name.substring(0, dot), k -> new ArrayList<>()).add(image);
            }
        }
        java.util.Set<String> all = new java.util.HashSet<>(images);
        Map<String, List<Integer>> tags = new java.util.TreeMap<>();
        Map<String, String> from = new HashMap<>();
        List<Problem> problems = new ArrayList<>(read.problems());
        for (Entry e : read.entries()) {
            String image = e.image();
            if (!all.contains(image)) {
                List<String> named = image.contains("/") ? List.of() : byName.getOrDefault(image, List.of());
                if (named.size() > 1) {
                    problems.add(new Problem(e.where(), "'" + image + "' fits " + named.size() + " images (" + named.get(0) + ", "
                            + named.get(1) + (named.size() > 2 ? ", ..." : "") + "): give its path relative to the dataset root"));
                    continue;
                }
                if (named.isEmpty()) {
                    if (!Files.isRegularFile(root.resolve(image))) {
                        problems.add(new Problem(e.where(), "image " + shown(image) + " does not exist under " + root));
                    }
                    continue;
                }
                image = named.get(0);
            }
            String before = from.putIfAbsent(image, e.where());
            if (before != null) {
                problems.add(new Problem(e.where(), "tags image " + image + " again (first at " + before + ")"));
                continue;
            }
            tags.put(image, e.classes());
        }
        return new Resolved(tags, problems);
    }

    private static String unquote(String field) {
        String f = field.strip();
        if (f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"")) {
            f = f.substring(1, f.length() - 1).strip();
        }
        return f;
    }

    /** One line, control characters replaced, at most 60 characters. */
    private static String shown(String text) {
        String t = text.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 57) + "..." : t;
    }
}
