package org.semiseg.data.sets;

import java.util.List;

/**
 * The files of one split: complete pairs sorted by image path, and the files that could not be paired.
 *
 * <p>In a split that has masks, an image without a mask (or a mask without an image) is reported in {@code problems}
 * and left out of {@code pairs}. A split without any masks (Cityscapes' or a folder dataset's unlabeled images) lists
 * its images with {@code mask == null} and no problems.
 */
public record Listing(List<FilePair> pairs, List<Problem> problems) {
    public Listing {
        pairs = List.copyOf(pairs);
        problems = List.copyOf(problems);
    }
}
