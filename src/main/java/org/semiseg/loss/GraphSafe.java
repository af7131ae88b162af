package org.semiseg.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Tensor operations that are safe inside a gradient collector on DJL's PyTorch engine (CPU).
 *
 * <p>Why this exists: on CPU, {@code NDManager.create(...)} wraps a direct {@code ByteBuffer} with
 * {@code torch::from_blob}, so the tensor does not own its memory; only the Java array's reference keeps the buffer
 * alive. DJL's scalar overloads ({@code x.mul(2f)}, {@code x.div(n)}, {@code x.pow(6)}, ...) create such a scalar,
 * apply the operation and close it at once. When {@code x} needs a gradient, autograd saves that scalar for the
 * backward pass ({@code d(x·s)/dx = s}); after the close the garbage collector may free its buffer, and backward then
 * reads whatever the memory holds by then. The symptom is a normal loss with a gradient of 1e5 and NaN weights one
 * step later, at a random iteration (it showed on the demo at the first iterations with the pseudo-label loss, and
 * at once under {@code -Xmn4m}, which makes collections frequent). The same holds for any array made from host data
 * and closed before backward (index arrays, memory-bank entries).
 *
 * <p>The rules kept in the training code: scalars that meet a tensor with a gradient come from {@link #scale},
 * {@link #divide} or {@link #power}, whose constants torch allocates itself; host data that may be closed early is
 * uploaded with {@link #upload}, which hands torch its own copy.
 *
 * <p>A second trap: DJL's {@code NDArrays.concat} of a list that holds one array returns {@code duplicate()} of it,
 * a copy without its graph. Backward then stops there without a word (CCT with one perturbation kind trained no
 * encoder through its consistency loss). {@link #concat} returns that one array itself; the training code calls it
 * instead of {@code NDArrays.concat} (GraphSafeScanTest checks).
 */
public final class GraphSafe {
    private GraphSafe() {
    }

    /**
     * {@code NDArrays.concat(parts, axis)}, except that one part is returned as it is, graph included.
     *
     * @param parts at least one array
     */
    public static NDArray concat(NDList parts, int axis) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        return parts.size() == 1 ? parts.head() : NDArrays.concat(parts, axis);
    }

    /** {@code x · value}. */
    public static NDArray scale(NDArray x, double value) {
        try (NDArray s = constant(x, value)) {
            return x.mul(s);
        }
    }

    /** {@code x / value}. */
    public static NDArray divide(NDArray x, double value) {
        try (NDArray s = constant(x, value)) {
            return x.div(s);
        }
    }

    /** {@code x ^ value}. */
    public static NDArray power(NDArray x, double value) {
        try (NDArray s = constant(x, value)) {
            return x.pow(s);
        }
    }

    /** A scalar of x's type and manager in memory torch owns ({@code torch::full}, not a wrapped Java buffer). */
    private static NDArray constant(NDArray x, double value) {
        return x.getManager().full(new Shape(), (float) value, x.getDataType());
    }

    /** Host floats as an array of {@code manager} whose memory torch owns: closing it early is safe. */
    public static NDArray upload(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }

    /** Host ints (e.g. indices) as an array of {@code manager} whose memory torch owns: closing it early is safe. */
    public static NDArray upload(NDManager manager, int[] data) {
        try (NDArray wrapped = manager.create(data)) {
            return wrapped.duplicate();
        }
    }
}
