package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.parts.CutMixedViews;
import org.semiseg.method.parts.MaskedCrossEntropy;
import org.semiseg.method.parts.PseudoLabels;
import org.semiseg.model.Dropout2d;
import org.semiseg.model.Features;
import org.semiseg.model.SegmentationNet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code unimatch}: UniMatch (Yang et al., "Revisiting Weak-to-Strong Consistency in Semi-Supervised Semantic
 * Segmentation", CVPR 2023), as {@code unimatch.py} of LiheYoung/UniMatch computes it. {@link FixMatch} plus
 * <ul>
 *   <li>two strong views of the weak view's pixels (Sec. 3.3, dual-stream perturbation), each with its own colour
 *       jitter, grayscale, blur ({@code unimatch-strong}) and CutMix box from another image of the batch; the
 *       pseudo-labels and confidences follow each box;</li>
 *   <li>a feature-perturbation stream (Sec. 3.2): in the one forward over the labeled and weak images, the encoder's
 *       low- and high-level features (N, L, H/4, W/4) and (N, F, H/s, W/s) are decoded twice, as they are and through
 *       Dropout2d(p) (channels zeroed with probability p, kept ones scaled by 1/(1-p)), in one decoder pass over both;
 *       the perturbed prediction of the weak images is trained to the pseudo-labels.</li>
 * </ul>
 * L = (L_sup + λ (L_s1 + L_s2) / 2 + μ L_fp) / 2 with λ = μ = 0.5 ({@code weights.strong}, {@code weights.fp}): the
 * authors' (L_x + 0.25 L_s1 + 0.25 L_s2 + 0.5 L_fp) / 2. Each unsupervised term is {@link MaskedCrossEntropy}
 * (confidence ≥ τ, divided by the non-padded pixels). L_sup as in {@link FixMatch}. No warm-up, no EMA.
 */
public final class UniMatch implements Method {
    private static final long CUTMIX = 0x0111_3A7CL;

    /**
     * {@code method.unimatch}.
     *
     * @param threshold τ (0.95)
     * @param weights   λ of the strong views' mean and μ of the feature stream (0.5 and 0.5)
     * @param dropout   p of the feature stream's Dropout2d (0.5)
     * @param cutmix    probability of a CutMix box on each image of each strong view (0.5)
     * @param balanceUnlabeled the unsupervised terms' kept pixels also weighted by L_sup's α (false: the authors';
     *                  true needs {@code train.class_balancing})
     */
    public record Settings(double threshold, Weights weights, double dropout, double cutmix,
                           boolean balanceUnlabeled) {
        public Settings {
            Check.inRange("method.<name>.threshold", threshold, 0, 1);
            Check.present("method.<name>.weights", weights);
            if (!(dropout >= 0 && dropout < 1)) {
                throw ConfigException.key("method.<name>.dropout", "must be in [0, 1) (got " + dropout + ")");
            }
            Check.inRange("method.<name>.cutmix", cutmix, 0, 1);
        }
    }

    /** λ and μ; 0 switches a stream off: its forward is not run (no loss, no BN statistics from it). */
    public record Weights(double strong, double fp) {
        public Weights {
            Check.inRange("method.<name>.weights.strong", strong, 0, 1e6);
            Check.inRange("method.<name>.weights.fp", fp, 0, 1e6);
        }
    }

    private final Settings settings;
    private final Dropout2d dropout;

    public UniMatch(Config config, Settings settings) {
        this.settings = settings;
        checkBalancing(config, settings.balanceUnlabeled());
        this.dropout = new Dropout2d(settings.dropout());
    }

    @Override
    public Inputs inputs() {
        return Inputs.unlabeledSharedGeometry(2)
                .withPresets(AugmentPreset.UNIMATCH_WEAK.name(), AugmentPreset.UNIMATCH_STRONG.name());
    }

    @Override
    public StepResult step(Step step) {
        Batch.Labeled labeled = step.labeledWithSource();
        Batch.Unlabeled u = step.unlabeled();
        int ignore = step.ignoreIndex();
        int nl = labeled.size();
        int n = nl + u.size();
        double tau = settings.threshold();

        // one forward over [labeled; weak]: clean and perturbed features decoded together, (2n, C, H, W); with
        // weights.fp 0 the clean rows alone, so that the stream is off, BN's batch statistics included
        boolean fpOn = settings.weights().fp() > 0;
        NDArray x = GraphSafe.concat(new NDList(labeled.images(), u.weak()), 0);
        NDArray both = fpOn ? decodeWithPerturbed(step, x) : step.forward(x).get(0);
        NDArray clean = both.get(":" + n);
        NDArray weak = clean.get(nl + ":").stopGradient();
        PseudoLabels pseudo = PseudoLabels.of(weak, u.padding(), ignore);
        NDArray sup = WeightedCrossEntropy.hard(clean.get(":" + nl), labeled.masks(), ignore, step.classWeight(), null);

        NDArray alpha = settings.balanceUnlabeled() ? step.classWeight() : null;
        Map<String, NDArray> losses = new LinkedHashMap<>();
        losses.put("sup", GraphSafe.scale(sup, 0.5));
        // the two strong views, each CutMixed on its own, in one forward (none with weights.strong 0)
        if (settings.weights().strong() > 0) {
            CutMixedViews strong = CutMixedViews.of(step, u.strong(), pseudo, settings.cutmix(), CUTMIX);
            List<NDArray> terms = strong.losses(step.forward(strong.images()).get(0), tau, ignore, alpha);
            for (int v = 0; v < terms.size(); v++) {
                losses.put("s" + (v + 1), GraphSafe.scale(terms.get(v), 0.5 * settings.weights().strong() / terms.size()));
            }
        }
        if (fpOn) {
            NDArray fp = MaskedCrossEntropy.of(both.get((n + nl) + ":"), pseudo, tau, ignore, alpha);
            losses.put("fp", GraphSafe.scale(fp, 0.5 * settings.weights().fp()));
        }
        return new StepResult(losses, Map.of("mask_ratio", pseudo.confidentShare(tau, ignore)))
                .checking("weak_logits", weak); // a NaN fails τ and would drop out of L_u
    }

    /**
     * Refuses {@code balance_unlabeled} without {@code train.class_balancing}: there would be no α to weigh L_u with.
     */
    static void checkBalancing(Config config, boolean balanceUnlabeled) {
        if (balanceUnlabeled && !config.train().classBalancing()) {
            throw ConfigException.key("method." + config.method().name() + ".balance_unlabeled",
                    "needs train.class_balancing: true (L_u takes L_sup's class weights)");
        }
    }

    /**
     * The student's logits of {@code x} (n, 3, H, W) and of its encoder features through {@link Dropout2d}, stacked:
     * (2n, C, H, W), rows [0, n) clean and [n, 2n) perturbed (UniMatch's {@code need_fp} forward).
     */
    private NDArray decodeWithPerturbed(Step step, NDArray x) {
        SegmentationNet net = step.student();
        Features stacked = withPerturbed(net.encode(step.parameters(), x, true), step.parameters(), net.usesLowLevel());
        return net.decode(step.parameters(), stacked, x.getShape().get(2), x.getShape().get(3), true).logits();
    }

    /**
     * Each level's features followed on the batch axis by a Dropout2d copy of them, with its own draw per level:
     * (n, L, H/4, W/4) to (2n, L, H/4, W/4) and (n, F, h, w) to (2n, F, h, w). A network whose decoder does not read
     * the low level (deeplabv2, pspnet) gets it back as it was: no copy is made that nothing reads.
     */
    Features withPerturbed(Features f, ParameterStore ps, boolean lowLevelUsed) {
        NDArray low = lowLevelUsed
                ? GraphSafe.concat(new NDList(f.lowLevel(), dropout.apply(ps, f.lowLevel(), true)), 0)
                : f.lowLevel();
        return f.with(low, GraphSafe.concat(new NDList(f.highLevel(), dropout.apply(ps, f.highLevel(), true)), 0));
    }
}
