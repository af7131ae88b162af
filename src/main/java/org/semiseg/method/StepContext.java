package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.semiseg.data.HostBatch;
import org.semiseg.data.Seeds;
import org.semiseg.model.SegmentationNet;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Everything one step of a method may use. Device arrays belong to {@link #manager()}; the host batches they were
 * made from are there too, for work that is cheaper on the host (ClassMix masks, bank selection).
 *
 * @param student           the network being trained
 * @param parameters        parameter store for forward passes
 * @param manager           the step's manager: every array of the step belongs to it and is freed after the step
 * @param xLabeled          normalised labeled images (B, 3, H, W) of the target domain
 * @param yLabeled          their masks (B, H, W), int64, ignore index where unlabeled
 * @param labeled           the host batch of xLabeled / yLabeled
 * @param xUnlabeled        normalised unlabeled images (B, 3, H, W), the view a teacher labels (geometric
 *                          augmentation only); null when the method does not use unlabeled images
 * @param xUnlabeledStrong  the same crops after strong photometric augmentation, one array per view (A of Eq. 6),
 *                          aligned pixel for pixel with {@code xUnlabeled}; empty without unlabeled images
 * @param unlabeled         the host batch of the unlabeled images; its masks are the padding masks (0 on image
 *                          pixels, the ignore index where an augmentation padded); null without unlabeled images
 * @param xSource           labeled images of a second, fully labeled source domain (domain adaptation), or null
 * @param ySource           their masks, or null
 * @param source            the host batch of the source images, or null
 * @param classWeight       α of Eq. 3 from the labeled masks, (C), or null for class balancing off
 * @param ignoreIndex       mask value left out of losses
 * @param seed              the run's seed
 * @param iteration         0-based iteration of this step
 * @param iterations        length of the run
 */
public record StepContext(SegmentationNet student, ParameterStore parameters, NDManager manager, NDArray xLabeled,
                          NDArray yLabeled, HostBatch labeled, NDArray xUnlabeled, List<NDArray> xUnlabeledStrong,
                          HostBatch unlabeled, NDArray xSource, NDArray ySource, HostBatch source,
                          NDArray classWeight, int ignoreIndex, long seed, int iteration, int iterations) {
    public StepContext {
        xUnlabeledStrong = xUnlabeledStrong == null ? List.of() : List.copyOf(xUnlabeledStrong);
    }

    /** Training-mode forward pass of the student: [logits (B, C, H, W), features (B, F, h, w)]. */
    public NDList studentForward(NDArray images) {
        return student.forward(parameters, new NDList(images), true);
    }

    /** Number of classes. */
    public int numClasses() {
        return student.spec().numClasses();
    }

    /** A generator for this step's random choices; {@code stream} separates independent uses. */
    public SplittableRandom random(long stream) {
        return new SplittableRandom(Seeds.mix(seed, stream, iteration));
    }

    /** Whether a source-domain batch is present. */
    public boolean hasSource() {
        return xSource != null;
    }
}
