package org.semiseg.data;

import java.util.List;

/**
 * The data of a run: the training images (of which {@code labeled} keep their masks and {@code unlabeled} are used
 * without them) and the validation images that select the best checkpoint.
 */
public record DataSplits(SegDataset train, List<Integer> labeled, List<Integer> unlabeled, SegDataset val) {
    public int numClasses() {
        return train.classNames().size();
    }
}
