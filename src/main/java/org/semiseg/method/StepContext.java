package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.semiseg.model.SegmentationNet;

/**
 * Everything one step of a method may use.
 *
 * @param student         the network being trained
 * @param parameters      parameter store for forward passes
 * @param manager         the step's manager: every array of the step belongs to it and is freed after the step
 * @param xLabeled        normalised labeled images (B, 3, H, W)
 * @param yLabeled        their masks (B, H, W), int64, ignore index where unlabeled
 * @param xUnlabeled      normalised unlabeled images (B, 3, H, W), or null when the method does not use them: the
 *                        weak view (geometric augmentation only) that a teacher labels
 * @param xUnlabeledStrong the same crops after the strong photometric augmentation (colour jitter, blur), aligned
 *                        pixel for pixel with {@code xUnlabeled}; null when the method does not use unlabeled images
 * @param classWeight     α of Eq. 3, (C), or null for class balancing off
 * @param ignoreIndex     mask value left out of losses
 * @param iteration       0-based iteration of this step
 * @param iterations      length of the run
 */
public record StepContext(SegmentationNet student, ParameterStore parameters, NDManager manager, NDArray xLabeled,
                          NDArray yLabeled, NDArray xUnlabeled, NDArray xUnlabeledStrong, NDArray classWeight, int ignoreIndex, int iteration,
                          int iterations) {
    /** Training-mode forward pass of the student: [logits (B, C, H, W), features (B, F, h, w)]. */
    public NDList studentForward(NDArray images) {
        return student.forward(parameters, new NDList(images), true);
    }
}
