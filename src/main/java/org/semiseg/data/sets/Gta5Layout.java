package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import org.semiseg.SemisegException;

/**
 * GTA5 (Richter et al., "Playing for Data"): {@code images/<x>.png} and {@code labels/<x>.png} whose values are
 * Cityscapes label ids, mapped to the 19 Cityscapes training classes exactly as in {@link CityscapesLayout}. One split,
 * {@code train}, with every image. {@link #valSplit()} is {@code train} only because the dataset has nothing else:
 * the usual domain-adaptation protocol trains on GTA5 and validates on Cityscapes {@code val}.
 */
public final class Gta5Layout extends BuiltInLayout {
    private static final List<String> SPLITS = List.of("train");
    private static final String EXPECTED = "images/<name>.png and labels/<name>.png";

    public Gta5Layout(Path root) {
        super(root, "gta5", CityscapesLabels.CLASSES, CityscapesLabels.PALETTE, SPLITS, "train", "train",
                CityscapesLabels.VALUES, EXPECTED);
    }

    @Override
    public Listing list(String split) {
        requireSplit(split);
        return listFlat("images", "labels");
    }

    @Override
    public String maskFor(String imageRelPath) {
        if (!imageRelPath.startsWith("images/") || imageRelPath.indexOf('/', "images/".length()) >= 0) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not in the images/ folder of " + root);
        }
        return "labels/" + FileLists.stripExtension(FileLists.fileName(imageRelPath)) + ".png";
    }
}
