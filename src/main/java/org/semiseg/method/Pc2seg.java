package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.parts.Nearest;
import org.semiseg.method.pc2seg.Consistency;
import org.semiseg.method.pc2seg.NegativeRule;
import org.semiseg.method.pc2seg.PixelContrast;
import org.semiseg.model.Conv2d;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code pc2seg}: Zhong et al., "Pixel Contrastive-Consistent Semi-Supervised Semantic Segmentation" (ICCV 2021).
 * L = L_sup + Σ_i λ1 l^ce_i + λ2 l^cy_i over the unlabeled pixels i, each Σ taken as a mean (so λ does not scale with
 * the image size):
 * <ul>
 *   <li>Siamese views: the weak view (geometry only) and one strong view of the same pixels
 *       ({@code unimatch-weak} / {@code unimatch-strong}, shared geometry). The weak view goes through the student in
 *       a training-mode pass of its own and its outputs are detached: no gradient reaches the weak branch, not even
 *       through BN's batch statistics. The labeled images and the strong view share the pass that back-propagates.
 *       </li>
 *   <li>L_sup: Eq. 3 of Alonso et al. on the labeled logits (N_l, C, H, W), α when {@code train.class_balancing} is on.
 *       </li>
 *   <li>l^cy ({@link Consistency}): 1 − cos between the weak (N_u, C, H, W) and strong class probabilities per pixel,
 *       the mean over non-padded pixels.</li>
 *   <li>l^ce ({@link PixelContrast}): a linear projection (1x1 conv with bias, the trained module
 *       {@code projection}) of the decoder's pre-classifier features (N, F, h, w) to (N, D, h, w), compared by cosine
 *       (L2-normalised) with temperature τ; anchors from the weak view, positive and negatives from the strong view,
 *       negatives drawn by {@code negatives} ({@link NegativeRule}) from the weak probabilities and the padding taken
 *       to (h, w) by nearest neighbour.</li>
 * </ul>
 * No teacher, no warm-up, no mixing (the paper names none). The draws use the step's generator.
 */
public final class Pc2seg implements Method {
    private static final long CONTRAST = 0x0_9C2_5E6L;

    /**
     * {@code method.pc2seg}; provisional defaults (configs/demo.yaml says where each comes from).
     *
     * @param weights         λ1 (contrast) and λ2 (consistency)
     * @param temperature     τ of l^ce
     * @param numNegatives    N, negatives per anchor
     * @param anchorsPerImage anchors drawn per unlabeled image and step
     * @param dim             projection width D (null: 128 × model.width)
     * @param negatives       the sampling rule: uniform, other_image, debiased, other_image_debiased
     */
    public record Settings(Weights weights, double temperature, int numNegatives, int anchorsPerImage, Integer dim,
                           String negatives) {
        public Settings {
            Check.present("method.pc2seg.weights", weights);
            Check.positive("method.pc2seg.temperature", temperature);
            Check.atLeast("method.pc2seg.num_negatives", numNegatives, 1);
            Check.atLeast("method.pc2seg.anchors_per_image", anchorsPerImage, 1);
            if (dim != null) {
                Check.atLeast("method.pc2seg.dim", dim, 1);
            }
            Check.oneOf("method.pc2seg.negatives", negatives, NegativeRule.keys());
        }
    }

    /** λ1 and λ2; 0 switches a term off. */
    public record Weights(double contrast, double consistency) {
        public Weights {
            Check.inRange("method.pc2seg.weights.contrast", contrast, 0, 1e6);
            Check.inRange("method.pc2seg.weights.consistency", consistency, 0, 1e6);
        }
    }

    private final Config config;
    private final Settings settings;
    private final NegativeRule rule;
    private Conv2d projection;

    public Pc2seg(Config config, Settings settings) {
        this.config = config;
        this.settings = settings;
        this.rule = NegativeRule.named(settings.negatives());
    }

    @Override
    public Inputs inputs() {
        return Inputs.unlabeledSharedGeometry(1)
                .withPresets(AugmentPreset.UNIMATCH_WEAK.name(), AugmentPreset.UNIMATCH_STRONG.name());
    }

    @Override
    public void initialize(MethodSetup setup) {
        int features = setup.student().featureChannels();
        int dim = settings.dim() != null ? settings.dim() : setup.student().spec().scaled(128);
        Conv2d linear = new Conv2d(features, dim, 1, 1, 1, true);
        linear.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, features, 8, 8));
        projection = setup.trained("projection", linear, config.train().headLrMultiplier());
    }

    @Override
    public StepResult step(Step step) {
        Batch.Labeled labeled = step.labeledWithSource();
        Batch.Unlabeled u = step.unlabeled();
        Batch.View view = u.strong().get(0);
        if (!view.fromWeak().isIdentity()) {
            throw new IllegalStateException("pc2seg needs a strong view on the weak view's pixels (shared geometry)");
        }
        int nl = labeled.size();

        // the weak branch, under stop-gradient: a pass of its own
        NDList weak = step.forward(u.weak());
        NDArray weakLogits = weak.get(0).stopGradient();
        NDArray weakFeatures = weak.get(1).stopGradient();
        // the labeled images and the strong view, back-propagating
        NDList out = step.forward(GraphSafe.concat(new NDList(labeled.images(), view.images()), 0));
        NDArray logits = out.get(0);
        NDArray strongLogits = logits.get(nl + ":");
        NDArray valid = u.padding().padded().logicalNot();

        Map<String, NDArray> losses = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        losses.put("sup", WeightedCrossEntropy.hard(logits.get(":" + nl), labeled.masks(), step.ignoreIndex(),
                step.classWeight(), null));
        if (settings.weights().consistency() > 0) {
            NDArray cy = Consistency.loss(weakLogits, strongLogits, valid);
            losses.put("consistency", GraphSafe.scale(cy, settings.weights().consistency()));
        }
        if (settings.weights().contrast() > 0) {
            NDArray strongFeatures = out.get(1).get(nl + ":");
            int h = (int) strongFeatures.getShape().get(2);
            int w = (int) strongFeatures.getShape().get(3);
            NDArray zWeak = projection.apply(step.parameters(), weakFeatures, true).stopGradient();
            NDArray zStrong = projection.apply(step.parameters(), strongFeatures, true);
            PixelContrast.Result c = PixelContrast.of(zWeak, zStrong, Nearest.resize(weakLogits.softmax(1), h, w),
                    Nearest.resize(valid, h, w), rule, settings.anchorsPerImage(), settings.numNegatives(),
                    settings.temperature(), step.random(CONTRAST));
            losses.put("contrast", GraphSafe.scale(c.loss(), settings.weights().contrast()));
            Double falseNegatives = c.falseNegativeShare();
            if (falseNegatives != null) {
                values.put("false_negative_share", falseNegatives);
            }
            values.put("contrast_anchors", (double) c.anchors());
        }
        // a NaN weak pass would drop every debiased weight to nothing and the contrast silently to 0
        return new StepResult(losses, Map.of(), values).checking("weak_logits", weakLogits)
                .checking("weak_features", weakFeatures);
    }
}
