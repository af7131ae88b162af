package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;

/**
 * CamVid in the SegNet layout (360x480): {@code train/ trainannot/ val/ valannot/ test/ testannot/} under the root,
 * images and masks with the same file names. Masks are 8-bit gray PNGs with the class index 0..10 (Sky, Building,
 * Pole, Road, Pavement, Tree, SignSymbol, Fence, Car, Pedestrian, Bicyclist); 11 is void and ignored. Splits
 * {@code train} (367), {@code val} (101), {@code test} (233); colours are those of the SegNet tutorial.
 */
public final class CamVidLayout implements DatasetLayout {
    /** Class names in index order. */
    public static final List<String> CLASSES = List.of("Sky", "Building", "Pole", "Road", "Pavement", "Tree",
            "SignSymbol", "Fence", "Car", "Pedestrian", "Bicyclist");
    /** The raw mask value of void pixels. */
    public static final int VOID = 11;
    private static final List<String> SPLITS = List.of("train", "val", "test");
    private static final String EXPECTED = "the SegNet layout train/ trainannot/ val/ valannot/ test/ testannot/";
    private static final Palette PALETTE = Palette.of(new int[][] {
            {128, 128, 128}, {128, 0, 0}, {192, 192, 128}, {128, 64, 128}, {60, 40, 222}, {128, 128, 0},
            {192, 128, 128}, {64, 64, 128}, {64, 0, 128}, {64, 64, 0}, {0, 128, 192}});
    private static final ValueTable VALUES = ValueTable.identity(CLASSES.size(), Set.of(VOID));

    private final Path root;

    public CamVidLayout(Path root) {
        this.root = root;
    }

    @Override
    public String name() {
        return "camvid";
    }

    @Override
    public List<String> classNames() {
        return CLASSES;
    }

    @Override
    public Palette palette() {
        return PALETTE;
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

    @Override
    public String valSplit() {
        return "val";
    }

    @Override
    public Listing list(String split) {
        if (!SPLITS.contains(split)) {
            throw FileLists.unknownSplit(name(), split, SPLITS);
        }
        String annot = split + "annot";
        FileLists.requireFolder(root, split, name(), EXPECTED);
        FileLists.requireFolder(root, annot, name(), EXPECTED);
        List<String> images = FileLists.files(root, split, false).stream().filter(FileLists::isImage).toList();
        List<String> masks = FileLists.files(root, annot, false).stream().filter(FileLists::isImage).toList();
        return FileLists.pairByKey(images, masks,
                image -> FileLists.stripExtension(FileLists.fileName(image)),
                mask -> FileLists.stripExtension(FileLists.fileName(mask)),
                this::maskFor,
                mask -> split + "/" + FileLists.fileName(mask));
    }

    @Override
    public String maskFor(String imageRelPath) {
        int slash = imageRelPath.indexOf('/');
        String split = slash > 0 ? imageRelPath.substring(0, slash) : "";
        if (!SPLITS.contains(split) || imageRelPath.indexOf('/', slash + 1) >= 0) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not in train/, val/ or test/ of " + root);
        }
        return split + "annot/" + FileLists.stripExtension(imageRelPath.substring(slash + 1)) + ".png";
    }

    @Override
    public MaskReading readMask(Path file, int ignoreIndex) {
        return VALUES.read(file, ignoreIndex, name());
    }
}
