package org.semiseg.data;

import java.util.List;

/** A finite, indexable set of samples of one split. Implementations must be safe to call from several threads. */
public interface SegDataset {
    int size();

    /** Decodes sample {@code index} (0-based). */
    Sample get(int index);

    /** Class names in index order; their count is the number of classes. */
    List<String> classNames();

    /** Mask value that is ignored by losses and metrics. */
    int ignoreIndex();
}
