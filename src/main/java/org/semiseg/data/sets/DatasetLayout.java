package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import org.semiseg.SemisegException;
import org.semiseg.data.Palette;

/**
 * How one kind of dataset lies on disk: which files form each split, how image paths map to mask paths, and how raw
 * mask values map to class indices. Implementations are immutable and safe to use from several threads.
 */
public interface DatasetLayout {
    /** Short name used in messages, e.g. {@code camvid}. */
    String name();

    /** Class names in index order; their count is the number of classes. */
    List<String> classNames();

    /** A colour per class, for drawing masks. */
    Palette palette();

    /** The dataset's root folder; every {@link FilePair} path is relative to it. */
    Path root();

    /** The splits {@link #list} accepts. */
    List<String> splitNames();

    /** The split training draws its labeled and unlabeled images from by default. */
    String trainSplit();

    /** The split validation uses by default. */
    String valSplit();

    /**
     * Lists a split's files.
     *
     * @throws SemisegException if {@code split} is not one of {@link #splitNames()} or a folder the split needs is
     *                          missing (the message names the folder and the expected layout)
     */
    Listing list(String split);

    /**
     * The mask path (relative to the root) this layout expects for an image path (relative to the root), e.g. for a
     * split-file line that names only the image.
     *
     * @throws SemisegException if the image path is not where this layout keeps images
     */
    String maskFor(String imageRelPath);

    /**
     * Decodes a mask into class indices, reporting raw values outside the class set in the result rather than
     * throwing (for checking a whole dataset). Files that cannot be decoded still throw
     * {@link org.semiseg.io.ImageReadException}.
     *
     * @param file        the mask file
     * @param ignoreIndex the index given to ignored pixels (and to pixels with a bad value)
     */
    MaskReading readMask(Path file, int ignoreIndex);

    /**
     * Decodes a mask into class indices in {@code [0, classNames().size())} or {@code ignoreIndex}, row-major.
     *
     * @throws SemisegException if a pixel holds a value that is neither a class nor ignored: "FILE: mask value V at
     *                          pixel (y, x) is not a class of DATASET (classes are ..., ignored values ...)"
     */
    default int[] decodeMask(Path file, int ignoreIndex) {
        MaskReading reading = readMask(file, ignoreIndex);
        if (!reading.ok()) {
            throw new SemisegException(file + ": " + reading.problem());
        }
        return reading.labels();
    }

    /**
     * Suggestions for fixing the layout's listing problems (e.g. the name patterns under which unpaired images and
     * masks would pair), one line each; none by default.
     */
    default List<String> hints(List<Problem> problems) {
        return List.of();
    }

    /** Whether masks are colour images (each class a colour) rather than gray or palette images of raw values. */
    default boolean colourMasks() {
        return false;
    }

    /**
     * The dataset's own image-level labels ({@link TagFile}: a CSV file or a folder of class folders, relative to the
     * root), or null: the tags of its images are then taken from their masks.
     */
    default String tagSource() {
        return null;
    }
}
