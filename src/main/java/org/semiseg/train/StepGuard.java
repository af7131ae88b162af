package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import org.semiseg.data.HostBatch;
import org.semiseg.method.StepResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Numerical faults: before each update the loss terms, the logged scalars, the passes a method names
 * ({@link StepResult#checking}) and every gradient are checked for NaN and infinity. A faulty step is skipped: no
 * optimizer step, no teacher update, gradients zeroed, and the student's BN running statistics (which the faulty
 * forward pass already moved) put back to their values before the step.
 */
final class StepGuard {
    private final Map<String, NDArray> live = new LinkedHashMap<>();
    private final Map<String, NDArray> saved = new LinkedHashMap<>();

    /**
     * @param parameters the student's and the modules' named parameters; their BN running statistics are guarded (a
     *                   training-mode forward moves them, the student's and a teacher's alike). Frozen weights (the
     *                   EMA teachers') are not: only the teacher update changes them, and a faulty step skips it, so a
     *                   copy of them (the whole teacher, 174 MiB at DeepLabv2-ResNet-101) would be dead weight.
     */
    StepGuard(Map<String, Parameter> parameters, NDManager stateManager) {
        parameters.forEach((name, p) -> {
            if (isStatistic(p)) {
                NDArray a = p.getArray();
                live.put(name, a);
                saved.put(name, stateManager.zeros(a.getShape(), a.getDataType(), a.getDevice()));
            }
        });
    }

    /** Whether the forward pass itself writes this parameter: a BN running mean or variance. */
    static boolean isStatistic(Parameter p) {
        return !p.requiresGradient()
                && (p.getType() == Parameter.Type.RUNNING_MEAN || p.getType() == Parameter.Type.RUNNING_VAR);
    }

    /** The guarded parameters' names, in order. */
    java.util.Set<String> guarded() {
        return java.util.Collections.unmodifiableSet(live.keySet());
    }

    /** Copies the guarded statistics aside; call before the step's forward passes. */
    void remember() {
        live.forEach((name, a) -> saved.get(name).set(new NDIndex("..."), a));
    }

    /** Puts the statistics back as {@link #remember} found them. */
    void restore() {
        saved.forEach((name, a) -> live.get(name).set(new NDIndex("..."), a));
    }

    /**
     * The step's fault, or null when its loss terms, its logged scalars, its checks ({@link StepResult#checks}) and
     * its gradients are all finite: "loss_pseudo is NaN", "teacher_logits is NaN", or "the gradient of
     * decoder.fuse1.conv.weight is not finite (losses finite)". A detached pass can go non-finite without reaching a
     * loss: a NaN pseudo-label confidence fails every threshold, so FixMatch's L_u silently loses those pixels, and
     * U2PL counts them as reliable with label 0; its method's check (the pass's sum) catches it. Every method's
     * scalars are finite by construction (shares and means are 0 over nothing).
     */
    static String fault(StepResult result, Sgd optimizer) {
        Map<String, NDArray> checked = new LinkedHashMap<>();
        result.losses().forEach((name, a) -> checked.put("loss_" + name, a));
        checked.putAll(result.scalars());
        checked.putAll(result.checks());
        List<String> names = new ArrayList<>(checked.keySet());
        float[] values = Scalars.read(new ArrayList<>(checked.values()));
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                bad.add(names.get(i) + " is " + describe(values[i]));
            }
        }
        if (!bad.isEmpty()) {
            return String.join(", ", bad);
        }
        String parameter = optimizer.firstNonFiniteGradient();
        return parameter == null ? null : "the gradient of " + parameter + " is not finite (losses finite)";
    }

    /**
     * Where the step's input images hold a non-finite value, as text to append to a fault ("; input: unlabeled
     * strong view 2"), or "; inputs finite": tells a data problem from a numerical one.
     */
    static String inputs(HostBatch labeled, HostBatch unlabeled,
                         HostBatch source) {
        List<String> bad = new ArrayList<>();
        check(labeled, "labeled", bad);
        check(unlabeled, "unlabeled", bad);
        check(source, "source", bad);
        return bad.isEmpty() ? "; inputs finite" : "; non-finite input: " + String.join(", ", bad);
    }

    private static void check(HostBatch b, String name, List<String> bad) {
        if (b == null) {
            return;
        }
        if (!finite(b.images())) {
            bad.add(name + " images");
        }
        if (b.strongViews() != null) {
            for (int v = 0; v < b.strongViews().length; v++) {
                if (!finite(b.strongViews()[v])) {
                    bad.add(name + " strong view " + (v + 1));
                }
            }
        }
    }

    private static boolean finite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(float v) {
        return Float.isNaN(v) ? "NaN" : v > 0 ? "+inf" : "-inf";
    }
}
