package org.semiseg.method.parts;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.function.BiFunction;
import org.semiseg.loss.GraphSafe;

/**
 * The gradient of a scalar with respect to an array the method made, taken in the middle of a training step without
 * touching the parameters' gradients: the power iteration of CCT's virtual adversarial perturbation (the gradient
 * of the auxiliary decoder's divergence with respect to a perturbation {@code d} added to detached encoder features).
 *
 * <p>Why not a second {@code GradientCollector}: DJL 0.35.1 allows one open collector at a time, and the training
 * step's collector is open. Why not the collector's {@code backward}: it is not reachable from here and, like every
 * backward, it accumulates into whatever leaves the scalar's graph reaches, parameters included. What is done
 * instead:
 *
 * <ol>
 *   <li>the scalar is built through {@link #detached}, a parameter store whose values are the parameters'
 *       arrays with {@code stopGradient()} (torch {@code detach()}: same storage, no autograd edge), so the
 *       scalar's graph reaches no parameter;</li>
 *   <li>its input is a fresh leaf, a detached copy of {@code x} that requires a gradient, so the graph reaches
 *       nothing of the step's main graph either;</li>
 *   <li>torch's backward is called on that scalar alone ({@link JniUtils#backward}, what the collector's own
 *       backward calls, retain_graph and create_graph off): it frees only the scalar's graph and accumulates only
 *       into the leaf, whose gradient is copied out.</li>
 * </ol>
 *
 * <p>BN running statistics: torch's training-mode batch_norm updates the running mean and variance in place. A
 * detached view shares its parameter's storage, so it would update them; {@link #detached} therefore hands out a
 * <em>copy</em> of every parameter that has no gradient (BN running statistics, frozen parameters), and the update
 * lands on that throwaway copy. A training-mode forward through the store still normalises with the batch's
 * statistics, as CCT's {@code _disable_tracking_bn_stats} does around its VAT power iteration.
 */
public final class InnerGradient {

    private InnerGradient() {
    }

    /**
     * A parameter store for forward passes that build no graph into the parameters and leave BN running statistics
     * alone. Values are created per call and attached to {@code manager} (use the step's manager or a sub-manager
     * of it: they live until it closes; never the model's manager).
     */
    public static ParameterStore detached(NDManager manager) {
        return new DetachedStore(manager);
    }

    /**
     * {@code d scalarOf(x') / d x'} at {@code x' = x}.
     *
     * @param x any shape, e.g. a perturbation (N, C, H, W); it is not modified, and if it carries a gradient or a
     *     graph, neither is touched
     * @param scalarOf builds a one-element array (shape () or (1)) from the leaf copy of {@code x} and a store made
     *     by {@link #detached}; it must take every parameter from that store (a parameter read through another
     *     store would receive a gradient)
     * @return an array of {@code x}'s shape, type and manager, with no graph attached; zeros where the scalar does
     *     not depend on {@code x}
     */
    public static NDArray gradient(NDArray x, BiFunction<NDArray, ParameterStore, NDArray> scalarOf) {
        boolean gradMode = JniUtils.isGradMode();
        try (NDManager scope = x.getManager().newSubManager()) {
            if (!gradMode) {
                // outside a collector: record this graph anyway
                JniUtils.setGradMode(true);
            }
            NDArray detachedX = x.stopGradient();
            detachedX.attach(scope);
            NDArray leaf = detachedX.duplicate();
            leaf.attach(scope);
            leaf.setRequiresGradient(true);
            NDArray scalar = scalarOf.apply(leaf, new DetachedStore(scope));
            scalar.attach(scope);
            if (scalar.size() != 1) {
                throw new IllegalArgumentException("scalarOf must give one element, got shape " + scalar.getShape());
            }
            // + 0 · sum(leaf): the same gradient, and a graph to run backward on even when the scalar does not
            // depend on x (JniUtils.requiresGrad answers false for non-leaf results, and asking a tensor without
            // a graph for its grad_fn aborts the JVM, so neither can tell)
            NDArray anchored = scalar.reshape(new Shape()).add(GraphSafe.scale(leaf.sum(), 0.0));
            NDArray seed = scope.ones(new Shape(), scalar.getDataType(), scalar.getDevice());
            JniUtils.backward((PtNDArray) anchored, (PtNDArray) seed, false, false);
            NDArray grad = leaf.getGradient();
            grad.attach(scope);
            NDArray result = grad.duplicate();
            result.attach(x.getManager());
            return result;
        } finally {
            if (!gradMode) {
                JniUtils.setGradMode(false);
            }
        }
    }

    /** Trainable parameters as detached views, the others (BN running statistics) as copies. */
    private static final class DetachedStore extends ParameterStore {

        DetachedStore(NDManager manager) {
            super(manager, false);
        }

        @Override
        public NDArray getValue(Parameter parameter, Device device, boolean training) {
            NDArray value = super.getValue(parameter, device, training);
            if (value == null) {
                return null;
            }
            NDArray out = parameter.requiresGradient() ? value.stopGradient() : value.duplicate();
            out.attach(getManager());
            return out;
        }
    }
}
