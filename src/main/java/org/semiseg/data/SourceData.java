package org.semiseg.data;

import java.util.List;

/**
 * The labeled source dataset of semi-supervised domain adaptation ({@code data.source}), opened and checked by
 * {@link Datasets#openSource}: every image of its split, each with its mask, in the target's class indices.
 *
 * @param dataset     the images and masks, resized as {@code data.source.resize} says
 * @param indices     the indices of {@code dataset} to train on (all of them, in order)
 * @param description one line for logs, e.g. {@code gta5 at /data/gta5, split train: 24966 images}
 */
public record SourceData(SegDataset dataset, List<Integer> indices, String description) {
    public SourceData {
        indices = List.copyOf(indices);
    }

    /** Number of classes (the target's). */
    public int numClasses() {
        return dataset.classNames().size();
    }
}
