package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import org.semiseg.model.ParameterNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mean teacher (Tarvainen and Valpola; Eq. 2 of Alonso et al.): a frozen copy of a student block whose weights
 * follow the student's as an exponential moving average, ξ = τξ + (1 − τ)θ, updated in place after each optimizer
 * step. BN running statistics are averaged the same way. Gradients never reach the teacher: its parameters are
 * frozen, and its outputs should be used with {@code stopGradient}.
 *
 * <p>The decay τ follows the authors' cosine ramp from a start value (0.995) to an end value (1) over training:
 * τ(t) = end − (end − start)·(1 + cos(π t / T)) / 2.
 */
public final class EmaTeacher {
    private final String prefix;
    private final Map<String, NDArray> teacher = new LinkedHashMap<>();
    private final Map<String, NDArray> student = new LinkedHashMap<>();

    /**
     * @param student the block being trained
     * @param teacher an initialised block of the same structure; it is frozen and set to the student's weights
     * @param prefix  prefix of the teacher's array names in {@link #state()} (e.g. {@code "teacher."})
     */
    public EmaTeacher(Block student, Block teacher, String prefix) {
        this.prefix = prefix;
        Map<String, Parameter> s = ParameterNames.of(student);
        Map<String, Parameter> t = ParameterNames.of(teacher);
        if (!s.keySet().equals(t.keySet())) {
            throw new IllegalArgumentException("teacher and student differ in structure");
        }
        teacher.freezeParameters(true);
        s.forEach((name, p) -> {
            NDArray sa = p.getArray();
            NDArray ta = t.get(name).getArray();
            if (!sa.getShape().equals(ta.getShape())) {
                throw new IllegalArgumentException("teacher parameter " + name + " has shape " + ta.getShape()
                        + ", the student's " + sa.getShape());
            }
            this.student.put(name, sa);
            this.teacher.put(name, ta);
        });
        copyFromStudent();
    }

    /** Sets every teacher array to the student's (bit-equal). */
    public void copyFromStudent() {
        teacher.forEach((name, t) -> t.set(new NDIndex("..."), student.get(name)));
    }

    /** Eq. 2 with decay {@code tau}, in place: ξ = τξ + (1 − τ)θ. */
    public void update(double tau) {
        if (teacher.isEmpty()) {
            return;
        }
        // the two factors as float32 scalars made once per update (a Number overload uploads one per call and array)
        NDManager m = teacher.values().iterator().next().getManager();
        try (NDArray keep = m.full(new Shape(), (float) tau);
             NDArray take = m.full(new Shape(), (float) (1 - tau))) {
            teacher.forEach((name, t) -> {
                try (NDArray part = student.get(name).mul(take)) { // EMA, after the step, outside the collector
                    t.muli(keep).addi(part); // in place on the frozen teacher, outside the collector
                }
            });
        }
    }

    /** The cosine ramp of the decay: {@code start} at iteration 0, {@code end} at {@code iterations}. */
    public static double decay(double start, double end, int iteration, int iterations) {
        double progress = iterations <= 0 ? 1 : Math.min(1, Math.max(0, iteration / (double) iterations));
        return end - (end - start) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    /** The teacher's arrays, named {@code prefix + parameter name} (owned by the teacher: do not close). */
    public NDList state() {
        List<NDArray> out = new ArrayList<>();
        teacher.forEach((name, t) -> {
            t.setName(prefix + name);
            out.add(t);
        });
        return new NDList(out);
    }

    /** Restores the teacher from arrays saved by {@link #state()}; every array must be there with its shape. */
    public void loadState(Map<String, NDArray> saved) {
        teacher.forEach((name, t) -> {
            NDArray s = saved.get(prefix + name);
            if (s == null || !s.getShape().equals(t.getShape())) {
                throw new IllegalArgumentException("method state lacks " + prefix + name + " of shape " + t.getShape());
            }
            t.set(new NDIndex("..."), s);
        });
    }

    /** Names of the arrays, for tests. */
    Map<String, NDArray> arrays() {
        return teacher;
    }
}
