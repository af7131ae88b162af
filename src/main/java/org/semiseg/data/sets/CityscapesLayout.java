package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import org.semiseg.SemisegException;

/**
 * Cityscapes (fine annotations): images {@code leftImg8bit/<split>/<city>/<x>_leftImg8bit.png}, masks
 * {@code gtFine/<split>/<city>/<x>_gtFine_labelIds.png}. Label ids are mapped to the 19 training classes by the
 * official cityscapesScripts table (7 road, 8 sidewalk, 11 building, ..., 33 bicycle); every other id 0..33 is
 * ignored (id -1, license plate, is never drawn into the label PNGs), and values above 33 are outside the class set.
 * Splits {@code train} (2,975) and {@code val} (500); colours are the official ones.
 */
public final class CityscapesLayout extends BuiltInLayout {
    private static final List<String> SPLITS = List.of("train", "val");
    private static final String IMAGE_SUFFIX = "_leftImg8bit.png";
    private static final String MASK_SUFFIX = "_gtFine_labelIds.png";
    private static final String EXPECTED = "leftImg8bit/<split>/<city>/<name>" + IMAGE_SUFFIX
            + " and gtFine/<split>/<city>/<name>" + MASK_SUFFIX;

    public CityscapesLayout(Path root) {
        super(root, "cityscapes", CityscapesLabels.CLASSES, CityscapesLabels.PALETTE, SPLITS, "train", "val",
                CityscapesLabels.VALUES, EXPECTED);
    }

    @Override
    public Listing list(String split) {
        requireSplit(split);
        String imageDir = "leftImg8bit/" + split + "/";
        String maskDir = "gtFine/" + split + "/";
        FileLists.requireFolder(root, imageDir, name(), EXPECTED);
        FileLists.requireFolder(root, maskDir, name(), EXPECTED);
        List<String> images = FileLists.files(root, imageDir, true).stream().filter(f -> f.endsWith(IMAGE_SUFFIX)).toList();
        List<String> masks = FileLists.files(root, maskDir, true).stream().filter(f -> f.endsWith(MASK_SUFFIX)).toList();
        return FileLists.pairByKey(images, masks,
                image -> image.substring(imageDir.length(), image.length() - IMAGE_SUFFIX.length()),
                mask -> mask.substring(maskDir.length(), mask.length() - MASK_SUFFIX.length()),
                this::maskFor,
                mask -> imageDir + mask.substring(maskDir.length(), mask.length() - MASK_SUFFIX.length()) + IMAGE_SUFFIX);
    }

    @Override
    public String maskFor(String imageRelPath) {
        if (!imageRelPath.startsWith("leftImg8bit/") || !imageRelPath.endsWith(IMAGE_SUFFIX)) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not named like " + EXPECTED.split(" and ")[0]);
        }
        String inner = imageRelPath.substring("leftImg8bit/".length(), imageRelPath.length() - IMAGE_SUFFIX.length());
        return "gtFine/" + inner + MASK_SUFFIX;
    }
}
