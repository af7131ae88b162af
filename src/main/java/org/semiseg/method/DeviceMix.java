package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.ClassMix;

/**
 * Applies a batch mix chosen on the host ({@link ClassMix#choose}) to arrays on the training device, and to host
 * label maps: output i takes image {@code sourceIndex[i]} where the mask is 1 and image {@code targetIndex[i]}
 * elsewhere.
 */
final class DeviceMix {
    private DeviceMix() {
    }

    /** Mixes (N, C, H, W) images; returns {@code x} itself when nothing is pasted. */
    static NDArray images(NDManager manager, NDArray x, ClassMix.Choice choice) {
        if (!choice.anyMixed()) {
            return x;
        }
        Shape s = x.getShape();
        int n = (int) s.get(0);
        int plane = (int) (s.get(2) * s.get(3));
        float[] mask = new float[n * plane];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = choice.masks()[i];
        }
        NDArray m = manager.create(mask, new Shape(n, 1, s.get(2), s.get(3)));
        NDArray source = reorder(x, choice.sourceIndex());
        NDArray target = reorder(x, choice.targetIndex());
        return source.mul(m).add(target.mul(m.neg().add(1f))); // graph-safe: 1 - m, a host-made mask with no gradient
    }

    private static NDArray reorder(NDArray x, int[] order) {
        boolean identity = true;
        for (int i = 0; i < order.length; i++) {
            identity &= order[i] == i;
        }
        if (identity) {
            return x;
        }
        NDList rows = new NDList(order.length);
        for (int i : order) {
            rows.add(x.get(i));
        }
        return NDArrays.stack(rows);
    }

    /** Mixes (N, H, W) int maps on the host. */
    static int[] labels(int[] labels, ClassMix.Choice choice) {
        int n = choice.sourceIndex().length;
        int plane = labels.length / n;
        int[] out = new int[labels.length];
        for (int i = 0; i < n; i++) {
            int src = choice.sourceIndex()[i] * plane;
            int tgt = choice.targetIndex()[i] * plane;
            for (int p = 0; p < plane; p++) {
                out[i * plane + p] = choice.masks()[i * plane + p] != 0 ? labels[src + p] : labels[tgt + p];
            }
        }
        return out;
    }

    /** Mixes (N, H, W) float maps on the host. */
    static float[] values(float[] values, ClassMix.Choice choice) {
        int n = choice.sourceIndex().length;
        int plane = values.length / n;
        float[] out = new float[values.length];
        for (int i = 0; i < n; i++) {
            int src = choice.sourceIndex()[i] * plane;
            int tgt = choice.targetIndex()[i] * plane;
            for (int p = 0; p < plane; p++) {
                out[i * plane + p] = choice.masks()[i * plane + p] != 0 ? values[src + p] : values[tgt + p];
            }
        }
        return out;
    }
}
