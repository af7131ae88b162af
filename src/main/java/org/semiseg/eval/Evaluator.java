package org.semiseg.eval;

import org.semiseg.SemisegException;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.List;
import org.semiseg.data.Sample;
import org.semiseg.data.SegDataset;
import org.semiseg.io.Backoff;

/**
 * Runs {@link Inference} over a dataset, takes the argmax and accumulates a {@link ConfusionMatrix}.
 *
 * <p>Consecutive labelled images of equal size are batched (up to {@code batchSize}); unlabelled samples are
 * skipped. Each batch's tensors live in a sub-manager of {@code manager} that is closed after use.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /** Same as {@link #evaluate(LogitsFunction, SegDataset, InferenceSpec, NDManager, int, String)} for split "val". */
    public static EvalResult evaluate(LogitsFunction f, SegDataset data, InferenceSpec spec, NDManager manager,
                                      int batchSize) {
        return evaluate(f, data, spec, manager, batchSize, "val");
    }

    /**
     * Evaluates every labelled sample of {@code data}.
     *
     * @param f         the network in eval mode: normalised {@code (N, 3, H, W)} to logits {@code (N, C, H, W)}
     * @param batchSize most images per forward pass (images of equal size only), &gt;= 1
     * @param split     name recorded in the result
     */
    public static EvalResult evaluate(LogitsFunction f, SegDataset data, InferenceSpec spec, NDManager manager,
                                      int batchSize, String split) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        long start = System.nanoTime();
        ConfusionMatrix cm = new ConfusionMatrix(data.classNames().size());
        List<Sample> batch = new ArrayList<>();
        int images = 0;
        for (int i = 0; i < data.size(); i++) {
            Sample s = data.get(i);
            if (!s.labeled()) {
                continue;
            }
            if (!batch.isEmpty() && (batch.size() == batchSize || !sameSize(batch.get(0), s))) {
                addBatch(f, batch, spec, manager, data.ignoreIndex(), cm);
                batch.clear();
            }
            batch.add(s);
            images++;
        }
        if (!batch.isEmpty()) {
            addBatch(f, batch, spec, manager, data.ignoreIndex(), cm);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return EvalResult.of(cm, data.classNames(), images, split, seconds);
    }

    /** Predicted class per pixel {@code (N, H', W')} int64 of a normalised batch (in {@code images}' manager). */
    public static NDArray predict(LogitsFunction f, NDArray images, InferenceSpec spec) {
        try (NDArray probs = Inference.probabilities(f, images, spec)) {
            return probs.argMax(1);
        }
    }

    /** Times a batch whose output is not finite is computed again before the evaluation gives up. */
    static final int RETRIES = 8;

    /**
     * Class probabilities of a batch, computed again (after 50 ms, 100 ms, 200 ms, ...: {@link Backoff}) while they
     * hold a NaN or an infinity: on the development machine a forward pass now and then comes out NaN from finite
     * weights and images (README, Known issues), and the argmax of NaN would count every pixel as class 0 without a
     * word.
     */
    private static NDArray finiteProbabilities(LogitsFunction f, NDArray images, InferenceSpec spec, List<Sample> batch) {
        for (int attempt = 0; ; attempt++) {
            NDArray probs = Inference.probabilities(f, images, spec);
            boolean finite;
            try (NDArray sum = probs.sum()) {
                finite = Float.isFinite(sum.getFloat());
            }
            if (finite) {
                return probs;
            }
            probs.close();
            if (attempt == RETRIES) {
                throw new SemisegException("evaluation: the network's output for " + batch.get(0).id()
                        + (batch.size() > 1 ? " and " + (batch.size() - 1) + " more images" : "")
                        + " is not finite, " + (RETRIES + 1) + " times in a row (non-finite weights, or the machine's"
                        + " transient fault: README, Known issues)");
            }
            Backoff.pause(attempt);
        }
    }

    private static void addBatch(LogitsFunction f, List<Sample> batch, InferenceSpec spec, NDManager manager,
                                 int ignoreIndex, ConfusionMatrix cm) {
        try (NDManager sub = manager.newSubManager()) {
            NDArray images = ImageTensors.toBatch(sub, batch);
            NDArray labels = ImageTensors.masksToArray(sub, batch);
            NDArray preds;
            try (NDArray probs = finiteProbabilities(f, images, spec, batch)) {
                preds = probs.argMax(1);
            }
            InferenceSpec.CropBox box = spec.evaluatedBox(batch.get(0).height(), batch.get(0).width());
            if (spec.mode() == InferenceSpec.Mode.CENTER_CROP) {
                labels = labels.get(new NDIndex(":, {}:{}, {}:{}", box.top(), box.top() + box.height(),
                        box.left(), box.left() + box.width()));
            }
            cm.addTensors(labels, preds, ignoreIndex);
        }
    }

    private static boolean sameSize(Sample a, Sample b) {
        return a.height() == b.height() && a.width() == b.width();
    }
}
