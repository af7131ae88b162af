package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.semiseg.data.Seeds;
import org.semiseg.model.SegmentationNet;

import java.util.SplittableRandom;

/**
 * Everything one step of a method may use. Every array of the step belongs to {@link #manager()} and is freed after
 * the step.
 *
 * @param student     the network being trained
 * @param parameters  parameter store for forward passes
 * @param manager     the step's manager
 * @param batch       the step's named batches
 * @param classWeight α of Eq. 3 (Alonso et al.) from the labeled masks, (C), or null for class balancing off
 * @param ignoreIndex mask value left out of losses
 * @param seed        the run's seed
 * @param iteration   0-based iteration of this step
 * @param iterations  length of the run
 */
public record Step(SegmentationNet student, ParameterStore parameters, NDManager manager, Batch batch,
                   NDArray classWeight, int ignoreIndex, long seed, int iteration, int iterations) {

    /** Training-mode forward pass of the student: [logits (N, C, H, W), features (N, F, h, w)]. */
    public NDList forward(NDArray images) {
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

    public Batch.Labeled labeled() {
        return batch.labeled();
    }

    public Batch.Unlabeled unlabeled() {
        return batch.unlabeled();
    }

    /**
     * The target domain's labeled images followed by the source domain's (when there is one), as one batch; both
     * must share a size.
     */
    public Batch.Labeled labeledWithSource() {
        return batch.labeled().followedBy(batch.source());
    }

    /** The source-domain batch, or null. */
    public Batch.Labeled source() {
        return batch.source();
    }
}
