package org.semiseg.data.sets;

import java.nio.file.Path;
import java.util.List;
import org.semiseg.SemisegException;
import org.semiseg.data.Sample;
import org.semiseg.data.SegDataset;
import org.semiseg.io.Images;

/**
 * A split read from disk: each {@link #get} decodes the image ({@link Images#readImage}) and, if the pair has one,
 * its mask ({@link DatasetLayout#decodeMask}). The sample id is the image path relative to the root. Immutable, so
 * safe to call from several threads.
 */
public final class FileDataset implements SegDataset {
    private final DatasetLayout layout;
    private final List<FilePair> pairs;
    private final int ignoreIndex;

    /**
     * @param ignoreIndex the mask value of ignored pixels; must not be a class index
     */
    public FileDataset(DatasetLayout layout, List<FilePair> pairs, int ignoreIndex) {
        DataCheck.requireIgnoreIndex(layout, ignoreIndex);
        this.layout = layout;
        this.pairs = List.copyOf(pairs);
        this.ignoreIndex = ignoreIndex;
    }

    /** The files, in index order. */
    public List<FilePair> pairs() {
        return pairs;
    }

    /** The layout the files belong to. */
    public DatasetLayout layout() {
        return layout;
    }

    @Override
    public int size() {
        return pairs.size();
    }

    /**
     * @throws SemisegException              if the mask's size differs from the image's or a mask value is not a class
     * @throws org.semiseg.io.ImageReadException if a file cannot be decoded
     */
    @Override
    public Sample get(int index) {
        FilePair pair = pairs.get(index);
        Path imageFile = layout.root().resolve(pair.image());
        Sample image = Images.readImage(imageFile);
        int[] mask = null;
        if (pair.mask() != null) {
            Path maskFile = layout.root().resolve(pair.mask());
            MaskReading reading = layout.readMask(maskFile, ignoreIndex);
            if (reading.height() != image.height() || reading.width() != image.width()) {
                throw new SemisegException("mask " + maskFile + " is " + reading.width() + "x" + reading.height()
                        + " but its image " + imageFile + " is " + image.width() + "x" + image.height() + " (width x height)");
            }
            if (!reading.ok()) {
                throw new SemisegException(maskFile + ": " + reading.problem());
            }
            mask = reading.labels();
        }
        return new Sample(pair.image(), image.image(), mask, image.height(), image.width());
    }

    @Override
    public List<String> classNames() {
        return layout.classNames();
    }

    @Override
    public int ignoreIndex() {
        return ignoreIndex;
    }
}
