package org.semiseg.eval;

import java.util.List;

/**
 * Outcome of one evaluation run.
 *
 * @param confusionMatrix pixel counts {@code [label][pred]}
 * @param classNames      class names in index order
 * @param iou             IoU per class in [0, 1], NaN for classes absent from labels and predictions
 * @param meanIou         mean of the non-NaN IoUs, in [0, 1]
 * @param pixelAccuracy   correct / labelled pixels, in [0, 1]
 * @param numImages       labelled images evaluated
 * @param split           name of the evaluated split (e.g. "val")
 * @param seconds         wall-clock time of the run
 */
public record EvalResult(ConfusionMatrix confusionMatrix, List<String> classNames, double[] iou, double meanIou,
                         double pixelAccuracy, int numImages, String split, double seconds) {

    public EvalResult {
        classNames = List.copyOf(classNames);
        if (classNames.size() != confusionMatrix.numClasses()) {
            throw new IllegalArgumentException("classNames has " + classNames.size() + " names for "
                    + confusionMatrix.numClasses() + " classes");
        }
        iou = iou.clone();
    }

    /** Derives the metrics from {@code confusionMatrix}. */
    public static EvalResult of(ConfusionMatrix confusionMatrix, List<String> classNames, int numImages, String split,
                                double seconds) {
        return new EvalResult(confusionMatrix, classNames, confusionMatrix.iou(), confusionMatrix.meanIou(),
                confusionMatrix.pixelAccuracy(), numImages, split, seconds);
    }

    @Override
    public double[] iou() {
        return iou.clone();
    }
}
