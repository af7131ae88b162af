package org.semiseg.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** What the bench mains under test sources share: their key=value arguments and the median they report. */
public final class BenchArgs {
    private BenchArgs() {
    }

    /** {@code key=value} arguments by key (the value after the first '='). */
    public static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got '" + arg + "'");
            }
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
