package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;

/**
 * GTA5 (Richter et al., "Playing for Data"): {@code images/<x>.png} and {@code labels/<x>.png} whose values are
 * Cityscapes label ids, mapped to the 19 Cityscapes training classes exactly as in {@link CityscapesLayout}. One split,
 * {@code train}, with every image. {@link #valSplit()} is {@code train} only because the dataset has nothing else:
 * the usual domain-adaptation protocol trains on GTA5 and validates on Cityscapes {@code val}.
 */
public final class Gta5Layout implements DatasetLayout {
    private static final List<String> SPLITS = List.of("train");
    private static final String EXPECTED = "images/<name>.png and labels/<name>.png";

    private final Path root;

    public Gta5Layout(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "gta5";
    }

    @Override
    public List<String> classNames() {
        return CityscapesLabels.CLASSES;
    }

    @Override
    public Palette palette() {
        return CityscapesLabels.PALETTE;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<String> splitNames() {
        return SPLITS;
    }

    @Override
    public String trainSplit() {
        return "train";
    }

    /** {@code train}; domain adaptation from GTA5 validates on Cityscapes instead. */
    @Override
    public String valSplit() {
        return "train";
    }

    @Override
    public Listing list(String split) {
        if (!SPLITS.contains(split)) {
            throw FileLists.unknownSplit(name(), split, SPLITS);
        }
        FileLists.requireFolder(root, "images", name(), EXPECTED);
        FileLists.requireFolder(root, "labels", name(), EXPECTED);
        List<String> images = FileLists.files(root, "images", false).stream().filter(FileLists::isImage).toList();
        List<String> masks = FileLists.files(root, "labels", false).stream().filter(FileLists::isImage).toList();
        return FileLists.pairByKey(images, masks,
                image -> FileLists.stripExtension(FileLists.fileName(image)),
                mask -> FileLists.stripExtension(FileLists.fileName(mask)),
                this::maskFor,
                mask -> "images/" + FileLists.fileName(mask));
    }

    @Override
    public String maskFor(String imageRelPath) {
        if (!imageRelPath.startsWith("images/") || imageRelPath.indexOf('/', "images/".length()) >= 0) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not in the images/ folder of " + root);
        }
        return "labels/" + FileLists.stripExtension(FileLists.fileName(imageRelPath)) + ".png";
    }

    @Override
    public MaskReading readMask(Path file, int ignoreIndex) {
        return CityscapesLabels.VALUES.read(file, ignoreIndex, name());
    }
}
