package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SGD with momentum and weight decay, following torch.optim.SGD (dampening 0, not Nesterov):
 * {@code d = g + wd·w; buf = m·buf + d; w -= lr·buf}. Written on NDArrays (rather than DJL's {@code Sgd}, whose rule
 * differs once the learning rate changes and whose momentum cannot be saved) so that its state can be checkpointed
 * and a resumed run continues exactly.
 */
public final class Sgd {
    /** Parameters that share a learning-rate multiplier, keyed by stable parameter name. */
    public record Group(Map<String, NDArray> parameters, double lrMultiplier) {
    }

    private final List<Group> groups;
    private final double weightDecay;
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    /** m and wd as float32 scalars, made once (a Number overload would upload a new one per call and parameter). */
    private final NDArray momentumFactor;
    private final NDArray decayFactor;

    /** Momentum buffers are created in {@code stateManager} (which must outlive training), one per parameter. */
    public Sgd(List<Group> groups, double momentum, double weightDecay, NDManager stateManager) {
        this.groups = List.copyOf(groups);
        this.weightDecay = weightDecay;
        this.momentumFactor = stateManager.full(new Shape(), (float) momentum);
        this.decayFactor = stateManager.full(new Shape(), (float) weightDecay);
        for (Group g : groups) {
            for (Map.Entry<String, NDArray> p : g.parameters().entrySet()) {
                NDArray buf = stateManager.zeros(p.getValue().getShape(), p.getValue().getDataType(), p.getValue().getDevice());
                buf.setName(p.getKey());
                buffers.put(p.getKey(), buf);
            }
        }
    }

    /**
     * Applies one update with base learning rate {@code lr} and zeroes the gradients. The factors are float32 scalars,
     * the learning rate made once per step and group (torch computes a float32 tensor times a 0-dim tensor in float32
     * with the factor rounded to float either way).
     */
    public void step(double lr) {
        for (Group g : groups) {
            if (g.parameters().isEmpty()) {
                continue;
            }
            NDManager m = g.parameters().values().iterator().next().getManager();
            try (NDArray groupLr = m.full(new Shape(), (float) (lr * g.lrMultiplier()))) {
                for (Map.Entry<String, NDArray> p : g.parameters().entrySet()) {
                    NDArray w = p.getValue();
                    NDArray buf = buffers.get(p.getKey());
                    try (NDArray grad = w.getGradient()) {
                        buf.muli(momentumFactor).addi(grad);
                        if (weightDecay != 0) {
                            try (NDArray decay = w.mul(decayFactor)) {
                                buf.addi(decay);
                            }
                        }
                        try (NDArray delta = buf.mul(groupLr)) {
                            w.subi(delta);
                        }
                    }
                    zeroGradient(w);
                }
            }
        }
    }

    /**
     * The name of the first parameter whose gradient holds NaN or infinity, or null when all are finite. One sum per
     * parameter, read to the host together (a non-finite element makes the sum non-finite).
     */
    public String firstNonFiniteGradient() {
        List<String> names = new ArrayList<>();
        List<NDArray> sums = new ArrayList<>();
        try {
            for (Group g : groups) {
                for (Map.Entry<String, NDArray> p : g.parameters().entrySet()) {
                    try (NDArray grad = p.getValue().getGradient()) {
                        sums.add(grad.sum());
                    }
                    names.add(p.getKey());
                }
            }
            if (sums.isEmpty()) {
                return null;
            }
            float[] values = Scalars.read(sums);
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    return names.get(i);
                }
            }
            return null;
        } finally {
            sums.forEach(NDArray::close);
        }
    }

    /**
     * Gives every parameter its gradient array now, filled with zeros, through one backward pass of 0·Σ sum(w). The
     * gradients live for the whole run; made before the first step they sit below the steps' short-lived arrays in the
     * C heap (as in bench/mbstep's PyTorch mirror, which assigns zeroed gradients up front), instead of being made in
     * the middle of the first backward pass, where they split the memory that later steps reuse (issue 24: the
     * launcher's malloc settings keep every freed block). The values computed afterwards do not change: this
     * optimizer zeroes a gradient in place after every step either way.
     */
    public void allocateGradients() {
        List<NDArray> made = new ArrayList<>();
        try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray total = null;
            for (Group g : groups) {
                for (NDArray w : g.parameters().values()) {
                    NDArray s = w.sum();
                    made.add(s);
                    if (total == null) {
                        total = s;
                    } else {
                        total = total.add(s);
                        made.add(total);
                    }
                }
            }
            if (total == null) {
                return;
            }
            NDArray zero = total.getManager().zeros(new Shape());
            made.add(zero);
            NDArray scaled = total.mul(zero);
            made.add(scaled);
            collector.backward(scaled);
        } finally {
            made.forEach(NDArray::close);
        }
        zeroGradients();
    }

    /** Zeroes every gradient without updating (used when a step is skipped). */
    public void zeroGradients() {
        for (Group g : groups) {
            g.parameters().values().forEach(Sgd::zeroGradient);
        }
    }

    private static void zeroGradient(NDArray w) {
        JniUtils.zeroGrad((PtNDArray) w);
    }

    /** The momentum buffers, named after their parameters (arrays owned by this optimizer: do not close). */
    public NDList state() {
        return new NDList(new ArrayList<>(buffers.values()));
    }

    /** Restores momentum buffers saved by {@link #state()}; every buffer must be present with its shape. */
    public void loadState(Map<String, NDArray> saved) {
        for (Map.Entry<String, NDArray> b : buffers.entrySet()) {
            NDArray s = saved.get(b.getKey());
            if (s == null || !s.getShape().equals(b.getValue().getShape())) {
                throw new IllegalArgumentException("optimizer state lacks a buffer of shape " + b.getValue().getShape()
                        + " for parameter '" + b.getKey() + "'");
            }
            b.getValue().set(new ai.djl.ndarray.index.NDIndex("..."), s);
        }
    }
}
