package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

import java.util.Map;

/**
 * One training method: the math of its paper, in one file. Given a step's named batches and the student, it returns
 * the weighted loss terms to back-propagate and scalars to log. The {@link org.semiseg.train.Trainer} owns everything
 * else: data, optimizer, schedule, logging, evaluation, checkpoints, and the method's modules as declared once in
 * {@link #initialize} through {@link MethodSetup}: their optimizer groups, their arrays in checkpoints, their BN
 * statistics on a skipped step, and the moves of their EMA copies.
 *
 * <p>Adding a method: one file implementing this interface (with its settings record) and one line in
 * {@link Methods}; {@code docs/architecture.md} walks through it.
 */
public interface Method {
    /**
     * What the trainer loads for this method.
     *
     * @param unlabeled      whether unlabeled batches are loaded
     * @param strongViews    strong views of each unlabeled image (0 without unlabeled images)
     * @param sharedGeometry true: the strong views are photometric changes of the weak view's pixels (UniMatch,
     *                       U2PL); false: each strong view has its own flip, scale and crop (Alonso et al. Table 1)
     */
    record Inputs(boolean unlabeled, int strongViews, boolean sharedGeometry) {
        public static final Inputs LABELED_ONLY = new Inputs(false, 0, false);

        /** Unlabeled batches with {@code views} strong views, each with its own geometry. */
        public static Inputs unlabeled(int views) {
            return new Inputs(true, Math.max(1, views), false);
        }

        /** Unlabeled batches whose {@code views} strong views keep the weak view's geometry. */
        public static Inputs unlabeledSharedGeometry(int views) {
            return new Inputs(true, Math.max(1, views), true);
        }
    }

    default Inputs inputs() {
        return Inputs.LABELED_ONLY;
    }

    /**
     * Called once, after the student is built and before the optimizer is: declare modules (heads, teachers,
     * auxiliary decoders) with {@link MethodSetup#trained} and {@link MethodSetup#emaCopy}, create banks and queues.
     */
    default void initialize(MethodSetup setup) {
    }

    /**
     * The weighted loss terms of one step. Called inside an open gradient collector; every array created must belong
     * to {@code step.manager()}.
     */
    StepResult step(Step step);

    /** Called after the optimizer update and the EMA moves, outside the gradient collector. */
    default void afterUpdate(Step step) {
    }

    /**
     * State beyond the declared modules that a checkpoint must keep (queues, counters), as arrays with stable names
     * distinct from the modules' ({@code <module>.<parameter>}).
     */
    default NDList state() {
        return new NDList();
    }

    /** Restores what {@link #state()} returned; throws IllegalArgumentException naming what is missing or wrong. */
    default void loadState(Map<String, NDArray> saved) {
    }
}
