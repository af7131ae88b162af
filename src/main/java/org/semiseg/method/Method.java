package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.Map;

/**
 * One training method: given a step's batch and the networks, returns the loss terms to back-propagate. The
 * {@link org.semiseg.train.Trainer} owns everything else (data, optimizer, schedule, logging, checkpoints), so a
 * method is the math of its paper and nothing more. Adding one is a new class plus a line in {@link Methods}.
 */
public interface Method {
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

    /** Whether the method draws unlabeled batches (the trainer then loads them). */
    default boolean usesUnlabeled() {
        return false;
    }

    /** Method state that a checkpoint must keep (teacher, memory banks, ...), by stable name. */
    default NDList state() {
        return new NDList();
    }

    /** Restores what {@link #state()} returned. */
    default void loadState(Map<String, NDArray> saved) {
    }
}
