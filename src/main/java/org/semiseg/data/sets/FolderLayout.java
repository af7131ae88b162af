package org.semiseg.data.sets;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;
import org.semiseg.io.Images;

/**
 * A user's own dataset: folders of images and masks described by a YAML file ({@code <root>/dataset.yaml} unless
 * given). Images ({@code .png .jpg .jpeg}, any case, subfolders allowed) are matched with masks ({@code .png}) by
 * their path below the split's folders without extension. Schema (keys other than these are refused):
 *
 * <pre>{@code
 * name: lesions                        # optional, used in messages; default the root folder's name
 * classes: [background, lesion]        # required, class names in index order (at most 255)
 * mask_format: index                   # index (default): gray/palette PNGs of raw values; rgb: colour-coded PNGs
 * values: {0: 0, 255: 1}               # index: raw value -> class index or name; default 0..n-1 are the classes
 * ignore_values: [254]                 # index: raw values whose pixels are ignored; none may be a class value
 * colors: {background: [0, 0, 0], lesion: [255, 0, 0]}  # rgb: required, every class; index: optional palette
 * ignore_colors: [[255, 255, 255]]     # rgb: colours whose pixels are ignored
 * splits:                              # required; folders relative to the root
 *   train: {images: images/train, masks: masks/train}
 *   val:   {images: images/val,   masks: masks/val}
 *   extra: {images: unlabeled}         # a split without masks: its images are listed with mask null
 * train_split: train                   # optional; default train if present, else the first split
 * val_split: val                       # optional; default val if present, else the train split
 * }</pre>
 *
 * A raw value (or colour) that is neither a class nor ignored is an error when a mask holds it. The palette is the
 * YAML's colours when given, else {@link Palette#forClasses}.
 */
public final class FolderLayout implements DatasetLayout {
    /** The spec file name looked for in the root when none is given. */
    public static final String DEFAULT_SPEC = "dataset.yaml";

    private final Path root;
    private final FolderSpec spec;
    private final Palette palette;
    private final ValueTable values;
    private final Map<Integer, Integer> colourClass;

    /** Reads {@code <root>/dataset.yaml}. */
    public FolderLayout(Path root) {
        this(root, root.resolve(DEFAULT_SPEC));
    }

    /** Reads the given spec file (its folders are relative to {@code root}). */
    public FolderLayout(Path root, Path specFile) {
        this.root = root;
        this.spec = FolderSpec.load(specFile, root);
        this.palette = spec.colors() != null ? Palette.of(spec.colors()) : Palette.forClasses(spec.classes().size());
        if (spec.rgb()) {
            values = null;
            colourClass = new HashMap<>();
            for (int c = 0; c < spec.colors().length; c++) {
                colourClass.put(FolderSpec.pack(spec.colors()[c]), c);
            }
            for (int ignored : spec.ignoreColors()) {
                colourClass.put(ignored, -1);
            }
        } else {
            values = new ValueTable(spec.values(), spec.ignoreValues(), "");
            colourClass = null;
        }
    }

