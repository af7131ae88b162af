package org.semiseg.method.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.loss.GraphSafe;
import java.util.Arrays;
import java.util.Map;

/**
 * The class-wise memory bank of Alonso et al. (Section 3.4): for every class a first-in-first-out queue of at most
 * {@code size} vectors ψ of {@code dim} floats, kept on the host. Each queue is a ring buffer: a push overwrites the
 * oldest vectors once the queue is full.
 *
 * <p>The saved state lists every queue newest first, so it does not depend on where the ring happens to start;
 * restoring it re-pushes the vectors oldest first, which gives the same entries and the same behaviour on later
 * pushes.
 */
public final class MemoryBank {

    /** Name of the (C, size, dim) float32 array of {@link #state()}: row 0 of each class is its newest vector. */
    public static final String VECTORS = "bank.vectors";
    /** Name of the (C) int32 array of {@link #state()}: how many vectors each class holds. */
    public static final String FILL = "bank.fill";

    private final int numClasses;
    private final int size;
    private final int dim;
    private final float[][] slots;
    /** Per class: the slot the next vector goes to. */
    private final int[] next;
    private final int[] fill;

    public MemoryBank(int numClasses, int size, int dim) {
        if (numClasses < 1 || size < 1 || dim < 1) {
            throw new IllegalArgumentException("numClasses, size and dim must be positive, got "
                    + numClasses + ", " + size + ", " + dim);
        }
        if ((long) size * dim > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size * dim too large: " + size + " * " + dim);
        }
        this.numClasses = numClasses;
        this.size = size;
        this.dim = dim;
        this.slots = new float[numClasses][size * dim];
        this.next = new int[numClasses];
        this.fill = new int[numClasses];
    }

    public int numClasses() {
        return numClasses;
    }

    public int size() {
        return size;
    }

    public int dim() {
        return dim;
    }

    /** Number of vectors class c holds, 0..size. */
    public int fill(int c) {
        return fill[checkClass(c)];
    }

    /**
     * Appends {@code count} vectors (row-major, count x dim, from the start of {@code vectors}) to class c's queue in
     * the order given, so the last one given becomes the newest; beyond {@code size} vectors the oldest are dropped.
     */
    public void push(int c, float[] vectors, int count) {
        checkClass(c);
        if (count < 0 || (long) count * dim > vectors.length) {
            throw new IllegalArgumentException("push of " + count + " vectors of " + dim + " floats from an array of "
                    + vectors.length);
        }
        // only the last `size` vectors can survive this push
        int first = Math.max(0, count - size);
        float[] queue = slots[c];
        for (int i = first; i < count; i++) {
            System.arraycopy(vectors, i * dim, queue, next[c] * dim, dim);
            next[c] = (next[c] + 1) % size;
        }
        fill[c] = Math.min(size, fill[c] + count - first);
    }

    /** Class c's vectors, newest first: fill(c) x dim floats (a copy). */
    public float[] entries(int c) {
        checkClass(c);
        float[] out = new float[fill[c] * dim];
        for (int i = 0; i < fill[c]; i++) {
            int slot = Math.floorMod(next[c] - 1 - i, size);
            System.arraycopy(slots[c], slot * dim, out, i * dim, dim);
        }
        return out;
    }

    /** Class c's vectors, newest first, as a (fill, dim) float32 array of {@code manager}; null when empty. */
    public NDArray entries(NDManager manager, int c) {
        if (fill(c) == 0) {
            return null;
        }
        return GraphSafe.upload(manager, entries(c), new Shape(fill[c], dim));
    }

    /** Clears every queue. */
    public void clear() {
        for (int c = 0; c < numClasses; c++) {
            Arrays.fill(slots[c], 0f);
            next[c] = 0;
            fill[c] = 0;
        }
    }

    /**
     * The bank as two named arrays, {@value #VECTORS} (C, size, dim) float32 with each class's vectors newest first
     * (zeros past its fill) and {@value #FILL} (C) int32, created by {@code manager}.
     */
    public NDList state(NDManager manager) {
        float[] all = new float[numClasses * size * dim];
        for (int c = 0; c < numClasses; c++) {
            float[] e = entries(c);
            System.arraycopy(e, 0, all, c * size * dim, e.length);
        }
        NDArray vectors = manager.create(all, new Shape(numClasses, size, dim));
        vectors.setName(VECTORS);
        NDArray counts = manager.create(fill.clone());
        counts.setName(FILL);
        return new NDList(vectors, counts);
    }


    /**
     * Restores a state written by {@link #state(NDManager)} (looked up by name; other entries are ignored). Throws
     * IllegalArgumentException, leaving the bank unchanged, when an array is missing or its shape or values do not
     * fit this bank.
     */
    public void loadState(Map<String, NDArray> saved) {
        NDArray vectors = saved.get(VECTORS);
        NDArray counts = saved.get(FILL);
        if (vectors == null || counts == null) {
            throw new IllegalArgumentException("memory bank state needs arrays '" + VECTORS + "' and '" + FILL
                    + "', found " + saved.keySet());
        }
        Shape expected = new Shape(numClasses, size, dim);
        if (!vectors.getShape().equals(expected)) {
            throw new IllegalArgumentException("memory bank state: '" + VECTORS + "' has shape " + vectors.getShape()
                    + " but this bank (classes, size, dim) needs " + expected);
        }
        if (!counts.getShape().equals(new Shape(numClasses))) {
            throw new IllegalArgumentException("memory bank state: '" + FILL + "' has shape " + counts.getShape()
                    + " but this bank needs (" + numClasses + ")");
        }
        float[] all = vectors.toType(DataType.FLOAT32, false).toFloatArray();
        float[] countValues = counts.toType(DataType.FLOAT32, false).toFloatArray();
        int[] restored = new int[numClasses];
        for (int c = 0; c < numClasses; c++) {
            float v = countValues[c];
            if (!(v >= 0 && v <= size) || v != Math.rint(v)) {
                throw new IllegalArgumentException("memory bank state: fill of class " + c + " is " + v
                        + ", not an integer in 0.." + size);
            }
            restored[c] = (int) v;
        }
        clear();
        float[] oldestFirst = new float[size * dim];
        for (int c = 0; c < numClasses; c++) {
            int n = restored[c];
            int base = c * size * dim;
            for (int i = 0; i < n; i++) {
                // saved row i is the i-th newest; pushed order must end with the newest
                System.arraycopy(all, base + i * dim, oldestFirst, (n - 1 - i) * dim, dim);
            }
            push(c, oldestFirst, n);
        }
    }

    private int checkClass(int c) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("class " + c + " outside 0.." + (numClasses - 1));
        }
        return c;
    }
}
