package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.semiseg.train.MetricsLog;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the grid needs from a run's metrics.jsonl: how far it got, its best validation, its step times. */
final class RunMetrics {
    static final String DATA = "data_ms";
    static final String COMPUTE = "compute_ms";
    int lastIter;
    int lastEvalIter;
    Integer bestIter;
    Double bestMiou;
    final Map<String, List<Double>> timings = new LinkedHashMap<>();

    static RunMetrics read(Path file) {
        RunMetrics m = new RunMetrics();
        boolean firstLog = true;
        for (JsonNode n : MetricsLog.read(file)) {
            if (!n.has("iter")) {
                continue;
            }
            int iter = n.get("iter").asInt();
            m.lastIter = Math.max(m.lastIter, iter);
            if (n.has("eval")) {
                m.lastEvalIter = Math.max(m.lastEvalIter, iter);
                double miou = n.get("eval").path("mIoU").asDouble(Double.NaN);
                if (!Double.isNaN(miou) && (m.bestMiou == null || miou > m.bestMiou)) {
                    m.bestMiou = miou;
                    m.bestIter = iter;
                }
            } else if (n.has(COMPUTE)) {
                if (firstLog) {
                    firstLog = false;  // the first interval holds the warm-up of the native library
                    continue;
                }
                for (String key : List.of(DATA, COMPUTE)) {
                    m.timings.computeIfAbsent(key, k -> new ArrayList<>()).add(n.get(key).asDouble());
                }
            }
        }
        return m;
    }

    /** Median over the log intervals: robust to a few intervals slowed by other work on the machine. */
    Double median(String key) {
        List<Double> v = timings.get(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Log intervals the step times are the median of; null when none. */
    Integer timedIntervals() {
        List<Double> v = timings.get(COMPUTE);
        return v == null ? null : v.size();
    }
}
