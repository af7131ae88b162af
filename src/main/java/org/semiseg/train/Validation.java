package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.semiseg.SemisegException;
import org.semiseg.config.EvalConfig;
import org.semiseg.data.Palette;
import org.semiseg.data.Sample;
import org.semiseg.data.SegDataset;
import org.semiseg.eval.EvalReport;
import org.semiseg.eval.EvalResult;
import org.semiseg.eval.Evaluator;
import org.semiseg.eval.ImageTensors;
import org.semiseg.eval.InferenceSpec;
import org.semiseg.eval.LogitsFunction;
import org.semiseg.io.OutOfSpace;
import org.semiseg.model.SegmentationNet;
import org.semiseg.report.EvalSnapshot;
import org.semiseg.report.RunReport;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Periodic evaluation on the validation split during training: logs the result, keeps the best checkpoint (chosen on
 * the validation split only), updates the run's report, and at the end writes {@code eval.json}. With several domains
 * each domain's val split is evaluated with its own network, and the mean of their mIoU chooses the best checkpoint.
 */
final class Validation {
    private final TrainSetup setup;
    private final ParameterStore parameters;
    private final PrintStream err;
    private double bestMiou;
    private int bestIteration;
    private List<Sample> examples;
    private Palette palette;
    private List<EvalResult> finalResults = List.of();

    Validation(TrainSetup setup, ParameterStore parameters, PrintStream err) {
        this.setup = setup;
        this.parameters = parameters;
        this.err = err;
        this.bestMiou = setup.initialBestMiou();
        this.bestIteration = setup.initialBestIteration();
    }

    double bestMiou() {
        return bestMiou;
    }

    int bestIteration() {
        return bestIteration;
    }

    /** Eval-mode logits of a network: normalised (N, 3, H, W) to (N, C, H, W). */
    static LogitsFunction logits(SegmentationNet net, ParameterStore parameters) {
        return images -> net.forward(parameters, new NDList(images), false).get(0);
    }

