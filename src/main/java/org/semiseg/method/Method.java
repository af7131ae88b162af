package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.AugmentConfig;

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
     * @param unlabeled       whether unlabeled batches are loaded
     * @param strongViews     strong views of each unlabeled image (0 without unlabeled images)
     * @param sharedGeometry  true: the strong views are photometric changes of the weak view's pixels (UniMatch,
     *                        U2PL); false: the weak view is the image as loaded (cropped only) and each strong view
     *                        its own flip, scale and crop of it (Alonso et al. Table 1 and their code)
     * @param labeledPreset   the method's augmentation of labeled images ({@link AugmentPreset#named}), used when
     *                        {@code augment.labeled} is null
     * @param unlabeledPreset the method's augmentation of unlabeled images, used when {@code augment.unlabeled} is
     *                        null
     * @param weakLabels      whether the unlabeled batch carries the pseudo-masks of its tagged images
     *                        ({@link Batch.Unlabeled#weakLabels()}, from {@code data.pseudo_masks}) when the run has them
     */
    record Inputs(boolean unlabeled, int strongViews, boolean sharedGeometry, String labeledPreset,
                  String unlabeledPreset, boolean weakLabels) {
        public static final Inputs LABELED_ONLY = new Inputs(false, 0, false, AugmentPreset.WEAK.name(),
                AugmentPreset.STRONG.name(), false);

        public Inputs(boolean unlabeled, int strongViews, boolean sharedGeometry, String labeledPreset,
                      String unlabeledPreset) {
            this(unlabeled, strongViews, sharedGeometry, labeledPreset, unlabeledPreset, false);
        }

        public Inputs {
            AugmentPreset.named(labeledPreset);
            AugmentPreset.named(unlabeledPreset);
        }

        /** Unlabeled batches with {@code views} strong views, each with its own geometry; Table 1's presets. */
        public static Inputs unlabeled(int views) {
            return new Inputs(true, Math.max(1, views), false, AugmentPreset.WEAK.name(), AugmentPreset.STRONG.name());
        }

        /** Unlabeled batches whose {@code views} strong views keep the weak view's geometry; Table 1's presets. */
        public static Inputs unlabeledSharedGeometry(int views) {
            return new Inputs(true, Math.max(1, views), true, AugmentPreset.WEAK.name(), AugmentPreset.STRONG.name());
        }

        /** The same inputs with the method's own presets (names {@link AugmentPreset#named} knows). */
        public Inputs withPresets(String labeled, String unlabeled) {
            return new Inputs(this.unlabeled, strongViews, sharedGeometry, labeled, unlabeled, weakLabels);
        }

        /** The same inputs, with the tagged images' pseudo-masks on the unlabeled batch when the run has them. */
        public Inputs withWeakLabels() {
            return new Inputs(unlabeled, strongViews, sharedGeometry, labeledPreset, unlabeledPreset, true);
        }

        /** The preset of labeled images: {@code augment.labeled}, or the method's when that is null. */
        public AugmentPreset labeledAugment(AugmentConfig augment) {
            return AugmentPreset.named(augment.labeled() != null ? augment.labeled() : labeledPreset);
        }

        /** The preset of unlabeled images: {@code augment.unlabeled}, or the method's when that is null. */
        public AugmentPreset unlabeledAugment(AugmentConfig augment) {
            return AugmentPreset.named(augment.unlabeled() != null ? augment.unlabeled() : unlabeledPreset);
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
