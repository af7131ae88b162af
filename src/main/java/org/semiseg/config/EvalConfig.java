package org.semiseg.config;

import java.util.List;

/** How images are passed through the network at evaluation and prediction time. */
public record EvalConfig(String mode, List<Integer> crop, List<Integer> stride, boolean flip, List<Double> scales,
                         int batchSize) {
    public EvalConfig {
        Check.oneOf("eval.mode", mode, List.of("whole", "center_crop", "sliding"));
        pair("eval.crop", crop);
        pair("eval.stride", stride);
        if (scales == null || scales.isEmpty()) {
            throw ConfigException.key("eval.scales", "needs at least one scale, e.g. [1.0]");
        }
        for (Double s : scales) {
            Check.inRange("eval.scales", s == null ? Double.NaN : s, 0.1, 4.0);
        }
        Check.atLeast("eval.batch_size", batchSize, 1);
        crop = List.copyOf(crop);
        stride = List.copyOf(stride);
        scales = List.copyOf(scales);
    }

    private static void pair(String key, List<Integer> hw) {
        if (hw == null || hw.size() != 2 || hw.contains(null) || hw.get(0) < 1 || hw.get(1) < 1) {
            throw ConfigException.key(key, "must be [height, width] with positive integers (got " + hw + ")");
        }
    }
}
