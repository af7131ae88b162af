package org.semiseg.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits step time into waiting for data, compute (forward, backward, update) and the rest (logging, evaluation,
 * checkpoints), averaged over the iterations since the last log line.
 */
final class StepTimer {
    private long dataNanos;
    private long computeNanos;
    private long otherNanos;
    private int count;
    private double emaSecondsPerIteration = Double.NaN;

    void add(long data, long compute) {
        dataNanos += data;
        computeNanos += compute;
        count++;
        double seconds = (data + compute) / 1e9;
        emaSecondsPerIteration = Double.isNaN(emaSecondsPerIteration) ? seconds : 0.9 * emaSecondsPerIteration + 0.1 * seconds;
    }

    void addOther(long other) {
        otherNanos += other;
    }

    double secondsPerIteration() {
        return Double.isNaN(emaSecondsPerIteration) ? 0 : emaSecondsPerIteration;
    }

    double imagesPerSecond(int batchSize) {
        double s = secondsPerIteration();
        return s > 0 ? batchSize / s : 0;
    }

    /** Mean milliseconds per iteration since the last call, then resets. */
    Map<String, Object> drain(int batchSize) {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = Math.max(1, count);
        out.put("data_ms", dataNanos / 1e6 / n);
        out.put("compute_ms", computeNanos / 1e6 / n);
        out.put("other_ms", otherNanos / 1e6 / n);
        out.put("images_per_s", imagesPerSecond(batchSize));
        dataNanos = 0;
        computeNanos = 0;
        otherNanos = 0;
        count = 0;
        return out;
    }
}
