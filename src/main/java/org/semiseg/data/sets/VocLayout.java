package org.semiseg.data.sets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;

/**
 * Pascal VOC 2012 segmentation, root = the {@code VOC2012} folder of VOCdevkit, with the SBD-augmented masks.
 *
 * <p>Files: images {@code JPEGImages/<stem>.jpg}; official masks {@code SegmentationClass/<stem>.png} (palette PNGs
 * whose index is the class, 255 the ignored object borders); augmented masks {@code SegmentationClassAug/<stem>.png}
 * (8-bit gray class indices, 255 ignored), as distributed with the usual {@code SegmentationClassAug.zip}. 21 classes
 * (background and 20 objects) in the VOC palette.
 *
 * <p>Splits, following the standard semi-supervised protocol:
 * <ul>
 *   <li>{@code train}: the 1,464 stems of {@code ImageSets/Segmentation/train.txt}, official masks;</li>
 *   <li>{@code val}: the 1,449 stems of {@code ImageSets/Segmentation/val.txt}, official masks (validation always
 *       uses these);</li>
 *   <li>{@code train_aug}: the 10,582 images of the augmented training set with their {@code SegmentationClassAug}
 *       masks: the stems of {@code ImageSets/SegmentationAug/train_aug.txt} if that file exists (lines are stems or
 *       {@code /JPEGImages/x.jpg /SegmentationClassAug/x.png} pairs), otherwise every mask in
 *       {@code SegmentationClassAug} whose stem is not in {@code val.txt}. A {@code train_aug.txt} stem that is also
 *       in {@code val.txt} is reported as a problem (it would leak validation images into training).</li>
 * </ul>
 */
public final class VocLayout extends BuiltInLayout {
    /** Class names in index order. */
    public static final List<String> CLASSES = List.of("background", "aeroplane", "bicycle", "bird", "boat", "bottle",
            "bus", "car", "cat", "chair", "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
            "sheep", "sofa", "train", "tvmonitor");
    /** Raw mask value of ignored pixels (object borders and difficult regions). */
    public static final int BORDER = 255;
    private static final List<String> SPLITS = List.of("train", "val", "train_aug");
    private static final String EXPECTED = "the VOC2012 layout JPEGImages/ SegmentationClass/ ImageSets/Segmentation/"
            + " (and SegmentationClassAug/ for train_aug)";
    private static final String AUG_LIST = "ImageSets/SegmentationAug/train_aug.txt";
    private static final Palette PALETTE = Palette.forClasses(CLASSES.size());
    private static final ValueTable VALUES = ValueTable.identity(CLASSES.size(), Set.of(BORDER));

    public VocLayout(Path root) {
        super(root, "voc", CLASSES, PALETTE, SPLITS, "train_aug", "val", VALUES, EXPECTED);
    }

