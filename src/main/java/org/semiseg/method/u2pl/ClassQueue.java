package org.semiseg.method.u2pl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * U2PL's memory of negatives (Wang et al., CVPR 2022, Sec. 3.3, "category-wise memory bank"): for every class c a
 * first-in-first-out queue Q_c of at most {@code size} key vectors of {@code dim} floats (the teacher's
 * representations of the negatives of c). The queues are one (C, size, dim) float32 array created on the device of
 * the manager given (the run's), each class's row a ring buffer: a push writes after the newest key and, once the queue
 * is full, over the oldest. A push of more than {@code size} keys keeps its last {@code size}.
 *
 * <p>Its state is that array with the ring positions, {@value #KEYS}, {@value #FILL} and {@value #NEXT}, so a restored
 * queue holds and later drops exactly what the saved one did.
 */
public final class ClassQueue {
    /** (C, size, dim) float32: the ring buffers. */
    public static final String KEYS = "negatives.keys";
    /** (C) int32: keys held per class. */
    public static final String FILL = "negatives.fill";
    /** (C) int32: per class, the slot the next key goes to. */
    public static final String NEXT = "negatives.next";

    private final int classes;
    private final int size;
    private final int dim;
    private final NDArray keys;
    private final int[] next;
    private final int[] fill;
    private final NDArray fillState;
    private final NDArray nextState;

    /** @param manager long-lived manager: the queues live on its device until it closes */
    public ClassQueue(NDManager manager, int classes, int size, int dim) {
        if (classes < 1 || size < 1 || dim < 1) {
            throw new IllegalArgumentException("classes, size and dim must be positive, got " + classes + ", " + size
                    + ", " + dim);
        }
        this.classes = classes;
        this.size = size;
        this.dim = dim;
        this.keys = manager.zeros(new Shape(classes, size, dim), DataType.FLOAT32);
        this.next = new int[classes];
        this.fill = new int[classes];
        this.fillState = manager.zeros(new Shape(classes), DataType.INT32);
        this.nextState = manager.zeros(new Shape(classes), DataType.INT32);
        keys.setName(KEYS);
        fillState.setName(FILL);
        nextState.setName(NEXT);
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    /** Keys class c holds, 0..size. */
    public int fill(int c) {
        return fill[check(c)];
    }

    /**
     * Appends {@code vectors} (k, dim), detached, to class c's queue in row order: the last row becomes the newest.
     * The values are copied into the queue; {@code vectors} may be closed afterwards.
     */
    public void push(int c, NDArray vectors) {
        check(c);
        Shape s = vectors.getShape();
        if (s.dimension() != 2 || s.get(1) != dim) {
            throw new IllegalArgumentException("keys must be (k, " + dim + "), got " + s);
        }
        int k = (int) Math.min(s.get(0), size);
        if (k == 0) {
            return;
        }
        NDArray kept = s.get(0) > size ? vectors.get((s.get(0) - size) + ":") : vectors;
        int first = Math.min(k, size - next[c]);
        keys.set(new NDIndex("{}, {}:{}", c, next[c], next[c] + first), kept.get(":" + first));
        if (k > first) {
            keys.set(new NDIndex("{}, 0:{}", c, k - first), kept.get(first + ":"));
        }
        next[c] = (next[c] + k) % size;
        fill[c] = Math.min(size, fill[c] + k);
    }

    /**
     * For every row r, {@code count} keys drawn uniformly with replacement from the queue of class
     * {@code classOfRow[r]} (which must not be empty): (R, count, dim) float32 of {@code manager}, in draw order
     * (row by row, {@code rng} drawing the slots).
     */
    public NDArray sample(int[] classOfRow, int count, SplittableRandom rng, NDManager manager) {
        int[] slots = new int[classOfRow.length * count];
        for (int r = 0; r < classOfRow.length; r++) {
            int c = classOfRow[r];
            if (fill(c) == 0) {
                throw new IllegalStateException("the queue of class " + c + " is empty");
            }
            for (int j = 0; j < count; j++) {
                slots[r * count + j] = c * size + rng.nextInt(fill[c]);
            }
        }
        return rows(slots, manager).reshape(classOfRow.length, count, dim);
    }

    /** Class c's keys, oldest first: (fill, dim) float32 of {@code manager}. */
    public NDArray entries(int c, NDManager manager) {
        int n = fill(c);
        int oldest = n < size ? 0 : next[c];
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = c * size + (oldest + i) % size;
        }
        return rows(slots, manager).reshape(n, dim);
    }

    /** Rows of the flattened (C·size, dim) queues, as an array of {@code manager}. */
    private NDArray rows(int[] flatSlots, NDManager manager) {
        try (NDArray flat = keys.reshape((long) classes * size, dim);
             NDArray index = GraphSafe.upload(manager, flatSlots);
             NDArray index64 = index.toType(DataType.INT64, false)) {
            NDArray picked = flat.get(index64);
            picked.attach(manager);
            return picked;
        }
    }

    /** {@value #KEYS}, {@value #FILL}, {@value #NEXT}: the live arrays (refreshed on each call; do not close). */
    public NDList state() {
        fillState.set(fill);
        nextState.set(next);
        return new NDList(keys, fillState, nextState);
    }

    /**
     * Restores what {@link #state()} returned (looked up by name). Throws IllegalArgumentException, leaving the queue
     * unchanged, when an array is missing or does not fit this queue.
     */
    public void loadState(Map<String, NDArray> saved) {
        NDArray k = saved.get(KEYS);
        NDArray f = saved.get(FILL);
        NDArray n = saved.get(NEXT);
        if (k == null || f == null || n == null) {
            throw new IllegalArgumentException("negative queue state needs '" + KEYS + "', '" + FILL + "' and '" + NEXT
                    + "', found " + saved.keySet());
        }
        if (!k.getShape().equals(keys.getShape()) || f.size() != classes || n.size() != classes) {
            throw new IllegalArgumentException("negative queue state: " + KEYS + " " + k.getShape() + ", " + FILL + " "
                    + f.getShape() + ", " + NEXT + " " + n.getShape() + " do not fit a queue of (classes, size, dim) "
                    + keys.getShape());
        }
        int[] fills = f.toType(DataType.INT32, false).toIntArray();
        int[] nexts = n.toType(DataType.INT32, false).toIntArray();
        for (int c = 0; c < classes; c++) {
            boolean ring = fills[c] == size ? nexts[c] >= 0 && nexts[c] < size : fills[c] >= 0 && nexts[c] == fills[c];
            if (!ring || fills[c] > size) {
                throw new IllegalArgumentException("negative queue state: class " + c + " holds " + fills[c]
                        + " keys with the next at slot " + nexts[c] + ", impossible in a queue of " + size);
            }
        }
        keys.set(new NDIndex("..."), k);
        System.arraycopy(fills, 0, fill, 0, classes);
        System.arraycopy(nexts, 0, next, 0, classes);
    }

    private int check(int c) {
        if (c < 0 || c >= classes) {
            throw new IllegalArgumentException("class " + c + " outside 0.." + (classes - 1));
        }
        return c;
    }
}
