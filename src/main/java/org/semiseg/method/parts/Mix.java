package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.semiseg.loss.GraphSafe;

/**
 * One batch mix (ClassMix, CutMix, ...), applied on the device. Output image {@code i} takes pixel {@code p} from
 * batch item {@code sourceIndex[i]} where {@code mask[i, 0, p] == 1} and from batch item {@code targetIndex[i]}
 * elsewhere; images, probabilities, labels and confidences all follow the same mask.
 *
 * <p>The mask is an (N, 1, H, W) float32 array of 0 and 1 on the device; it belongs to the manager it was created
 * in (the training step's), which closes it: a {@code Mix} owns nothing and needs no closing. {@link #anyMixed()} is
 * known on the host, so a step can skip mixing without reading the device.
 *
 * <p>{@link #apply} gathers the source and target rows with an index array and selects between them with
 * {@code where}; both are differentiable with respect to the mixed batch, and the index arrays are uploaded with
 * {@link GraphSafe#upload} (torch owns their memory), so a mix may be applied to arrays that need gradients.
 */
public final class Mix {
    private final NDArray mask;
    private final int[] sourceIndex;
    private final int[] targetIndex;
    private final boolean anyMixed;

    private Mix(NDArray mask, int[] sourceIndex, int[] targetIndex, boolean anyMixed) {
        this.mask = mask;
        this.sourceIndex = sourceIndex;
        this.targetIndex = targetIndex;
        this.anyMixed = anyMixed;
    }

    /**
     * A mix from a device mask; reads once from the device whether the mask has any 1.
     *
     * @param mask        (N, 1, H, W) float32 of 0 and 1, on the device
     * @param sourceIndex N indices into the source batch: output i is pasted from item {@code sourceIndex[i]}
     * @param targetIndex N indices into the target batch: output i is pasted onto item {@code targetIndex[i]}
     */
    public static Mix of(NDArray mask, int[] sourceIndex, int[] targetIndex) {
        check(mask, sourceIndex, targetIndex);
        boolean any;
        try (NDArray a = mask.any()) {
            any = a.getBoolean();
        }
        return new Mix(mask, sourceIndex.clone(), targetIndex.clone(), any);
    }

    /** {@link #of} when the caller knows on the host whether the (N, 1, H, W) mask has any 1 (no device read). */
    static Mix of(NDArray mask, int[] sourceIndex, int[] targetIndex, boolean anyMixed) {
        check(mask, sourceIndex, targetIndex);
        return new Mix(mask, sourceIndex.clone(), targetIndex.clone(), anyMixed);
    }

    /**
     * The identity mix of a batch of (N, C, H, W) images: mask (N, 1, H, W) all 0, each output its own target and
     * source ({@code sourceIndex[i] == targetIndex[i] == i}); {@link #apply} returns its input.
     *
     * @param m the manager of the mask (the step's)
     */
    public static Mix none(NDManager m, int n, int h, int w) {
        if (n <= 0 || h <= 0 || w <= 0) {
            throw new IllegalArgumentException("mix dimensions must be positive, got " + n + "x" + h + "x" + w);
        }
        int[] self = identity(n);
        return new Mix(m.zeros(new Shape(n, 1, h, w), DataType.FLOAT32), self, self.clone(), false);
    }

    /**
     * The same pairing with the mask resized by nearest neighbour to {@code height} x {@code width} ({@link Nearest}):
     * for tensors of the mixed batch at a feature map's resolution (representations, downsampled labels).
     */
    public Mix nearest(int height, int width) {
        return new Mix(Nearest.resize(mask, height, width), sourceIndex, targetIndex, anyMixed);
    }

    /** The mask, (N, 1, H, W) float32 of 0 and 1 on the device; 1 where output i comes from its source. */
    public NDArray mask() {
        return mask;
    }

    /** Per output i of the (N, C, H, W) batch, the item whose pixels are pasted where the mask is 1 (a copy). */
    public int[] sourceIndex() {
        return sourceIndex.clone();
    }

    /** Per output i of the (N, C, H, W) batch, the item pasted onto, kept where the mask is 0 (a copy). */
    public int[] targetIndex() {
        return targetIndex.clone();
    }

    /** Whether any pixel of the (N, C, H, W) output comes from a source (the mask has a 1); known on the host. */
    public boolean anyMixed() {
        return anyMixed;
    }

    /**
     * Mixes a batch with itself: output i is {@code where(mask_i, x[sourceIndex[i]], x[targetIndex[i]])}.
     *
     * @param x (N, C, H, W) (images, probabilities, logits) or (N, H, W) (labels of any integer type,
     *          confidences); the batch of both source and target
     * @return the same dtype and shape as {@code x}, in {@code x}'s manager; {@code x} itself when nothing is mixed
     *         and every output is its own target
     */
    public NDArray apply(NDArray x) {
        return apply(x, x);
    }

