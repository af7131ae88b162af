package org.semiseg.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The default demo setup: {@value #TRAIN_COUNT} training and {@value #VAL_COUNT} validation scenes of
 * {@value #IMAGE_SIZE}x{@value #IMAGE_SIZE} pixels (see {@link DemoScenes}), and the labeled/unlabeled split of the
 * training part.
 */
public final class DemoData {
    /** Number of training scenes in the default demo. */
    public static final int TRAIN_COUNT = 512;
    /** Number of validation scenes in the default demo. */
    public static final int VAL_COUNT = 128;
    /** Side of the default demo images in pixels. */
    public static final int IMAGE_SIZE = 64;
    /** Fraction of training scenes whose masks the default semi-supervised run may use. */
    public static final double DEFAULT_LABELED_FRACTION = 1.0 / 8;

    private DemoData() {
    }

    /** The default training split ({@value #TRAIN_COUNT} scenes, all with masks). */
    public static DemoScenes train(long seed) {
        return DemoScenes.split(seed, "train", TRAIN_COUNT, IMAGE_SIZE);
    }

    /** The default validation split ({@value #VAL_COUNT} scenes). */
    public static DemoScenes val(long seed) {
        return DemoScenes.split(seed, "val", VAL_COUNT, IMAGE_SIZE);
    }

    /**
     * Which training indices count as labeled.
     *
     * @param labeled   sorted indices whose masks may be used
     * @param unlabeled sorted remaining indices (their masks exist, for upper-bound runs; semi-supervised methods
     *                  should not read them)
     */
    public record LabeledSplit(List<Integer> labeled, List<Integer> unlabeled) {
        public LabeledSplit {
            labeled = List.copyOf(labeled);
            unlabeled = List.copyOf(unlabeled);
        }
    }

    /**
     * Splits indices {@code 0 .. trainCount-1} into labeled and unlabeled, deterministically from {@code seed}.
     * The labeled count is {@code round(trainCount * labeledFraction)}, at least 1. All fractions use the same
     * shuffled order, so the labeled set of a smaller fraction is contained in that of a larger one.
     *
     * @param labeledFraction in (0, 1]; 1 means everything is labeled
     */
    public static LabeledSplit splitLabeled(long seed, int trainCount, double labeledFraction) {
        if (!(labeledFraction > 0 && labeledFraction <= 1)) {
            throw new IllegalArgumentException("labeled fraction must be in (0, 1], got " + labeledFraction);
        }
        if (trainCount < 1) {
            throw new IllegalArgumentException("need at least one training image to split, got " + trainCount);
        }
        int labeledCount = Math.max(1, (int) Math.round(trainCount * labeledFraction));
        List<Integer> order = new ArrayList<>(trainCount);
        for (int i = 0; i < trainCount; i++) {
            order.add(i);
        }
        SplittableRandom random = new SplittableRandom(DemoScenes.mix(seed ^ 0x4C4142454CL));
        for (int i = trainCount - 1; i > 0; i--) {
            Collections.swap(order, i, random.nextInt(i + 1));
        }
        List<Integer> labeled = new ArrayList<>(order.subList(0, labeledCount));
        List<Integer> unlabeled = new ArrayList<>(order.subList(labeledCount, trainCount));
        Collections.sort(labeled);
        Collections.sort(unlabeled);
        return new LabeledSplit(labeled, unlabeled);
    }

    /** {@link #splitLabeled(long, int, double)} of the default {@value #TRAIN_COUNT} training scenes. */
    public static LabeledSplit splitLabeled(long seed, double labeledFraction) {
        return splitLabeled(seed, TRAIN_COUNT, labeledFraction);
    }
}