    /** The spec file this layout was read from. */
    public Path specFile() {
        return spec.file();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public List<String> classNames() {
        return spec.classes();
    }

    @Override
    public Palette palette() {
        return palette;
    }

    @Override
    public Path root() {
        return root;
    }

    @Override
    public List<String> splitNames() {
        return List.copyOf(spec.splits().keySet());
    }

    @Override
    public String trainSplit() {
        return spec.trainSplit();
    }

    @Override
    public String valSplit() {
        return spec.valSplit();
    }

    @Override
    public boolean colourMasks() {
        return spec.rgb();
    }

    @Override
    public Listing list(String split) {
        FolderSpec.SplitFolders folders = spec.splits().get(split);
        if (folders == null) {
            throw FileLists.unknownSplit(name(), split, splitNames());
        }
        String expected = "the folders named under splits." + split + " in " + spec.file();
        FileLists.requireFolder(root, folders.images(), name(), expected);
        String imagePrefix = prefix(folders.images());
        List<String> images = FileLists.files(root, folders.images(), true).stream().filter(FileLists::isImage).toList();
        if (folders.masks() == null) {
            List<FilePair> pairs = new ArrayList<>();
            for (String image : images) {
                pairs.add(new FilePair(image, null));
            }
            pairs.sort(Comparator.comparing(FilePair::image));
            return new Listing(pairs, List.of());
        }
        FileLists.requireFolder(root, folders.masks(), name(), expected);
        String maskPrefix = prefix(folders.masks());
        List<String> masks = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (String file : FileLists.files(root, folders.masks(), true)) {
            if (FileLists.isPng(file)) {
                masks.add(file);
            } else if (FileLists.isImage(file)) {
                problems.add(new Problem(file, "a mask must be a PNG (JPEG compression changes the label values); ignored"));
            }
        }
        Listing paired = FileLists.pairByKey(images, masks,
                image -> FileLists.stripExtension(image.substring(imagePrefix.length())),
                mask -> FileLists.stripExtension(mask.substring(maskPrefix.length())),
                this::maskFor,
                mask -> "an image " + imagePrefix + FileLists.stripExtension(mask.substring(maskPrefix.length())) + ".png, .jpg or .jpeg");
        problems.addAll(paired.problems());
        problems.sort(Comparator.comparing(Problem::file));
        return new Listing(paired.pairs(), problems);
    }

    /** The mask of an image below a split's images folder: the same path below its masks folder, as {@code .png}. */
    @Override
    public String maskFor(String imageRelPath) {
        String best = null;
        for (Map.Entry<String, FolderSpec.SplitFolders> split : spec.splits().entrySet()) {
            String prefix = prefix(split.getValue().images());
            if (imageRelPath.startsWith(prefix) && (best == null || prefix.length() > prefix(spec.splits().get(best).images()).length())) {
                best = split.getKey();
            }
        }
        if (best == null) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not in any split's images folder of " + spec.file());
        }
        FolderSpec.SplitFolders folders = spec.splits().get(best);
        if (folders.masks() == null) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is in split '" + best + "', which has no masks folder in " + spec.file());
        }
        return prefix(folders.masks()) + FileLists.stripExtension(imageRelPath.substring(prefix(folders.images()).length())) + ".png";
    }

    @Override
    public MaskReading readMask(Path file, int ignoreIndex) {
        if (!spec.rgb()) {
            return values.read(file, ignoreIndex, name());
        }
        BufferedImage image = Images.decode(file);
        int[] pixels = ImageFiles.colours(image);
        int width = image.getWidth();
        BadValues bad = new BadValues();
        int lastColour = -1;
        int lastClass = -1;
        for (int i = 0; i < pixels.length; i++) {
            int colour = pixels[i];
            if (colour != lastColour) {
                Integer c = colourClass.get(colour);
                lastColour = colour;
                lastClass = c == null ? -2 : c;
            }
            if (lastClass >= 0) {
                pixels[i] = lastClass;
            } else {
                if (lastClass == -2) {
                    bad.add(colourText(colour), i, width);
                }
                pixels[i] = ignoreIndex;
            }
        }
        return new MaskReading(pixels, image.getHeight(), width, bad.values(),
                bad.phrase("colour", "is not in " + spec.file().getFileName() + "'s colors"
                        + (spec.ignoreColors().isEmpty() ? "" : " or ignore_colors")));
    }

    /** {@code 0xRRGGBB} as "(r, g, b)". */
    static String colourText(int rgb) {
        return "(" + ((rgb >> 16) & 0xFF) + ", " + ((rgb >> 8) & 0xFF) + ", " + (rgb & 0xFF) + ")";
    }

    private static String prefix(String folder) {
        return folder.isEmpty() ? "" : folder + "/";
    }
}
