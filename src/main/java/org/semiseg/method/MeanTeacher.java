package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.parts.PseudoLabelLoss;
import org.semiseg.method.parts.PseudoLabels;
import org.semiseg.method.parts.Teachers;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code mean-teacher}: the teacher-student core of Alonso et al. (ICCV 2021), Sections 3.1-3.3, without mixing:
 * <ul>
 *   <li>L_sup (Eq. 4): weighted cross-entropy (Eq. 3) of the student on the labeled images (with a source domain, on
 *       both domains' images together, Section 4.3.2).</li>
 *   <li>Pseudo-labels (Eq. 5): the EMA teacher (Eq. 2) labels the weak view; each strong view has its own flip,
 *       scale and crop (Table 1), and the pseudo-labels follow it there; pixels outside the weak view are ignored.</li>
 *   <li>L_pseudo (Eq. 6): the mean over the A strong views of H(student(view), pseudo-label), each pixel weighted by
 *       the teacher's confidence to the power s; λ_pseudo = 0 during the warm-up.</li>
 *   <li>α of Eq. 3 from the labeled masks and every pseudo-label seen so far ({@code train.class_balancing}).</li>
 * </ul>
 * The teacher runs with batch statistics in its BN layers, as in the authors' code; the student is evaluated.
 */
public final class MeanTeacher implements Method {
    /** Share of pseudo-labels above this confidence is logged as {@code confident_share}. */
    static final double CONFIDENT = 0.95;

    /** {@code method.mean-teacher} (and {@code method.classmix}): λ of Eq. 1 and s of the pixel weights. */
    public record Settings(Weights weights, double sharpen) {
        public Settings {
            Check.present("method.<name>.weights", weights);
            Check.inRange("method.<name>.sharpen", sharpen, 0, 100);
        }
    }

    /** λsup and λpseudo of Eq. 1; 0 switches a term off. */
    public record Weights(double sup, double pseudo) {
        public Weights {
            Check.inRange("method.<name>.weights.sup", sup, 0, 1e6);
            Check.inRange("method.<name>.weights.pseudo", pseudo, 0, 1e6);
        }
    }

    private final Config config;
    private final Settings settings;
    private SegmentationNet teacher;
    private ClassCounts counts;
    private int warmup;

    public MeanTeacher(Config config, Settings settings) {
        this.config = config;
        this.settings = settings;
    }

    @Override
    public Inputs inputs() {
        return Inputs.unlabeled(config.method().unlabeledViews());
    }

    @Override
    public void initialize(MethodSetup setup) {
        teacher = Teachers.emaOfStudent(setup);
        counts = config.train().classBalancing() ? new ClassCounts(setup.labeledPixelCounts(), setup.manager()) : null;
        warmup = config.method().warmupFor(config.train().iterations());
    }

    @Override
    public StepResult step(Step step) {
        Map<String, NDArray> losses = new LinkedHashMap<>();
        Map<String, NDArray> scalars = new LinkedHashMap<>();
        int ignore = step.ignoreIndex();
        Batch.Unlabeled u = step.unlabeled();
        double pseudoWeight = step.iteration() >= warmup ? settings.weights().pseudo() : 0;

        // Eq. 5 on the weak view
        PseudoLabels pseudo = null;
        if (pseudoWeight > 0) {
            pseudo = Teachers.pseudoLabels(teacher, step);
            scalars.put("confident_share", pseudo.confidentShare(CONFIDENT, ignore));
        }
        NDArray alpha = ClassCounts.alpha(counts, step, pseudo);

        // Eq. 4
        Batch.Labeled labeled = step.labeledWithSource();
        NDArray logits = step.forward(labeled.images()).get(0);
        NDArray sup = WeightedCrossEntropy.hard(logits, labeled.masks(), ignore, alpha, null);
        losses.put("sup", GraphSafe.scale(sup, settings.weights().sup()));

        // Eq. 6: the student sees every strong view in one pass; the pseudo-labels follow each view's geometry
        if (pseudo != null) {
            List<NDArray> images = new ArrayList<>();
            List<PseudoLabels> targets = new ArrayList<>();
            for (Batch.View view : u.strong()) {
                images.add(view.images());
                targets.add(pseudo.follow(view.fromWeak(), ignore));
            }
            NDArray pseudoLoss = PseudoLabelLoss.overViews(step, images, targets, alpha, settings.sharpen());
            losses.put("pseudo", GraphSafe.scale(pseudoLoss, pseudoWeight / targets.size()));
        }
        return new StepResult(losses, scalars);
    }

    @Override
    public NDList state() {
        return counts == null ? new NDList() : new NDList(counts.state());
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        if (counts != null) {
            counts.loadState(saved);
        }
    }
}
