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
public final class CamVidLayout extends BuiltInLayout {
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

    public CamVidLayout(Path root) {
        super(root, "camvid", CLASSES, PALETTE, SPLITS, "train", "val", VALUES, EXPECTED);
    }

    @Override
    public Listing list(String split) {
        requireSplit(split);
        return listFlat(split, split + "annot");
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
}
