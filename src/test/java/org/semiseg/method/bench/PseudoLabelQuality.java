package org.semiseg.method.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.semiseg.bench.BenchArgs;
import org.semiseg.data.Sample;
import org.semiseg.data.SegDataset;
import org.semiseg.train.TrainedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How good a trained run's pseudo-labels are at a confidence threshold, per class, on the run's own unlabeled
 * training images (bench/pseudo/run.sh): FixMatch and UniMatch keep a pixel's argmax where its max probability reaches
 * τ (Yang et al., CVPR 2023, Sec. 3.1), and a network trained from scratch may keep few pixels, or mostly those of a
 * few classes. The images are the ones the run's {@code split/unlabeled.txt} names, with their true masks (the
 * dataset has them; the run never used them), whole, resized as the run was, through the run's best checkpoint in
 * evaluation mode (the weak view of training is a crop of these, in training mode: the shares differ from the
 * logged {@code mask_ratio} by that much).
 * <p>Per true class c: its share of the pixels; kept, the share of c's pixels whose max probability reaches τ; the
 * argmax's recall on c at any confidence and among the kept pixels; the precision of the kept pseudo-labels that say c.
 * Arguments key=value: run (the run directory), threshold (0.95), batch (8).
 */
public final class PseudoLabelQuality {
    private PseudoLabelQuality() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = BenchArgs.parse(args);
        Path run = Path.of(a.getOrDefault("run", "."));
        double tau = Double.parseDouble(a.getOrDefault("threshold", "0.95"));
        int batchSize = Integer.parseInt(a.getOrDefault("batch", "8"));
        Path listed = run.resolve("split").resolve("unlabeled.txt");
        Set<String> unlabeled = new HashSet<>();
        for (String line : Files.readAllLines(listed)) {
            if (!line.isBlank()) {
                unlabeled.add(line.trim());
            }
        }
        try (TrainedModel model = TrainedModel.fromRun(run, List.of());
             NDManager manager = NDManager.newBaseManager()) {
            SegDataset train = model.split("train");
            int classes = model.classNames().size();
            Counts counts = new Counts(classes);
            List<Sample> batch = new ArrayList<>();
            int images = 0;
            for (int i = 0; i < train.size(); i++) {
                Sample s = train.get(i);
                if (!s.labeled() || !unlabeled.contains(s.id())) {
                    continue;
                }
                if (!batch.isEmpty() && (batch.size() == batchSize || batch.get(0).height() != s.height()
                        || batch.get(0).width() != s.width())) {
                    add(model, batch, manager, tau, train.ignoreIndex(), counts);
                    batch.clear();
                }
                batch.add(s);
                images++;
            }
            if (!batch.isEmpty()) {
                add(model, batch, manager, tau, train.ignoreIndex(), counts);
            }
            if (images == 0) {
                throw new IllegalStateException(listed + " names no labelled image of the training split");
            }
            System.out.print(counts.table(model.classNames(), tau, images, run));
        }
    }

    private static void add(TrainedModel model, List<Sample> batch, NDManager manager, double tau, int ignore,
                            Counts counts) {
        try (NDManager m = manager.newSubManager()) {
            NDArray probs = model.probabilities(batch, m);
            int h = batch.get(0).height();
            int w = batch.get(0).width();
            if (probs.getShape().get(2) != h || probs.getShape().get(3) != w) {
                throw new IllegalStateException("the run evaluates a crop (" + probs.getShape() + " for " + h + "x" + w
                        + " images): this tool needs eval.mode whole");
            }
            float[] conf = probs.max(new int[] {1}).toFloatArray();
            long[] pred = probs.argMax(1).toLongArray();
            int plane = h * w;
            for (int n = 0; n < batch.size(); n++) {
                int[] mask = batch.get(n).mask();
                for (int p = 0; p < plane; p++) {
                    int truth = mask[p];
                    if (truth == ignore || truth < 0 || truth >= counts.classes) {
                        continue;
                    }
                    int k = n * plane + p;
                    counts.add(truth, (int) pred[k], conf[k] >= tau);
                }
            }
        }
    }

    /** Pixel counts per true class (and per predicted class for the precision). */
    static final class Counts {
        final int classes;
        final long[] truth;
        final long[] correct;
        final long[] kept;
        final long[] keptCorrect;
        final long[] keptSaying;

        Counts(int classes) {
            this.classes = classes;
            truth = new long[classes];
            correct = new long[classes];
            kept = new long[classes];
            keptCorrect = new long[classes];
            keptSaying = new long[classes];
        }

        void add(int truthClass, int predicted, boolean confident) {
            truth[truthClass]++;
            if (predicted == truthClass) {
                correct[truthClass]++;
            }
            if (confident) {
                kept[truthClass]++;
                keptSaying[predicted]++;
                if (predicted == truthClass) {
                    keptCorrect[truthClass]++;
                }
            }
        }

        String table(List<String> names, double tau, int images, Path run) {
            long all = 0;
            long allKept = 0;
            long allKeptCorrect = 0;
            for (int c = 0; c < classes; c++) {
                all += truth[c];
                allKept += kept[c];
                allKeptCorrect += keptCorrect[c];
            }
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "pseudo-labels of %s (best checkpoint) on its %d unlabeled training"
                    + " images, tau %.2f: %.1f %% of the labelled pixels kept, %.1f %% of those right%n%n", run, images,
                    tau, 100.0 * allKept / Math.max(1, all), 100.0 * allKeptCorrect / Math.max(1, allKept)));
            out.append("| class | share of pixels | kept (conf >= tau) | recall, any conf | recall among kept"
                    + " | precision of kept |\n|---|---|---|---|---|---|\n");
            for (int c = 0; c < classes; c++) {
                out.append(String.format(Locale.ROOT, "| %s | %.1f %% | %s | %s | %s | %s |%n", names.get(c),
                        100.0 * truth[c] / Math.max(1, all), pct(kept[c], truth[c]), pct(correct[c], truth[c]),
                        pct(keptCorrect[c], truth[c]), pct(keptCorrect[c], keptSaying[c])));
            }
            return out.toString();
        }

        private static String pct(long part, long whole) {
            return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
        }
    }
}
