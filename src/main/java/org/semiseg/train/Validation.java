package org.semiseg.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.semiseg.SemisegException;
import org.semiseg.config.EvalConfig;
import org.semiseg.eval.EvalReport;
import org.semiseg.eval.EvalResult;
import org.semiseg.eval.Evaluator;
import org.semiseg.eval.InferenceSpec;
import org.semiseg.eval.LogitsFunction;
import org.semiseg.model.SegmentationNet;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Periodic evaluation on the validation split during training: logs the result, keeps the best checkpoint (chosen on
 * the validation split only), and at the end writes {@code eval.json}.
 */
final class Validation {
    private final TrainSetup setup;
    private final ParameterStore parameters;
    private double bestMiou;
    private int bestIteration;

    Validation(TrainSetup setup, ParameterStore parameters) {
        this.setup = setup;
        this.parameters = parameters;
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

    EvalResult evaluate() {
        try (NDManager evalManager = setup.manager().newSubManager()) {
            return Evaluator.evaluate(logits(setup.net(), parameters), setup.data().val(), spec(setup.config().eval()),
                    evalManager, setup.config().eval().batchSize(), "val");
        }
    }

    void evaluateAndKeepBest(int iteration, MetricsLog metrics, PrintStream err) {
        EvalResult result = evaluate();
        metrics.write(record(iteration, result));
        err.printf(java.util.Locale.ROOT, "iteration %d: val mIoU %.2f%n", iteration, 100 * result.meanIou());
        keepIfBest(iteration, result);
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
            throw new SemisegException("cannot write " + setup.run().evalJson() + ": " + e.getMessage());
        }
        return result;
    }

    private static Map<String, Object> record(int iteration, EvalResult result) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("iter", iteration);
        record.put("eval", EvalReport.summary(result));
        return record;
    }
}
