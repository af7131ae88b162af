package org.semiseg.data.sets;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.semiseg.SemisegException;

/** Listing dataset folders: relative paths with '/' separators, sorted, hidden files and folders skipped. */
final class FileLists {
    private FileLists() {
    }

    /**
     * Regular files in {@code root/dir} (and its subfolders when {@code recursive}), as paths relative to
     * {@code root}, sorted. Symbolic links to files and folders are followed (datasets are often linked in).
     */
    static List<String> files(Path root, String dir, boolean recursive) {
        Path start = root.resolve(dir);
        List<String> out = new ArrayList<>();
        try {
            Files.walkFileTree(start, EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                    recursive ? Integer.MAX_VALUE : 1, new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                            return !d.equals(start) && hidden(d) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                            // a dangling link arrives with the link's own attributes: list it, the check reports it
                            if (!hidden(f) && (attrs.isRegularFile() || attrs.isSymbolicLink())) {
                                out.add(rel(root, f));
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                            if (e instanceof FileSystemLoopException || Files.isSymbolicLink(f) && !Files.exists(f)) {
                                return FileVisitResult.CONTINUE; // a link cycle or a dangling link: nothing to list
                            }
                            throw e;
                        }
                    });
        } catch (IOException e) {
            throw new SemisegException("cannot list folder " + start + ": " + ImageFiles.oneLine(e), e);
        }
        Collections.sort(out);
        return out;
    }

    /**
     * Pairs images and masks that share a key (e.g. the file name without folder and extension). Images without a
     * mask and masks without an image become problems; of two images (or masks) with the same key the first is kept
     * and the second reported.
     *
     * @param expectedMask  the mask path to name in "no mask for this image (expected ...)"
     * @param expectedImage the image path to name in "mask without an image (expected ...)"
     */
    static Listing pairByKey(List<String> images, List<String> masks, Function<String, String> imageKey,
                             Function<String, String> maskKey, Function<String, String> expectedMask,
                             Function<String, String> expectedImage) {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> maskByKey = new HashMap<>();
        for (String mask : masks) {
            String previous = maskByKey.putIfAbsent(maskKey.apply(mask), mask);
            if (previous != null) {
                problems.add(new Problem(mask, "second mask for the same image as " + previous + " (ignored)"));
            }
        }
        Map<String, String> imageByKey = new HashMap<>();
        List<FilePair> pairs = new ArrayList<>();
        for (String image : images) {
            String key = imageKey.apply(image);
            String previous = imageByKey.putIfAbsent(key, image);
            if (previous != null) {
                problems.add(new Problem(image, "second image with the same name as " + previous + " (ignored)"));
                continue;
            }
            String mask = maskByKey.get(key);
            if (mask == null) {
                problems.add(new Problem(image, "no mask for this image (expected " + expectedMask.apply(image) + ")"));
            } else {
                pairs.add(new FilePair(image, mask));
            }
        }
        for (String mask : masks) {
            if (!imageByKey.containsKey(maskKey.apply(mask)) && mask.equals(maskByKey.get(maskKey.apply(mask)))) {
                problems.add(new Problem(mask, "mask without an image (expected " + expectedImage.apply(mask) + ")"));
            }
        }
        pairs.sort(java.util.Comparator.comparing(FilePair::image));
        problems.sort(java.util.Comparator.comparing(Problem::file));
        return new Listing(pairs, problems);
    }

    /** {@code file} relative to {@code root} with '/' separators. */
    static String rel(Path root, Path file) {
        return root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
    }

    /** Lower-case extension without the dot, "" if none. */
    static String extension(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    /** The path without its extension. */
    static String stripExtension(String path) {
        int slash = path.lastIndexOf('/');
        int dot = path.lastIndexOf('.');
        return dot > slash + 1 ? path.substring(0, dot) : path;
    }

    /** The last path element. */
    static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static boolean isImage(String path) {
        String ext = extension(path);
        return ext.equals("png") || ext.equals("jpg") || ext.equals("jpeg");
    }

    static boolean isPng(String path) {
        return extension(path).equals("png");
    }

    /**
     * Throws unless {@code root/dir} is a folder.
     *
     * @param expected the layout, e.g. "train/ trainannot/ val/ valannot/ test/ testannot/"
     */
    static void requireFolder(Path root, String dir, String dataset, String expected) {
        Path folder = root.resolve(dir);
        if (!Files.isDirectory(folder)) {
            throw new SemisegException(dataset + ": folder " + folder + (Files.exists(folder) ? " is not a folder" : " is missing")
                    + " (expected " + expected + " under " + root + ")");
        }
    }

    /** Throws the message for a split name the layout does not have. */
    static SemisegException unknownSplit(String dataset, String split, List<String> splits) {
        return new SemisegException(dataset + " has no split '" + split + "' (splits: " + String.join(", ", splits) + ")");
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
