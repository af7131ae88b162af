package org.semiseg.io;

import java.util.List;
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
 * @param classes       the classes the network predicts, so that a checkpoint folder alone can label images; null in
 *                      checkpoints written before they were stored. With several domains: the first domain's
 * @param domains       with several domains ({@code data.domains}): each domain's name and classes, in order; null
 *                      (and not written) for a run on one dataset
 */
public record CheckpointState(int iteration, long seed, double bestMiou, int bestIteration, String model,
                              Map<String, String> files, Classes classes,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) List<Domain> domains) {
    /** A state without files (filled in when saved). */
    public CheckpointState(int iteration, long seed, double bestMiou, int bestIteration, String model,
                           Map<String, String> files) {
        this(iteration, seed, bestMiou, bestIteration, model, files, null, null);
    }

    /** A state of a run on one dataset. */
    public CheckpointState(int iteration, long seed, double bestMiou, int bestIteration, String model,
                           Map<String, String> files, Classes classes) {
        this(iteration, seed, bestMiou, bestIteration, model, files, classes, null);
    }

    public CheckpointState {
        domains = domains == null ? null : List.copyOf(domains);
    }

    /**
     * One domain of a run on several: its name and the classes its network predicts. Its decoder and classifier are
     * saved as {@code domain.<name>.<parameter>} (the first domain's under the plain names).
     */
    public record Domain(String name, Classes classes) {
    }

    /** What makes the state impossible (a phrase after "state.json"), or null when it is sound. */
    String problem() {
        if (iteration < 0) {
            return "has iteration " + iteration + ", which is negative";
        }
        if (bestIteration < -1 || bestIteration > iteration) {
            return "has best_iteration " + bestIteration + ", outside -1.." + iteration;
        }
        if (Double.isNaN(bestMiou) || bestMiou > 1 || bestMiou < -1) {
            return "has best_miou " + bestMiou + ", outside -1..1";
        }
        if (files != null && files.values().stream().anyMatch(java.util.Objects::isNull)) {
            return "has a file without a checksum";
        }
        if (domains != null) {
            for (Domain d : domains) {
                if (d == null || d.name() == null || d.name().isBlank() || d.classes() == null) {
                    return "has a domain without a name or classes";
                }
                String problem = classesProblem(d.classes());
                if (problem != null) {
                    return problem + " (domain " + d.name() + ")";
                }
            }
        }
        return classes == null ? null : classesProblem(classes);
    }

    private static String classesProblem(Classes classes) {
        if (classes.names().isEmpty() || classes.names().stream().anyMatch(n -> n == null || n.isBlank())) {
            return "has an empty class name or no classes";
        }
        for (int c = 0; c < classes.colors().size(); c++) {
            List<Integer> rgb = classes.colors().get(c);
            if (rgb.size() != 3 || rgb.stream().anyMatch(v -> v == null || v < 0 || v > 255)) {
                return "has a colour of class " + c + " that is not [r, g, b] in 0..255 (" + rgb.size() + " values)";
            }
        }
        return null;
    }

    CheckpointState withFiles(Map<String, String> sums) {
        return new CheckpointState(iteration, seed, bestMiou, bestIteration, model, Map.copyOf(sums), classes, domains);
    }

    /**
     * Class names in index order, their colours and the ignore index of the labels the run trained on.
     *
     * @param names       one per class
     * @param colors      {@code [r, g, b]} per class, for colour masks and overlays
     * @param ignoreIndex the label of ignored pixels
     */
    public record Classes(List<String> names, List<List<Integer>> colors, int ignoreIndex) {
        public Classes {
            names = List.copyOf(names);
            colors = colors.stream().map(List::copyOf).toList();
            if (colors.size() != names.size()) {
                throw new IllegalArgumentException(names.size() + " class names but " + colors.size() + " colours");
            }
        }
    }
}
