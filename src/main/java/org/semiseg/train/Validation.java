package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import org.semiseg.SemisegException;
import org.semiseg.config.EvalConfig;
import org.semiseg.data.Datasets;
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
 * the validation split only), updates the run's report, and at the end writes {@code eval.json}.
 */
final class Validation {
    private final TrainSetup setup;
    private final ParameterStore parameters;
    private final PrintStream err;
    private double bestMiou;
    private int bestIteration;
    private List<Sample> examples;
    private Palette palette;

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

    EvalResult evaluate() {
        try (NDManager evalManager = setup.manager().newSubManager()) {
            return Evaluator.evaluate(logits(setup.evaluatedNet(), parameters), setup.data().val(), spec(setup.config().eval()),
                    evalManager, setup.config().eval().batchSize(), "val");
        }
    }

    void evaluateAndKeepBest(int iteration, MetricsLog metrics) {
        EvalResult result = evaluate();
        metrics.write(record(iteration, result));
        err.printf(java.util.Locale.ROOT, "iteration %d: val mIoU %.2f%n", iteration, 100 * result.meanIou());
        keepIfBest(iteration, result);
        updateReport(iteration, result);
    }

    /** Saves the best checkpoint when {@code result} beats every earlier validation. */
    private void keepIfBest(int iteration, EvalResult result) {
        if (result.meanIou() > bestMiou) {
            bestMiou = result.meanIou();
            bestIteration = iteration;
            setup.saveCheckpoint(setup.run().best(), iteration, bestMiou, bestIteration);
        }
    }

    /** Evaluates the final weights, updates best, writes eval.json; returns the result. */
    EvalResult finish(int iteration, MetricsLog metrics) {
        EvalResult result = evaluate();
        metrics.write(record(iteration, result));
        keepIfBest(iteration, result);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("iteration", iteration);
        extra.put("checkpoint", "last");
        extra.put("best_val_miou", bestMiou);
        extra.put("best_iteration", bestIteration);
        try {
            EvalReport.writeJson(setup.run().evalJson(), result, extra);
        } catch (IOException e) {
            OutOfSpace.ifFull(e, setup.run().evalJson());
            throw new SemisegException("cannot write " + setup.run().evalJson() + ": " + e.getMessage());
        }
        updateReport(iteration, result);
        return result;
    }

    /**
     * Predicts the report's example images, saves them with the result ({@link EvalSnapshot}) and rewrites
     * report.html. Costs a forward pass of {@link EvalSnapshot#EXAMPLES} images; a failure is a warning only.
     */
    private void updateReport(int iteration, EvalResult result) {
        try {
            if (palette == null) {
                palette = Datasets.classes(setup.config().data()).palette();
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
        InferenceSpec spec = predictionSpec(setup.config().eval());
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

    private static Map<String, Object> record(int iteration, EvalResult result) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("iter", iteration);
        record.put("eval", EvalReport.summary(result));
        return record;
    }
}
