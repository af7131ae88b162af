package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.parts.CutMixedViews;
import org.semiseg.method.parts.PseudoLabels;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code fixmatch}: weak-to-strong consistency (Sohn et al., NeurIPS 2020) as UniMatch's authors run it for
 * segmentation ({@code fixmatch.py} of LiheYoung/UniMatch; Yang et al., CVPR 2023, Sec. 3.1):
 * <ul>
 *   <li>the teacher is the student itself: one training-mode forward over the labeled images and the weak views
 *       together; its weak-view prediction, detached, gives the pseudo-label ŷ = argmax and confidence max p;</li>
 *   <li>the strong view (the weak view's pixels through {@code unimatch-strong}: colour jitter, grayscale, blur) gets
 *       a CutMix box (probability {@code cutmix}, area 2-40 %) from another image of the batch, and ŷ and the
 *       confidence follow the box;</li>
 *   <li>L_u = {@link org.semiseg.method.parts.MaskedCrossEntropy}: cross-entropy where confidence ≥ τ, summed and
 *       divided by the non-padded pixels; L = (L_sup + L_u) / 2.</li>
 * </ul>
 * L_sup is Eq. 3 of Alonso et al. with α when {@code train.class_balancing} is on (as {@code supervised}; the
 * authors use plain cross-entropy, which is α = 1); L_u is unweighted, as the authors', unless
 * {@code balance_unlabeled} weights it by the same α. No warm-up and no EMA: the student is evaluated.
 */
public final class FixMatch implements Method {
    private static final long CUTMIX = 0xF1C5_0000L;

    /**
     * {@code method.fixmatch}.
     *
     * @param threshold        τ: pseudo-labels with confidence at least this take part (0.95)
     * @param cutmix           probability of a CutMix box on each strong image (0.5)
     * @param balanceUnlabeled L_u's kept pixels also weighted by L_sup's α (false: the authors' unweighted L_u;
     *                         true needs {@code train.class_balancing})
     */
    public record Settings(double threshold, double cutmix, boolean balanceUnlabeled) {
        public Settings {
            Check.inRange("method.<name>.threshold", threshold, 0, 1);
            Check.inRange("method.<name>.cutmix", cutmix, 0, 1);
        }
    }

    private final Settings settings;

    public FixMatch(Config config, Settings settings) {
        this.settings = settings;
        UniMatch.checkBalancing(config, settings.balanceUnlabeled());
    }

    @Override
    public Inputs inputs() {
        return Inputs.unlabeledSharedGeometry(1)
                .withPresets(AugmentPreset.UNIMATCH_WEAK.name(), AugmentPreset.UNIMATCH_STRONG.name());
    }

    @Override
    public StepResult step(Step step) {
        Batch.Labeled labeled = step.labeledWithSource();
        Batch.Unlabeled u = step.unlabeled();
        int ignore = step.ignoreIndex();
        int nl = labeled.size();

        // labeled and weak images in one training-mode forward; the weak half, detached, labels the strong view
        NDArray logits = step.forward(GraphSafe.concat(new NDList(labeled.images(), u.weak()), 0)).get(0);
        NDArray weak = logits.get(nl + ":").stopGradient();
        PseudoLabels pseudo = PseudoLabels.of(weak, u.padding(), ignore);
        NDArray sup = WeightedCrossEntropy.hard(logits.get(":" + nl), labeled.masks(), ignore, step.classWeight(), null);

        CutMixedViews strong = CutMixedViews.of(step, u.strong(), pseudo, settings.cutmix(), CUTMIX);
        NDArray unsup = strong.losses(step.forward(strong.images()).get(0), settings.threshold(), ignore,
                settings.balanceUnlabeled() ? step.classWeight() : null).get(0);

        Map<String, NDArray> losses = new LinkedHashMap<>();
        losses.put("sup", GraphSafe.scale(sup, 0.5));
        losses.put("u", GraphSafe.scale(unsup, 0.5));
        return new StepResult(losses, Map.of("mask_ratio", pseudo.confidentShare(settings.threshold(), ignore)))
                .checking("weak_logits", weak); // a NaN fails τ and would drop out of L_u
    }
}
