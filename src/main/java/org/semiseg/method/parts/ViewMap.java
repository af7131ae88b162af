package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.ViewGeometry;
import org.semiseg.loss.GraphSafe;

/**
 * Carries per-pixel tensors of one view of each image of a batch (view {@code from}, H x W) onto another view of the
 * same images (view {@code to}, H' x W'): nearest neighbour by {@link ViewGeometry#map}, e.g. a teacher's
 * pseudo-labels and confidences on the weak view onto a strong view with its own scale, crop and flip.
 *
 * <p>The index is built on the host once; {@link #apply} is one {@code gather} along the flattened pixels and one
 * {@code where} on the device. A map where every pixel of {@code to} is its own source (equal sizes, index p -> p for
 * every image: equal geometries without padding) is the identity, and {@link #apply} returns its input.
 *
 * <p>The index arrays belong to the manager given at construction: make the map in the step's manager.
 */
public final class ViewMap {
    private final int n;
    private final int fromH;
    private final int fromW;
    private final int toH;
    private final int toW;
    /** (N, 1, P') int64 source pixel per pixel of {@code to}, 0 where none; null for the identity. */
    private final NDArray index;
    /** (N, H', W') boolean. */
    private final NDArray valid;

    private ViewMap(int n, int fromH, int fromW, int toH, int toW, NDArray index, NDArray valid) {
        this.n = n;
        this.fromH = fromH;
        this.fromW = fromW;
        this.toH = toH;
        this.toW = toW;
        this.index = index;
        this.valid = valid;
    }

    /** The map of a batch of N images of size h x w onto itself. */
    public static ViewMap identity(NDManager manager, int n, int h, int w) {
        return new ViewMap(n, h, w, h, w, null, manager.ones(new Shape(n, h, w), DataType.BOOLEAN));
    }

    /**
     * The map from view {@code from[i]} to view {@code to[i]} of each image i of a batch.
     *
     * @param from geometry per image (N) of the views the tensors to map are sized like; all of one size
     * @param to   geometry per image (N) of the views to map onto; all of one size
     */
    public static ViewMap between(ViewGeometry[] from, ViewGeometry[] to, NDManager manager) {
        if (from.length != to.length || from.length == 0) {
            throw new IllegalArgumentException("need one geometry per image on both sides, got " + from.length + " and " + to.length);
        }
        int n = from.length;
        if (java.util.Arrays.equals(from, to)) {
            // shared geometry (a strong view on the weak view's pixels): padded pixels stay the padding's business
            return identity(manager, n, to[0].height(), to[0].width());
        }
        int fromH = from[0].height();
        int fromW = from[0].width();
        int toH = to[0].height();
        int toW = to[0].width();
        int p = toH * toW;
        int[] index = new int[n * p];
        boolean identity = fromH == toH && fromW == toW;
        for (int i = 0; i < n; i++) {
            if (from[i].height() != fromH || from[i].width() != fromW || to[i].height() != toH || to[i].width() != toW) {
                throw new IllegalArgumentException("the views of a batch must share a size: image " + i + " maps "
                        + from[i].height() + "x" + from[i].width() + " to " + to[i].height() + "x" + to[i].width()
                        + ", image 0 " + fromH + "x" + fromW + " to " + toH + "x" + toW);
            }
            int[] map = ViewGeometry.map(from[i], to[i]);
            System.arraycopy(map, 0, index, i * p, p);
            for (int q = 0; q < p && identity; q++) {
                identity = map[q] == q;
            }
        }
        if (identity) {
            return identity(manager, n, toH, toW);
        }
        boolean[] valid = new boolean[n * p];
        for (int q = 0; q < index.length; q++) {
            valid[q] = index[q] >= 0;
            index[q] = Math.max(0, index[q]); // a valid place to read from; `where` replaces what is read there
        }
        NDArray idx;
        try (NDArray int32 = GraphSafe.upload(manager, index)) {
            idx = int32.toType(DataType.INT64, false).reshape(n, 1, p);
        }
        NDArray mask;
        try (NDArray wrapped = manager.create(valid, new Shape(n, toH, toW))) {
            mask = wrapped.duplicate();
        }
        return new ViewMap(n, fromH, fromW, toH, toW, idx, mask);
    }

    /** Whether {@link #apply} returns its input. */
    public boolean isIdentity() {
        return index == null;
    }

    /** (N, H', W') boolean: the pixels of view {@code to} that have a source in view {@code from}. */
    public NDArray valid() {
        return valid;
    }

    /**
     * {@code x} carried from view {@code from} to view {@code to}.
     *
     * @param x    (N, C, H, W) or (N, H, W), any data type, sized like view {@code from}
     * @param fill the value where a pixel of {@code to} has no source (e.g. the ignore index for labels, 0 for
     *             confidences), converted to {@code x}'s data type
     * @return (N, C, H', W') or (N, H', W'), {@code x}'s data type, in {@code x}'s manager; {@code x} itself for the
     *         identity
     */
    public NDArray apply(NDArray x, double fill) {
        Shape shape = x.getShape();
        boolean channels = shape.dimension() == 4;
        if (!(channels || shape.dimension() == 3) || shape.get(0) != n
                || shape.get(shape.dimension() - 2) != fromH || shape.get(shape.dimension() - 1) != fromW) {
            throw new IllegalArgumentException("expected (" + n + ", [C,] " + fromH + ", " + fromW + "), got " + shape);
        }
        if (isIdentity()) {
            return x;
        }
        long c = channels ? shape.get(1) : 1;
        try (NDArray flat = x.reshape(n, c, (long) fromH * fromW);
             NDArray spread = index.broadcast(n, c, (long) toH * toW);
             NDArray gathered = flat.gather(spread, 2);
             NDArray shaped = gathered.reshape(channels ? new Shape(n, c, toH, toW) : new Shape(n, toH, toW));
             NDArray value = x.getManager().full(new Shape(), (float) fill, x.getDataType())) {
            if (!channels) {
                return NDArrays.where(valid, shaped, value);
            }
            // DJL's where wants the condition in the values' shape (it does not broadcast it).
            try (NDArray one = valid.expandDims(1); NDArray where = one.broadcast(shaped.getShape())) {
                return NDArrays.where(where, shaped, value);
            }
        }
    }
}
