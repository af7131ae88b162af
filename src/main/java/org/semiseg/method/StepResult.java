package org.semiseg.method;

import ai.djl.ndarray.NDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a method's step returns.
 *
 * @param losses  scalar loss terms by name ({@code sup}, {@code pseudo}, ...), each already weighted; their sum is
 *                the loss that is back-propagated
 * @param scalars further scalar arrays to log (not differentiated); read once per logged step
 * @param values  numbers already on the host to log (memory-bank fill, ...)
 */
public record StepResult(Map<String, NDArray> losses, Map<String, NDArray> scalars, Map<String, Double> values) {
    public StepResult {
        losses = new LinkedHashMap<>(losses);
        scalars = new LinkedHashMap<>(scalars);
        values = new LinkedHashMap<>(values);
    }

    public StepResult(Map<String, NDArray> losses, Map<String, NDArray> scalars) {
        this(losses, scalars, Map.of());
    }

    public static StepResult of(String name, NDArray loss) {
        return new StepResult(Map.of(name, loss), Map.of());
    }

    /** Sum of the loss terms. */
    public NDArray total() {
        NDArray sum = null;
        for (NDArray term : losses.values()) {
            sum = sum == null ? term : sum.add(term);
        }
        if (sum == null) {
            throw new IllegalStateException("a method step returned no loss term");
        }
        return sum;
    }
}
