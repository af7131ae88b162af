package org.semiseg.method;

import ai.djl.ndarray.NDManager;
import org.semiseg.config.Config;
import org.semiseg.model.SegmentationNet;

/**
 * What a method may use to build its own parts.
 *
 * @param config             the run's configuration
 * @param student            the network being trained (initialised)
 * @param manager            long-lived manager for the method's networks and state (outlives training)
 * @param classNames         the dataset's classes, in index order
 * @param labeledImages      number of labeled training images (of the target domain)
 * @param labeledPixelCounts pixels per class over the labeled masks (for class balancing)
 */
public record MethodSetup(Config config, SegmentationNet student, NDManager manager, java.util.List<String> classNames, int labeledImages,
                          long[] labeledPixelCounts) {
    public int numClasses() {
        return classNames.size();
    }
}
