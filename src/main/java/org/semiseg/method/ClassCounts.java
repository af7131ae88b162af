package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.semiseg.loss.ClassBalance;

import java.util.Map;

/**
 * Class frequencies for the class balancing of Section 4.2 (α_c = sqrt(f_m / f_c)) that keep counting during
 * training: they start from the labeled masks and add, every step, the pixels of the labeled batch and of the
 * teacher's pseudo-labels, as the authors' curriculum class balancing does. Saved in checkpoints, so a resumed run
 * weighs exactly as an uninterrupted one.
 */
final class ClassCounts {
    static final String STATE = "balance.counts";

    private final long[] counts;
    private final NDArray saved;

    /** @param manager long-lived manager that holds the array {@link #state()} returns */
    ClassCounts(long[] initial, NDManager manager) {
        this.counts = initial.clone();
        this.saved = manager.create(counts);
        saved.setName(STATE);
    }

    /** Adds the non-ignored pixels of {@code labels}, (N, H, W) integer, on any device. */
    void add(NDArray labels, int ignoreIndex) {
        add(labels.toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray(), ignoreIndex);
    }

    /** Adds the non-ignored pixels of {@code labels}. */
    void add(int[] labels, int ignoreIndex) {
        for (int v : labels) {
            if (v != ignoreIndex && v >= 0 && v < counts.length) {
                counts[v]++;
            }
        }
    }

    /**
     * α of Eq. 3 for a step: the counts take the step's labeled masks and its pseudo-labels (when the teacher ran),
     * then give the weights; without counts (class balancing off) the run's fixed {@code step.classWeight()}.
     */
    static NDArray alpha(ClassCounts counts, Step step, org.semiseg.method.parts.PseudoLabels pseudo) {
        if (counts == null) {
            return step.classWeight();
        }
        counts.add(step.labeled().masks(), step.ignoreIndex());
        if (pseudo != null) {
            counts.add(pseudo.labels(), step.ignoreIndex());
        }
        return counts.weights(step.manager());
    }

    /** α of Eq. 3 from the counts so far, (C). */
    NDArray weights(NDManager manager) {
        return manager.create(ClassBalance.weights(counts));
    }

    long[] counts() {
        return counts.clone();
    }

    /** The counts as an array named {@value #STATE} (refreshed on each call; owned by this object). */
    NDArray state() {
        saved.set(java.nio.LongBuffer.wrap(counts));
        return saved;
    }

    void loadState(Map<String, NDArray> saved) {
        NDArray s = saved.get(STATE);
        if (s == null || s.size() != counts.length) {
            throw new IllegalArgumentException("method state lacks " + STATE + " with " + counts.length + " classes");
        }
        long[] values = s.toLongArray();
        System.arraycopy(values, 0, counts, 0, counts.length);
    }
}
