package org.semiseg.cli;

import org.semiseg.train.TrainedModel;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/**
 * Where {@code evaluate} and {@code predict} take the trained model from: a run directory (its best checkpoint) or
 * one checkpoint folder, which holds everything needed to label images (weights, config, class names and colours).
 */
final class ModelSource {
    @Option(names = "--run", paramLabel = "DIR", description = "run directory (uses checkpoints/best, else last)")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "DIR",
            description = "a checkpoint folder, e.g. runs/demo/checkpoints/best (it may be copied anywhere on its own)")
    Path checkpoint;

    TrainedModel open(List<String> overrides) {
        return open(overrides, null);
    }

    /** The model of {@code domain} for a run on several domains (null: the first); refused for a run on one dataset. */
    TrainedModel open(List<String> overrides, String domain) {
        return run != null ? TrainedModel.fromRun(run, overrides, domain)
                : TrainedModel.fromCheckpoint(checkpoint, overrides, domain);
    }

    /** The run directory: given, or the folder two levels above the checkpoint (runs/x of runs/x/checkpoints/best). */
    Path runDirectory(TrainedModel model) {
        if (run != null) {
            return run;
        }
        Path parent = model.checkpoint().toAbsolutePath().getParent();
        return parent != null && parent.getParent() != null ? parent.getParent() : Path.of(".");
    }
}