    @Override
    public Listing list(String split) {
        requireSplit(split);
        requireFolder("JPEGImages");
        List<String[]> entries = new ArrayList<>(); // {image, mask, list file or null}
        List<Problem> problems = new ArrayList<>();
        if (split.equals("train_aug")) {
            requireFolder("SegmentationClassAug");
            if (Files.isRegularFile(root.resolve(AUG_LIST))) {
                Set<String> val = Files.isRegularFile(root.resolve(listFile("val"))) ? new LinkedHashSet<>(stems(listFile("val"))) : Set.of();
                for (String line : lines(AUG_LIST)) {
                    String[] tokens = line.split("\\s+");
                    String image = tokens.length >= 2 ? strip(tokens[0]) : "JPEGImages/" + tokens[0] + ".jpg";
                    String mask = tokens.length >= 2 ? strip(tokens[1]) : "SegmentationClassAug/" + tokens[0] + ".png";
                    if (val.contains(FileLists.stripExtension(FileLists.fileName(image)))) {
                        problems.add(new Problem(image, "listed in " + AUG_LIST + " and in " + listFile("val")
                                + " (a validation image must not be trained on)"));
                    }
                    entries.add(new String[] {image, mask, AUG_LIST});
                }
            } else {
                Set<String> val = new LinkedHashSet<>(stems(listFile("val")));
                for (String mask : FileLists.files(root, "SegmentationClassAug", false)) {
                    String stem = FileLists.stripExtension(FileLists.fileName(mask));
                    if (FileLists.isPng(mask) && !val.contains(stem)) {
                        entries.add(new String[] {"JPEGImages/" + stem + ".jpg", mask, null});
                    }
                }
            }
        } else {
            requireFolder("SegmentationClass");
            for (String stem : stems(listFile(split))) {
                entries.add(new String[] {"JPEGImages/" + stem + ".jpg", "SegmentationClass/" + stem + ".png", listFile(split)});
            }
        }
        List<FilePair> pairs = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String[] entry : entries) {
            String image = entry[0];
            String mask = entry[1];
            String listedIn = entry[2];
            if (!seen.add(image)) {
                problems.add(new Problem(image, "listed more than once in " + listedIn + " (used once)"));
                continue;
            }
            boolean hasImage = Files.isRegularFile(root.resolve(image));
            boolean hasMask = Files.isRegularFile(root.resolve(mask));
            if (!hasImage) {
                problems.add(new Problem(listedIn == null ? mask : image, listedIn == null
                        ? "mask without an image (expected " + image + ")"
                        : "listed in " + listedIn + " but missing"));
            } else if (!hasMask) {
                problems.add(new Problem(image, "no mask for this image (expected " + mask + ")"));
            } else {
                pairs.add(new FilePair(image, mask));
            }
        }
        pairs.sort(Comparator.comparing(FilePair::image));
        problems.sort(Comparator.comparing(Problem::file));
        return new Listing(pairs, problems);
    }

    /**
     * {@code SegmentationClass/<stem>.png} if that file exists, else {@code SegmentationClassAug/<stem>.png} if that
     * exists, else the former.
     */
    @Override
    public String maskFor(String imageRelPath) {
        if (!imageRelPath.startsWith("JPEGImages/") || imageRelPath.indexOf('/', "JPEGImages/".length()) >= 0) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not in the JPEGImages/ folder of " + root);
        }
        String stem = FileLists.stripExtension(FileLists.fileName(imageRelPath));
        String official = "SegmentationClass/" + stem + ".png";
        String aug = "SegmentationClassAug/" + stem + ".png";
        return !Files.isRegularFile(root.resolve(official)) && Files.isRegularFile(root.resolve(aug)) ? aug : official;
    }

    private static String listFile(String split) {
        return "ImageSets/Segmentation/" + split + ".txt";
    }

    private void requireFolder(String dir) {
        for (String above : List.of("VOC2012", "VOCdevkit/VOC2012")) {
            if (!Files.isDirectory(root.resolve(dir)) && Files.isDirectory(root.resolve(above))) {
                throw new SemisegException(name() + ": folder " + root.resolve(dir) + " is missing; the root should be the"
                        + " VOC2012 folder, " + root.resolve(above) + " exists");
            }
        }
        FileLists.requireFolder(root, dir, name(), EXPECTED);
    }

    private List<String> stems(String listFile) {
        List<String> stems = new ArrayList<>();
        for (String line : lines(listFile)) {
            String token = line.split("\\s+")[0];
            stems.add(FileLists.stripExtension(FileLists.fileName(strip(token))));
        }
        return stems;
    }

    private List<String> lines(String listFile) {
        Path file = root.resolve(listFile);
        if (!Files.isRegularFile(file)) {
            throw new SemisegException(name() + ": split file " + file + " is missing (expected " + EXPECTED + ")");
        }
        try {
            return Files.readAllLines(file).stream().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new SemisegException(name() + ": cannot read split file " + file + ": " + ImageFiles.oneLine(e), e);
        }
    }

    private static String strip(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
