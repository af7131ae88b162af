package org.semiseg.data.sets;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;
import org.semiseg.io.Images;

/**
 * A user's own dataset: folders of images and masks described by a YAML file ({@code <root>/dataset.yaml} unless
 * given). Images ({@code .png .jpg .jpeg}, any case, subfolders allowed) are matched with masks ({@code .png}) by
 * id: by default their path below the split's folders without extension, or what {@code {id}} stands for in the
 * name patterns {@code images.pattern} and {@code masks.pattern} ({@link NamePattern}). A split is either two
 * folders (every file in them) or a list of ids ({@link IdList}: a text file with one id per line, a YAML/JSON list
 * or mapping, or a list in the spec), whose files lie in the top-level {@code images.dir} and {@code masks.dir}.
 * Schema (keys other than these are refused):
 *
 * <pre>{@code
 * name: lesions                        # optional, used in messages; default the root folder's name
 * classes: [background, lesion]        # required, class names in index order (at most 255)
 * mask_format: index                   # index (default): gray/palette PNGs of raw values; rgb: colour-coded PNGs
 * values: {0: 0, 255: 1}               # index: raw value -> class index or name; default 0..n-1 are the classes
 * ignore_values: [254]                 # index: raw values whose pixels are ignored; none may be a class value
 * colors: {background: [0, 0, 0], lesion: [255, 0, 0]}  # rgb: required, every class; index: optional palette
 * ignore_colors: [[255, 255, 255]]     # rgb: colours whose pixels are ignored
 * images: {dir: rgb, pattern: "{id}_rgb.png"}   # optional: folder of id-list splits, and how image names are made
 * masks:  {dir: gt,  pattern: "{id}_label.png"} # optional: the same for masks (default pattern {id}: the same name)
 * splits:                              # required; folders relative to the root
 *   train: {images: images/train, masks: masks/train}
 *   val:   {images: images/val,   masks: masks/val}
 *   extra: {images: unlabeled}         # a split without masks: its images are listed with mask null
 *   test:  {ids: test.txt}             # the ids of test.txt, files in images.dir and masks.dir
 *   more:  {ids: more.txt, masks: null} # ids without masks
 * # or: splits: splits.json            # a YAML/JSON file mapping each split name to its list of ids
 * train_split: train                   # optional; default train if present, else the first split
 * val_split: val                       # optional; default val if present, else the train split
 * tags: tags.csv                       # optional: image-level labels, a CSV or a folder per class ({@link TagFile})
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
    public String tagSource() {
        return spec.tags();
    }

    @Override
    public Listing list(String split) {
        SplitSpecs.Split files = spec.splits().get(split);
        if (files == null) {
            throw FileLists.unknownSplit(name(), split, splitNames());
        }
        String expected = "the folders of split '" + split + "' in " + spec.file();
        FileLists.requireFolder(root, files.images(), name(), expected);
        if (files.masks() != null) {
            FileLists.requireFolder(root, files.masks(), name(), expected);
        }
        return PatternListing.list(root, files);
    }

    /** Images and masks that would pair under name patterns: the patterns to add to the spec. */
    @Override
    public List<String> hints(List<Problem> problems) {
        return PairingHint.forProblems(problems).stream().toList();
    }

    /**
     * The mask of an image below a split's images folder: the split whose images folder holds it and whose image
     * pattern fits its name gives its id, and the mask pattern names the mask ({@code .png}).
     */
    @Override
    public String maskFor(String imageRelPath) {
        String best = null;
        int bestLength = -1;
        for (Map.Entry<String, SplitSpecs.Split> split : spec.splits().entrySet()) {
            String prefix = PatternListing.prefix(split.getValue().images());
            if (imageRelPath.startsWith(prefix) && prefix.length() > bestLength
                    && split.getValue().imagePattern().id(imageRelPath.substring(prefix.length())) != null) {
                best = split.getKey();
                bestLength = prefix.length();
            }
        }
        if (best == null) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is not in any split's images folder of " + spec.file()
                    + " (or its name does not fit images.pattern)");
        }
        SplitSpecs.Split files = spec.splits().get(best);
        if (files.masks() == null) {
            throw new SemisegException(name() + ": image " + imageRelPath + " is in split '" + best + "', which has no masks folder in " + spec.file());
        }
        String id = files.imagePattern().id(imageRelPath.substring(PatternListing.prefix(files.images()).length()));
        return PatternListing.prefix(files.masks()) + files.maskPattern().name(id);
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
}
