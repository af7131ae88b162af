package org.semiseg.config;

/**
 * The optimisation schedule: SGD with momentum, poly learning-rate decay, iteration based. {@code faultRetries}: how
 * many times a step with a non-finite loss or gradient is computed again from the same state before it is skipped.
 */
public record TrainConfig(int iterations, int batchSize, double lr, double headLrMultiplier, double momentum,
                          double weightDecay, double polyPower, boolean classBalancing, int logEvery, int evalEvery,
                          int checkpointEvery, int maxSkippedSteps, int faultRetries) {
    public TrainConfig {
        Check.atLeast("train.iterations", iterations, 1);
        Check.atLeast("train.batch_size", batchSize, 1);
        Check.positive("train.lr", lr);
        Check.positive("train.head_lr_multiplier", headLrMultiplier);
        Check.inRange("train.momentum", momentum, 0, 0.999);
        Check.inRange("train.weight_decay", weightDecay, 0, 1);
        Check.inRange("train.poly_power", polyPower, 0, 10);
        Check.atLeast("train.log_every", logEvery, 1);
        Check.atLeast("train.eval_every", evalEvery, 0);
        Check.atLeast("train.checkpoint_every", checkpointEvery, 1);
        Check.atLeast("train.max_skipped_steps", maxSkippedSteps, 1);
        Check.atLeast("train.fault_retries", faultRetries, 0);
    }

    /** The same schedule with {@code batchSize} images per step (null: unchanged). */
    public TrainConfig withBatchSize(Integer batchSize) {
        return batchSize == null ? this : new TrainConfig(iterations, batchSize, lr, headLrMultiplier, momentum,
                weightDecay, polyPower, classBalancing, logEvery, evalEvery, checkpointEvery, maxSkippedSteps, faultRetries);
    }
}
