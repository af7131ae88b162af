package org.semiseg.data.sets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.semiseg.SemisegException;

/** Opens a {@link DatasetLayout} by name. */
public final class DatasetLayouts {
    /** The dataset names {@link #open} accepts. */
    public static final List<String> NAMES = List.of("camvid", "voc", "cityscapes", "gta5", "folder");

    private DatasetLayouts() {
    }

    /**
     * @param name       one of {@link #NAMES}
     * @param root       the dataset's root folder; must exist
     * @param folderSpec the YAML of a {@code folder} dataset, {@code null} for {@code <root>/dataset.yaml}; must be
     *                   {@code null} for the other datasets
     * @throws SemisegException for an unknown name, a missing root, or a bad folder spec
     */
    public static DatasetLayout open(String name, Path root, Path folderSpec) {
        if (name == null || !NAMES.contains(name)) {
            throw new SemisegException("unknown dataset '" + name + "' (datasets: " + String.join(", ", NAMES) + ")");
        }
        if (root == null) {
            throw new SemisegException("dataset " + name + " needs a root folder");
        }
        if (!Files.isDirectory(root)) {
            throw new SemisegException("dataset root " + root + (Files.exists(root) ? " is not a folder" : " does not exist"));
        }
        if (folderSpec != null && !name.equals("folder")) {
            throw new SemisegException("dataset spec " + folderSpec + " applies to dataset 'folder' only, not '" + name + "'");
        }
        return switch (name) {
            case "camvid" -> new CamVidLayout(root);
            case "voc" -> new VocLayout(root);
            case "cityscapes" -> new CityscapesLayout(root);
            case "gta5" -> new Gta5Layout(root);
            default -> folderSpec == null ? new FolderLayout(root) : new FolderLayout(root, folderSpec);
        };
    }
}
