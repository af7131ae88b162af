package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import org.semiseg.data.Palette;

/**
 * What the built-in layouts (CamVid, VOC, Cityscapes, GTA5) share: fixed classes, palette, splits and mask value
 * table; each subclass says only how its files are listed and where an image's mask lies.
 */
abstract class BuiltInLayout implements DatasetLayout {
    private final String name;
    private final List<String> classes;
    private final Palette palette;
    private final List<String> splits;
    private final String trainSplit;
    private final String valSplit;
    private final ValueTable values;
    /** The expected layout, for messages about missing folders. */
    final String expected;
    final Path root;

    BuiltInLayout(Path root, String name, List<String> classes, Palette palette, List<String> splits, String trainSplit,
                  String valSplit, ValueTable values, String expected) {
        this.root = root;
        this.name = name;
        this.classes = classes;
        this.palette = palette;
        this.splits = splits;
        this.trainSplit = trainSplit;
        this.valSplit = valSplit;
        this.values = values;
        this.expected = expected;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final List<String> classNames() {
        return classes;
    }

    @Override
    public final Palette palette() {
        return palette;
    }

    @Override
    public final Path root() {
        return root;
    }

    @Override
    public final List<String> splitNames() {
        return splits;
    }

    @Override
    public String trainSplit() {
        return trainSplit;
    }

    @Override
    public String valSplit() {
        return valSplit;
    }

    @Override
    public final MaskReading readMask(Path file, int ignoreIndex) {
        return values.read(file, ignoreIndex, name);
    }

    /** Refuses a split this layout does not have. */
    final void requireSplit(String split) {
        if (!splits.contains(split)) {
            throw FileLists.unknownSplit(name, split, splits);
        }
    }

    /**
     * A split whose images and masks lie side by side in two flat folders, paired by file name without extension
     * (CamVid, GTA5).
     */
    final Listing listFlat(String imageDir, String maskDir) {
        FileLists.requireFolder(root, imageDir, name, expected);
        FileLists.requireFolder(root, maskDir, name, expected);
        List<String> images = FileLists.files(root, imageDir, false).stream().filter(FileLists::isImage).toList();
        List<String> masks = FileLists.files(root, maskDir, false).stream().filter(FileLists::isImage).toList();
        return FileLists.pairByKey(images, masks,
                image -> FileLists.stripExtension(FileLists.fileName(image)),
                mask -> FileLists.stripExtension(FileLists.fileName(mask)),
                this::maskFor,
                mask -> imageDir + "/" + FileLists.fileName(mask));
    }
}
