package org.semiseg.method.parts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.semiseg.config.MethodConfig;
import org.semiseg.method.EmaTeacher;
import org.semiseg.method.MethodSetup;
import org.semiseg.model.Models;
import org.semiseg.model.SegmentationNet;

/** The mean teacher of Alonso et al. (Eq. 2), declared as the method's EMA copy of the student. */
public final class Teachers {
    private Teachers() {
    }

    /**
     * A copy of the student, declared as module {@code teacher} and moved after every update with the cosine ramp of
     * {@code method.ema} ({@link EmaTeacher#decay}).
     */
    public static SegmentationNet emaOfStudent(MethodSetup setup) {
        return emaOfStudent(setup, cosineRamp(setup.config().method()));
    }

    /** A copy of the student, declared as module {@code teacher} and moved after every update with τ = {@code decay}. */
    public static SegmentationNet emaOfStudent(MethodSetup setup, MethodSetup.Decay decay) {
        SegmentationNet student = setup.student();
        SegmentationNet teacher = Models.build(student.spec());
        teacher.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, 3, 64, 64));
        return setup.emaCopy("teacher", teacher, student, decay);
    }

    /** τ(t) of {@code method.ema}: start at iteration 0, end at the last. */
    public static MethodSetup.Decay cosineRamp(MethodConfig settings) {
        return (it, its) -> EmaTeacher.decay(settings.emaStart(), settings.emaEnd(), it, its);
    }

    /**
     * The teacher's training-mode forward pass (BN with batch statistics, as in the authors' code), detached:
     * [logits (N, C, H, W), features (N, F, h, w)].
     */
    public static NDList forward(SegmentationNet teacher, ParameterStore ps, NDArray images) {
        NDList out = teacher.forward(ps, new NDList(images), true);
        NDList detached = new NDList(out.get(0).stopGradient(), out.get(1).stopGradient());
        out.close(); // the detached handles share the memory: closing them frees it, not the step's end
        return detached;
    }

    /** Eq. 5 on the step's weak view: the teacher's pseudo-labels, padding ignored. */
    public static PseudoLabels pseudoLabels(SegmentationNet teacher, org.semiseg.method.Step step) {
        org.semiseg.method.Batch.Unlabeled u = step.unlabeled();
        try (NDList out = forward(teacher, step.parameters(), u.weak())) {
            return PseudoLabels.of(out.get(0), u.padding(), step.ignoreIndex());
        }
    }
}
