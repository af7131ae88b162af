package org.semiseg.method;

import ai.djl.ndarray.NDArray;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a method's step returns.
 *
 * @param losses  scalar loss terms by name ({@code sup}, {@code pseudo}, ...), each already weighted; their sum is
 *                the loss that is back-propagated
 * @param scalars further scalar arrays to log (not differentiated); read on logged steps, and checked for finite values
 *                with the losses before every update
 * @param values  numbers already on the host to log (memory-bank fill, ...)
 * @param checks  scalar arrays that are only checked, never logged: a sum over a detached pass (a teacher's logits)
 *                that any NaN or infinity poisons, so that a pass whose fault reaches no loss still fails the step
 */
public record StepResult(Map<String, NDArray> losses, Map<String, NDArray> scalars, Map<String, Double> values,
                         Map<String, NDArray> checks) {
    public StepResult {
        losses = new LinkedHashMap<>(losses);
        scalars = new LinkedHashMap<>(scalars);
        values = new LinkedHashMap<>(values);
        checks = new LinkedHashMap<>(checks);
    }

    public StepResult(Map<String, NDArray> losses, Map<String, NDArray> scalars, Map<String, Double> values) {
        this(losses, scalars, values, Map.of());
    }

    public StepResult(Map<String, NDArray> losses, Map<String, NDArray> scalars) {
        this(losses, scalars, Map.of(), Map.of());
    }

    /**
     * This result with {@code pass} checked: its sum, which is not finite when any element is not, must be finite for
     * the step to count (the step guard's message names {@code name}).
     *
     * @param pass a detached array of any shape, e.g. a teacher's (N, C, H, W) logits
     */
    public StepResult checking(String name, NDArray pass) {
        Map<String, NDArray> more = new LinkedHashMap<>(checks);
        more.put(name, pass.sum());
        return new StepResult(losses, scalars, values, more);
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
