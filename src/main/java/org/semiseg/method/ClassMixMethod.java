package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.semiseg.config.Config;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.parts.ClassMix;
import org.semiseg.method.parts.Mix;
import org.semiseg.method.parts.PseudoLabelLoss;
import org.semiseg.method.parts.PseudoLabels;
import org.semiseg.method.parts.Teachers;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code classmix}: {@link MeanTeacher}'s terms (Alonso et al. Eq. 4-6) with ClassMix (Olsson et al., Table 1 of
 * Alonso et al.) on every strong view: after the pseudo-labels have followed a view's geometry, the view is mixed
 * with its own draw (the strong preset's probability, per batch) and its pseudo-labels and confidences with it.
 * Settings as {@code mean-teacher}'s, in {@code method.classmix}.
 */
public final class ClassMixMethod implements Method {
    private static final long UNLABELED_MIX = 0xC1A5_5000L;

    private final Config config;
    private final MeanTeacher.Settings settings;
    private SegmentationNet teacher;
    private ClassCounts counts;
    private int warmup;
    private double mixProbability;

    public ClassMixMethod(Config config, MeanTeacher.Settings settings) {
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
        mixProbability = inputs().unlabeledAugment(config.augment()).classMixProbability();
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
            scalars.put("confident_share", pseudo.confidentShare(MeanTeacher.CONFIDENT, ignore));
        }
        NDArray alpha = ClassCounts.alpha(counts, step, pseudo);

        // Eq. 4
        Batch.Labeled labeled = step.labeledWithSource();
        NDArray logits = step.forward(labeled.images()).get(0);
        NDArray sup = WeightedCrossEntropy.hard(logits, labeled.masks(), ignore, alpha, null);
        losses.put("sup", GraphSafe.scale(sup, settings.weights().sup()));

        // Eq. 6 on ClassMixed strong views: geometry first, then each view's own mix
        if (pseudo != null) {
            List<NDArray> images = new ArrayList<>();
            List<PseudoLabels> targets = new ArrayList<>();
            for (int a = 0; a < u.strong().size(); a++) {
                Batch.View view = u.strong().get(a);
                PseudoLabels target = pseudo.follow(view.fromWeak(), ignore);
                Mix mix = ClassMix.choose(target.labels(), step.numClasses(), ignore, mixProbability, step.random(UNLABELED_MIX + a));
                images.add(mix.apply(view.images()));
                targets.add(target.mix(mix));
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
