package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;

import java.util.Map;

/**
 * One training method: given a step's batches and the student, returns the loss terms to back-propagate and scalars
 * to log. The {@link org.semiseg.train.Trainer} owns everything else (data, optimizer, schedule, logging,
 * checkpoints), so a method is the math of its paper. A method may own more networks and state: a teacher
 * ({@link EmaTeacher}), heads, memory banks, auxiliary decoders; it creates them in {@link #initialize}, lists the
 * trainable ones in {@link #parameters()} (the optimizer updates them with the head learning rate) and saves the
 * rest through {@link #state()}.
 *
 * <p>The interface fits the methods of the project's papers: Alonso et al. (teacher, pseudo-labels, memory bank),
 * PC2Seg (two strong views, pixel InfoNCE with sampled negatives: {@link Inputs#unlabeledViews()} = 2), U2PL (teacher,
 * entropy-split pseudo-labels, per-class queues kept in {@link #state()}) and CCT (no teacher; auxiliary decoders on
 * encoder features, which {@link StepContext#studentForward} returns). Adding a method is a new class plus a line
 * in {@link Methods}.
 */
public interface Method {
    /** What the trainer loads for this method. */
    record Inputs(boolean unlabeled, int unlabeledViews) {
        public static final Inputs LABELED_ONLY = new Inputs(false, 0);

        /** Unlabeled batches with {@code views} strong photometric views each. */
        public static Inputs unlabeled(int views) {
            return new Inputs(true, Math.max(1, views));
        }
    }

    default Inputs inputs() {
        return Inputs.LABELED_ONLY;
    }

    /** Called once, after the student is built and before the optimizer is: create teachers, heads and banks here. */
    default void initialize(MethodSetup setup) {
    }

    /**
     * Computes the weighted loss terms of one step. Called inside an open gradient collector; every array created
     * must belong to {@code step.manager()}.
     *
     * @return loss terms by name (already multiplied by their weights; their sum is back-propagated) and scalars to
     *     log; see {@link StepResult}
     */
    StepResult step(StepContext step);

    /** Called after the optimizer update, outside the gradient collector (e.g. to move an EMA teacher). */
    default void afterUpdate(StepContext step) {
    }

    /** Trainable parameters the method owns besides the student's, by stable name (distinct from the student's). */
    default Map<String, Parameter> parameters() {
        return Map.of();
    }

    /** Method state that a checkpoint must keep (teacher, heads, memory banks, ...), as arrays with stable names. */
    default NDList state() {
        return new NDList();
    }

    /** Restores what {@link #state()} returned; throws IllegalArgumentException naming what is missing or wrong. */
    default void loadState(Map<String, NDArray> saved) {
    }
}