    /**
     * Mixes two batches: output i is {@code where(mask_i, source[sourceIndex[i]], target[targetIndex[i]])}, e.g.
     * UniMatch pasting from a second, independently drawn unlabeled batch.
     *
     * @param target (N, C, H, W) or (N, H, W), the batch pasted onto (its size may differ from N if the indices fit)
     * @param source the batch pasted from: same dtype, rank, channels and (H, W) as {@code target}
     * @return (N, C, H, W) or (N, H, W) of {@code target}'s dtype, in {@code target}'s manager; {@code target} itself
     *         when nothing is mixed and every output is its own target
     */
    public NDArray apply(NDArray target, NDArray source) {
        checkOperand("target", target, targetIndex);
        checkOperand("source", source, sourceIndex);
        if (target.getDataType() != source.getDataType()) {
            throw new IllegalArgumentException("target is " + target.getDataType() + " but source is " + source.getDataType());
        }
        Shape ts = target.getShape();
        Shape ss = source.getShape();
        if (ts.dimension() == 4 && ts.get(1) != ss.get(1)) {
            throw new IllegalArgumentException("target has " + ts.get(1) + " channels but source " + ss.get(1));
        }
        boolean identityTarget = ts.get(0) == sourceIndex.length && isIdentity(targetIndex);
        if (!anyMixed) {
            return identityTarget ? target : rows(target, targetIndex);
        }
        NDArray to = identityTarget ? target : rows(target, targetIndex);
        NDArray from = rows(source, sourceIndex);
        Shape out = new Shape(sourceIndex.length).addAll(ts.slice(1));
        try (NDArray flat = ts.dimension() == 4 ? null : mask.squeeze(1);
             NDArray bool = (flat == null ? mask : flat).toType(DataType.BOOLEAN, false);
             NDArray cond = bool.broadcast(out)) {
            NDArray mixed = NDArrays.where(cond, from, to);
            mixed.attach(target.getManager());
            if (to != target) {
                to.close();
            }
            from.close();
            return mixed;
        }
    }

    /** Rows {@code index} of x along axis 0, through a torch-owned int64 index array (safe inside a graph). */
    private NDArray rows(NDArray x, int[] index) {
        try (NDArray idx = GraphSafe.upload(mask.getManager(), index);
             NDArray idx64 = idx.toType(DataType.INT64, false)) {
            return x.get(idx64);
        }
    }

    private void checkOperand(String what, NDArray x, int[] index) {
        Shape s = x.getShape();
        Shape m = mask.getShape();
        boolean rank4 = s.dimension() == 4 && s.get(2) == m.get(2) && s.get(3) == m.get(3);
        boolean rank3 = s.dimension() == 3 && s.get(1) == m.get(2) && s.get(2) == m.get(3);
        if (!rank4 && !rank3) {
            throw new IllegalArgumentException(what + " must be (N, C, " + m.get(2) + ", " + m.get(3) + ") or (N, "
                    + m.get(2) + ", " + m.get(3) + "), got " + s);
        }
        for (int i : index) {
            if (i >= s.get(0)) {
                throw new IllegalArgumentException(what + " has " + s.get(0) + " items but the mix reads item " + i);
            }
        }
    }

    private static void check(NDArray mask, int[] sourceIndex, int[] targetIndex) {
        Shape s = mask.getShape();
        if (s.dimension() != 4 || s.get(1) != 1 || s.get(0) <= 0) {
            throw new IllegalArgumentException("mask must be (N, 1, H, W), got " + s);
        }
        if (mask.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("mask must be float32, got " + mask.getDataType());
        }
        long n = s.get(0);
        if (sourceIndex.length != n || targetIndex.length != n) {
            throw new IllegalArgumentException("mask has " + n + " items but sourceIndex " + sourceIndex.length
                    + " and targetIndex " + targetIndex.length);
        }
        for (int i = 0; i < n; i++) {
            if (sourceIndex[i] < 0 || targetIndex[i] < 0) {
                throw new IllegalArgumentException("negative index in " + Arrays.toString(sourceIndex) + " / "
                        + Arrays.toString(targetIndex));
            }
        }
    }

    static int[] identity(int n) {
        int[] self = new int[n];
        for (int i = 0; i < n; i++) {
            self[i] = i;
        }
        return self;
    }

    private static boolean isIdentity(int[] index) {
        for (int i = 0; i < index.length; i++) {
            if (index[i] != i) {
                return false;
            }
        }
        return true;
    }

    /** The pairing of ClassMix and CutMix: output i pastes from (i + 1) mod n onto i; {source, target}. */
    static int[][] nextPairs(int n) {
        int[] source = new int[n];
        for (int i = 0; i < n; i++) {
            source[i] = (i + 1) % n;
        }
        return new int[][] {source, identity(n)};
    }
}
