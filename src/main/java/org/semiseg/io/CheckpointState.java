package org.semiseg.io;

import java.util.Map;

/**
 * The JSON part of a checkpoint. All randomness of a run derives from (seed, iteration), so these two are its whole
 * random state.
 *
 * @param iteration     iterations completed
 * @param seed          the run's seed
 * @param bestMiou      best validation mIoU so far (-1 before the first evaluation)
 * @param bestIteration iteration of the best validation mIoU, or -1
 * @param model         a one-line description of the network (arch, backbone, stride, width, classes)
 * @param files         SHA-256 of each file of the folder, filled in when saved
 */
public record CheckpointState(int iteration, long seed, double bestMiou, int bestIteration, String model,
                              Map<String, String> files) {
    CheckpointState withFiles(Map<String, String> sums) {
        return new CheckpointState(iteration, seed, bestMiou, bestIteration, model, Map.copyOf(sums));
    }
}
