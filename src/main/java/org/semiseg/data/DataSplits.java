package org.semiseg.data;

import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.FilePair;
import org.semiseg.data.sets.Problem;

import java.util.List;
import java.util.Map;

/**
 * The data of a run: the training images (of which {@code labeled} keep their masks and {@code unlabeled} are used
 * without them) and the validation images that select the best checkpoint.
 *
 * @param sources where the images come from on disk; null for the generated demo
 * @param tagged  the unlabeled images that keep their image-level labels ({@code data.weak}); empty when off
 */
public record DataSplits(SegDataset train, List<Integer> labeled, List<Integer> unlabeled, SegDataset val, Sources sources,
                         TaggedImages tagged) {
    public int numClasses() {
        return train.classNames().size();
    }

    /**
     * The files behind a run's data.
     *
     * @param layout   the dataset reader
     * @param splits   image/mask pairs by role: {@code labeled}, {@code unlabeled} (masks dropped), {@code tagged} (the
     *                 unlabeled images that keep their tags, when {@code data.weak} is set) and {@code val}
     * @param problems what listing the dataset's folders found wrong (unpaired files)
     * @param valListed whether the {@code val} images are a list (carved from the training split, or a split folder's
     *                 {@code val.txt}) rather than a split of the dataset; a run writes them to {@code split/val.txt}
     */
    public record Sources(DatasetLayout layout, Map<String, List<FilePair>> splits, List<Problem> problems, boolean valListed) {
        public Sources(DatasetLayout layout, Map<String, List<FilePair>> splits, List<Problem> problems) {
            this(layout, splits, problems, false);
        }
    }
}
