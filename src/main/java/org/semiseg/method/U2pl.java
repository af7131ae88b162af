package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.Checks;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.parts.CutMix;
import org.semiseg.method.parts.Mix;
import org.semiseg.method.parts.Nearest;
import org.semiseg.method.parts.PseudoLabels;
import org.semiseg.method.parts.Teachers;
import org.semiseg.method.u2pl.ClassQueue;
import org.semiseg.method.u2pl.ContrastMasks;
import org.semiseg.method.u2pl.PixelContrast;
import org.semiseg.method.u2pl.ReliabilitySplit;
import org.semiseg.method.u2pl.RepresentationHead;
import org.semiseg.model.SegmentationNet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code u2pl}: Wang et al., "Semi-Supervised Semantic Segmentation Using Unreliable Pseudo-Labels" (CVPR 2022).
 * L = L_s + λ_u L_u + λ_c L_c (Eq. 1), λ_u = 1, λ_c = 0.1:
 * <ul>
 *   <li>An EMA teacher of the student and of its representation head, decay min(1 − 1/(t + 1), {@code ema_decay}),
 *       runs in training mode (BN batch statistics, head dropout, as the authors' second teacher pass, the one their
 *       entropy, ranks and representations come from; they take the pseudo-labels from an eval-mode pass) on the
 *       labeled images and the weak views; its argmax on the weak view is the pseudo-label, padding ignored.</li>
 *   <li>With probability {@code cutmix} the unlabeled batch is CutMixed (U2PL's box, half the image, from the next
 *       image); pseudo-labels, the teacher's logits and representations follow the boxes.</li>
 *   <li>L_s: cross-entropy of the student on the labeled images (Eq. 3 of Alonso et al. with α when
 *       {@code train.class_balancing} is on, as for every method here). L_u: the cross-entropy over the reliable
 *       pixels ({@link ReliabilitySplit}: entropy at or below the 100 (1 − α_t) percentile), times Eq. 8's weight
 *       B·H·W / N_reliable, which turns Eq. 2's per-pixel average into the mean over reliable pixels.</li>
 *   <li>L_c (Eq. 3): a representation head ({@link RepresentationHead}) on the decoder's features; labels, reliable
 *       pseudo-labels, probabilities and the unreliable mask taken to its resolution by nearest neighbour; anchors,
 *       positives and negatives of {@link ContrastMasks} and {@link PixelContrast}; negatives through per-class FIFO
 *       queues ({@link ClassQueue}, method state) of the teacher's representations.</li>
 * </ul>
 * Views: {@code unimatch-weak} for both (resize ×[0.5, 2.0], crop, flip: U2PL's own augmentation) with one strong view
 * sharing the weak view's geometry; the student sees that strong view, which with {@code unimatch-weak} holds the weak
 * view's pixels (a photometric preset named in {@code augment.unlabeled} makes it stronger).
 * <p>Warm-up ({@code method.warmup}, shortened for short runs as for every method: {@link
 * org.semiseg.config.MethodConfig#warmupFor}): the first iterations train the student on the labeled images alone and
 * the teacher follows it exactly (τ = 0); from the end of the warm-up the teacher is an EMA with
 * τ = min(1 − 1/(t − W + 1), cap). The paper does not mention a warm-up; the authors' code trains its first epoch
 * supervised only ({@code sup_only_epoch: 1}) and then copies the student into the teacher, which is what this does
 * with a length in iterations. {@code method.warmup: 0} switches it off. The student is evaluated and saved (the
 * authors validate the teacher).
 */
public final class U2pl implements Method {
    private static final long CUTMIX = 0x0_2B1_C0A7L;
    private static final long CONTRAST = 0x0_2B1_A5C5L;

    /**
     * {@code method.u2pl}.
     *
     * @param weights      λ_u and λ_c of Eq. 1 (1 and 0.1); λ_c = 0 switches L_c off
     * @param emaDecay     cap of the teacher's decay min(1 − 1/(t + 1), cap) (0.99)
     * @param cutmix       probability that a step's unlabeled batch is CutMixed (0.5)
     * @param alpha0       α_0, the unreliable share at iteration 0, falling linearly to 0 (0.2)
     * @param dim          representation width (null: 256 × model.width)
     * @param dropout      Dropout2d of the representation head (0.1)
     * @param deltaP       δ_p: anchors need the teacher's p(c) above it (0.3)
     * @param lowRank      r_l (3)
     * @param highRank     r_h (20, clipped to the number of classes)
     * @param temperature  τ (0.5)
     * @param numQueries   anchors per class (paper 256)
     * @param numNegatives negatives per anchor (50)
     * @param queueSize    keys per class queue (paper 30,000)
     * @param negatives    unlabeled negatives from {@code unreliable} pixels (the paper), {@code reliable} or {@code all}
     */
    public record Settings(Weights weights, double emaDecay, double cutmix, double alpha0, Integer dim, double dropout,
                           double deltaP, int lowRank, int highRank, double temperature, int numQueries,
                           int numNegatives, int queueSize, String negatives) {
        public Settings {
            Check.present("method.u2pl.weights", weights);
            Check.inRange("method.u2pl.ema_decay", emaDecay, 0, 1);
            Check.inRange("method.u2pl.cutmix", cutmix, 0, 1);
            Check.inRange("method.u2pl.alpha0", alpha0, 0, 1);
            if (dim != null) {
                Check.atLeast("method.u2pl.dim", dim, 1);
            }
            if (!(dropout >= 0 && dropout < 1)) {
                throw ConfigException.key("method.u2pl.dropout", "must be in [0, 1) (got " + dropout + ")");
            }
            Check.inRange("method.u2pl.delta_p", deltaP, 0, 1);
            // r_l ≥ 1: c is an unlabeled negative of c only where it ranks r_l or lower, never the pixel's own top class
            Check.atLeast("method.u2pl.low_rank", lowRank, 1);
            if (highRank <= lowRank) {
                throw ConfigException.key("method.u2pl.high_rank", "must be greater than low_rank " + lowRank
                        + " (got " + highRank + ")");
            }
            Check.positive("method.u2pl.temperature", temperature);
            Check.atLeast("method.u2pl.num_queries", numQueries, 1);
            Check.atLeast("method.u2pl.num_negatives", numNegatives, 1);
            Check.atLeast("method.u2pl.queue_size", queueSize, 1);
            Check.oneOf("method.u2pl.negatives", negatives, List.of("unreliable", "reliable", "all"));
        }
    }

    /** λ_u and λ_c; 0 switches a term off. */
    public record Weights(double unsup, double contr) {
        public Weights {
            Check.inRange("method.u2pl.weights.unsup", unsup, 0, 1e6);
            Check.inRange("method.u2pl.weights.contr", contr, 0, 1e6);
        }
    }

    private final Config config;
    private final Settings settings;
    private SegmentationNet teacher;
    private RepresentationHead head;
    private RepresentationHead teacherHead;
    private ClassQueue queue;
    private PixelContrast contrast;
    private List<String> classNames;
    private int warmup;

    public U2pl(Config config, Settings settings) {
        this.config = config;
        this.settings = settings;
    }

    @Override
    public Inputs inputs() {
        return Inputs.unlabeledSharedGeometry(1)
                .withPresets(AugmentPreset.UNIMATCH_WEAK.name(), AugmentPreset.UNIMATCH_WEAK.name());
    }

    /** The teacher's decay after the update of 0-based iteration t: min(1 − 1/(t + 1), cap); 0 after the first. */
    static double decay(int iteration, double cap) {
        return Math.min(1 - 1.0 / (iteration + 1), cap);
    }

    /**
     * The decay after the update of iteration t with a warm-up of w iterations: 0 during the warm-up (the teacher is
     * the student), then {@link #decay(int, double)} counted from the warm-up's end.
     */
    static double decay(int iteration, int warmup, double cap) {
        return iteration < warmup ? 0 : decay(iteration - warmup, cap);
    }

    @Override
    public void initialize(MethodSetup setup) {
        warmup = config.method().warmupFor(config.train().iterations());
        MethodSetup.Decay decay = (it, its) -> decay(it, warmup, settings.emaDecay());
        teacher = Teachers.emaOfStudent(setup, decay);
        int features = setup.student().featureChannels();
        int dim = settings.dim() != null ? settings.dim() : setup.student().spec().scaled(256);
        head = setup.trained("representation", newHead(setup, features, dim), config.train().headLrMultiplier());
        teacherHead = setup.emaCopy("teacher_representation", newHead(setup, features, dim), head, decay);
        queue = new ClassQueue(setup.manager(), setup.numClasses(), settings.queueSize(), dim);
        contrast = new PixelContrast(queue, settings.numQueries(), settings.numNegatives(), settings.temperature());
        classNames = setup.classNames();
    }

    private RepresentationHead newHead(MethodSetup setup, int features, int dim) {
        RepresentationHead h = new RepresentationHead(features, dim, settings.dropout());
        h.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, features, 8, 8));
        return h;
    }

    @Override
    public StepResult step(Step step) {
        Map<String, NDArray> losses = new LinkedHashMap<>();
        Map<String, NDArray> scalars = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        Batch.Labeled labeled = step.labeledWithSource();
        Batch.Unlabeled u = step.unlabeled();
        NDManager m = step.manager();
        int ignore = step.ignoreIndex();
        int nl = labeled.size();
        int nu = u.size();
        if (step.iteration() < warmup) {
            // the authors' supervised-only first epoch: the student on the labeled images alone
            NDArray logits = step.forward(labeled.images()).get(0);
            losses.put("sup", WeightedCrossEntropy.hard(logits, labeled.masks(), ignore, step.classWeight(), null));
            return new StepResult(losses, scalars, values);
        }

        // the teacher on the labeled images and the weak views, one training-mode pass (whether or not L_c is on)
        NDArray both = GraphSafe.concat(new NDList(labeled.images(), u.weak()), 0);
        NDList taught = Teachers.forward(teacher, step.parameters(), both);
        NDArray weakLogits = taught.get(0).get(nl + ":");
        PseudoLabels pseudo = PseudoLabels.of(weakLogits, u.padding(), ignore);

        // CutMix of the student's unlabeled batch, the teacher's labels and logits following the boxes
        NDArray view = u.strong().get(0).images();
        int height = (int) view.getShape().get(2);
        int width = (int) view.getShape().get(3);
        java.util.SplittableRandom mixRandom = step.random(CUTMIX);
        Mix mix = Checks.chance(mixRandom, settings.cutmix())
                ? CutMix.choose(view, 1, CutMix.Box.HALF_AREA, mixRandom)
                : Mix.none(m, nu, height, width);
        PseudoLabels mixed = pseudo.mix(mix);
        NDArray mixedLogits = mix.apply(weakLogits);

        // Sec. 3.2: reliable pixels keep their pseudo-labels
        double alpha = ReliabilitySplit.unreliableShare(settings.alpha0(), step.iteration(), step.iterations(), warmup);
        ReliabilitySplit split = ReliabilitySplit.of(mixedLogits, mixed.valid(ignore), alpha);
        NDArray reliableLabels = split.reliableLabels(mixed.labels(), ignore);

        // Eq. 2 on [labeled; mixed unlabeled] in one student pass; L_u · Eq. 8 = mean over reliable pixels
        NDList out = step.forward(GraphSafe.concat(new NDList(labeled.images(), mix.apply(view)), 0));
        NDArray logits = out.get(0);
        NDArray sup = WeightedCrossEntropy.hard(logits.get(":" + nl), labeled.masks(), ignore, step.classWeight(), null);
        losses.put("sup", sup);
        NDArray unsup = WeightedCrossEntropy.hard(logits.get(nl + ":"), reliableLabels, ignore, null, null);
        losses.put("unsup", GraphSafe.scale(unsup, settings.weights().unsup()));
        scalars.put("reliable_share", split.reliableShare());
        scalars.put("entropy_threshold", split.threshold());
        values.put("alpha_t", alpha);

        if (settings.weights().contr() > 0) {
            NDArray teacherLogits = GraphSafe.concat(new NDList(taught.get(0).get(":" + nl), mixedLogits), 0);
            NDArray labels = GraphSafe.concat(new NDList(labeled.masks(), reliableLabels), 0);
            PixelContrast.Result c = contrast(step, out.get(1), taught.get(1), teacherLogits, labels, mix, split, nl);
            losses.put("contr", GraphSafe.scale(c.loss(), settings.weights().contr()));
            values.put("contrast_classes", (double) c.classes());
            values.put("negatives_per_class", java.util.Arrays.stream(c.newNegatives()).average().orElse(0));
            for (int k = 0; k < classNames.size(); k++) {
                values.put("queue_fill_" + classNames.get(k), (double) queue.fill(k));
            }
        }
        // the teacher's pass is detached: a NaN there reaches no loss (its pixels would count as reliable, label 0)
        return new StepResult(losses, scalars, values).checking("teacher_logits", taught.get(0))
                .checking("teacher_features", taught.get(1));
    }

    /**
     * Eq. 3 at the representations' resolution (N, D, h, w): the student's of [labeled; mixed]; the teacher's of
     * [labeled; weak], its unlabeled rows CutMixed like the images; the teacher's logits (N, C, H, W), the labels and
     * reliable pseudo-labels (N, H, W) and the negatives' source taken to (h, w) by nearest neighbour.
     */
    private PixelContrast.Result contrast(Step step, NDArray studentFeatures, NDArray teacherFeatures,
                                          NDArray teacherLogits, NDArray labels, Mix mix, ReliabilitySplit split,
                                          int nl) {
        NDArray studentRep = head.apply(step.parameters(), studentFeatures, true);
        int h = (int) studentRep.getShape().get(2);
        int w = (int) studentRep.getShape().get(3);
        NDArray teacherRep = teacherHead.apply(step.parameters(), teacherFeatures, true).stopGradient();
        NDArray mixedRep = mix.nearest(h, w).apply(teacherRep.get(nl + ":"));
        NDArray keys = GraphSafe.concat(new NDList(teacherRep.get(":" + nl), mixedRep), 0);
        NDArray prob = Nearest.resize(teacherLogits, h, w).softmax(1);
        ContrastMasks masks = ContrastMasks.of(Nearest.resize(labels, h, w), prob, nl,
                Nearest.resize(negativeSource(split), h, w), settings.deltaP(), settings.lowRank(),
                settings.highRank(), step.ignoreIndex());
        return contrast.loss(studentRep, keys, masks, step.random(CONTRAST), step.manager());
    }

    /** (N_u, H, W) boolean: the unlabeled pixels whose representations may be negatives ({@code negatives}). */
    private NDArray negativeSource(ReliabilitySplit split) {
        return switch (settings.negatives()) {
            case "reliable" -> split.reliable();
            case "all" -> split.reliable().logicalOr(split.unreliable());
            default -> split.unreliable();
        };
    }

    @Override
    public NDList state() {
        return queue.state();
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        queue.loadState(saved);
    }
}