    static InferenceSpec spec(EvalConfig eval) {
        InferenceSpec spec = switch (eval.mode()) {
            case "center_crop" -> InferenceSpec.centerCrop(eval.crop().get(0), eval.crop().get(1));
            case "sliding" -> InferenceSpec.sliding(eval.crop().get(0), eval.crop().get(1), eval.stride().get(0),
                    eval.stride().get(1));
            default -> InferenceSpec.whole();
        };
        return spec.withFlip(eval.flip()).withScales(eval.scales().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The inference of a prediction: the evaluation's, over the whole image (centre cropping is an evaluation protocol only). */
    static InferenceSpec predictionSpec(EvalConfig eval) {
        InferenceSpec spec = spec(eval);
        return spec.mode() == InferenceSpec.Mode.CENTER_CROP
                ? InferenceSpec.whole().withFlip(spec.flip()).withScales(spec.scales()) : spec;
    }

    /** The validation result of each domain (one for a run on one dataset), in the domains' order. */
    List<EvalResult> evaluate() {
        List<EvalResult> out = new ArrayList<>();
        for (TrainDomain d : setup.domains()) {
            try (NDManager evalManager = setup.manager().newSubManager()) {
                out.add(Evaluator.evaluate(logits(d.methodSetup().evaluated(), parameters), d.data().val(),
                        spec(d.config().eval()), evalManager, d.config().eval().batchSize(), "val"));
            }
        }
        return out;
    }

    void evaluateAndKeepBest(int iteration, MetricsLog metrics) {
        List<EvalResult> results = evaluate();
        metrics.write(record(iteration, results));
        double mean = EvalReport.meanIou(results);
        StringBuilder line = new StringBuilder(String.format(java.util.Locale.ROOT, "iteration %d: val mIoU %.2f",
                iteration, 100 * mean));
        if (results.size() > 1) {
            line.append(" (mean of");
            for (int i = 0; i < results.size(); i++) {
                line.append(String.format(java.util.Locale.ROOT, "%s %s %.2f", i == 0 ? "" : ",",
                        setup.domains().get(i).name(), 100 * results.get(i).meanIou()));
            }
            line.append(')');
        }
        err.println(line);
        keepIfBest(iteration, mean);
        updateReport(iteration, results.get(0));
    }

    /**
     * Saves the best checkpoint when {@code miou} beats every earlier validation (several domains: the mean of their
     * mIoU).
     */
    private void keepIfBest(int iteration, double miou) {
        if (miou > bestMiou) {
            bestMiou = miou;
            bestIteration = iteration;
            setup.saveCheckpoint(setup.run().best(), iteration, bestMiou, bestIteration);
        }
    }

    /**
     * Evaluates the final weights, updates best, writes eval.json (several domains: the mean and each domain's
     * summary there, and each domain's full result in {@code eval-<domain>.json}); returns the (first domain's)
     * result.
     */
    EvalResult finish(int iteration, MetricsLog metrics) {
        List<EvalResult> results = evaluate();
        finalResults = results;
        metrics.write(record(iteration, results));
        keepIfBest(iteration, EvalReport.meanIou(results));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("iteration", iteration);
        extra.put("checkpoint", "last");
        extra.put("best_val_miou", bestMiou);
        extra.put("best_iteration", bestIteration);
        java.nio.file.Path file = setup.run().evalJson();
        try {
            if (results.size() == 1) {
                EvalReport.writeJson(file, results.get(0), extra);
            } else {
                Map<String, EvalResult> byDomain = new LinkedHashMap<>();
                for (int i = 0; i < results.size(); i++) {
                    String name = setup.domains().get(i).name();
                    byDomain.put(name, results.get(i));
                    file = setup.run().evalJson(name);
                    Map<String, Object> own = new LinkedHashMap<>(extra);
                    own.put("domain", name);
                    EvalReport.writeJson(file, results.get(i), own);
                }
                file = setup.run().evalJson();
                EvalReport.writeDomainsJson(file, byDomain, extra);
            }
        } catch (IOException e) {
            OutOfSpace.ifFull(e, file);
            throw new SemisegException("cannot write " + file + ": " + e.getMessage());
        }
        updateReport(iteration, results.get(0));
        return results.get(0);
    }

    /** The final validation result of each domain by name (null for a run on one dataset), once {@link #finish} ran. */
    Map<String, EvalResult> finalResults() {
        Map<String, EvalResult> out = new LinkedHashMap<>();
        for (int i = 0; i < finalResults.size(); i++) {
            out.put(setup.domains().get(i).name(), finalResults.get(i));
        }
        return out;
    }

    /**
     * Predicts the report's example images, saves them with the result ({@link EvalSnapshot}) and rewrites
     * report.html. Costs a forward pass of {@link EvalSnapshot#EXAMPLES} images; a failure is a warning only.
     */
    private void updateReport(int iteration, EvalResult result) {
        try {
            if (palette == null) {
                palette = setup.domains().get(0).classes().palette();
            }
            EvalSnapshot.save(setup.run().root(), iteration, result, palette, predictExamples());
            RunReport.write(setup.run().root());
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("semiseg: warning: report not updated: " + message.replace('\n', ' '));
        }
    }

    /**
     * Labeled validation images spread evenly over the split (always the same ones; neighbours in a video dataset
     * such as CamVid are near copies) with the current network's labels.
     */
    private List<EvalSnapshot.Predicted> predictExamples() {
        if (examples == null) {
            List<Sample> chosen = new ArrayList<>();
            SegDataset val = setup.data().val();
            int next = 0;
            for (int k = 0; k < EvalSnapshot.EXAMPLES; k++) {
                // the first labeled image at or after the k-th evenly spaced position
                for (int i = Math.max(next, (int) ((long) k * val.size() / EvalSnapshot.EXAMPLES)); i < val.size(); i++) {
                    Sample s = val.get(i);
                    if (s.labeled()) {
                        chosen.add(s);
                        next = i + 1;
                        break;
                    }
                }
            }
            examples = chosen;
        }
        InferenceSpec spec = predictionSpec(setup.domains().get(0).config().eval());
        LogitsFunction f = logits(setup.evaluatedNet(), parameters);
        List<EvalSnapshot.Predicted> out = new ArrayList<>();
        try (NDManager scratch = setup.manager().newSubManager()) {
            for (Sample s : examples) {
                NDArray labels = Evaluator.predict(f, ImageTensors.toBatch(scratch, List.of(s)), spec);
                out.add(new EvalSnapshot.Predicted(s, labels.toType(DataType.INT32, false).toIntArray()));
            }
        }
        return out;
    }

    /**
     * The metrics line of an evaluation: {@code {"iter": N, "eval": summary}}; with several domains {@code eval}
     * holds the split and the mean mIoU, and the line adds {@code miou} (the mean), {@code miou_<domain>} and
     * {@code eval_<domain>} (each domain's summary, with its per-class IoU).
     */
    private Map<String, Object> record(int iteration, List<EvalResult> results) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("iter", iteration);
        if (results.size() == 1) {
            record.put("eval", EvalReport.summary(results.get(0)));
            return record;
        }
        double mean = EvalReport.meanIou(results);
        Map<String, Object> eval = new LinkedHashMap<>();
        eval.put("split", results.get(0).split());
        eval.put("mIoU", Double.isNaN(mean) ? null : mean);
        record.put("eval", eval);
        record.put("miou", Double.isNaN(mean) ? null : mean);
        for (int i = 0; i < results.size(); i++) {
            double m = results.get(i).meanIou();
            record.put("miou_" + setup.domains().get(i).name(), Double.isNaN(m) ? null : m);
        }
        for (int i = 0; i < results.size(); i++) {
            record.put("eval_" + setup.domains().get(i).name(), EvalReport.summary(results.get(i)));
        }
        return record;
    }
}
