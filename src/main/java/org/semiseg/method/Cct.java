package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.cct.Consistency;
import org.semiseg.method.cct.Passes;
import org.semiseg.method.cct.Perturbation;
import org.semiseg.method.cct.PerturbedCopies;
import org.semiseg.method.cct.WeakLabels;
import org.semiseg.model.Features;
import org.semiseg.model.SegmentationNet;
import org.semiseg.model.ShuffleDecoder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cct}: cross-consistency training (Ouali et al., "Semi-Supervised Semantic Segmentation with Cross-Consistency
 * Training", CVPR 2020), L = L_s + ω_u L_u (Sec. 3.1). The cluster assumption holds on the encoder's features rather
 * than on the input, so consistency is enforced there:
 * <ul>
 *   <li>one training-mode forward of the shared encoder and the main decoder (the model's own) over the labeled
 *       images and the unlabeled weak views together; L_s is the cross-entropy of the labeled part (Eq. 3 of Alonso et
 *       al. with α when {@code train.class_balancing} is on, as the other methods; the authors: α = 1);</li>
 *   <li>K auxiliary decoders ({@link ShuffleDecoder}: 1x1 conv to C, pixel-shuffle blocks back to the image size), a
 *       module of the method trained at the head learning rate, each see their own perturbed copy of the unlabeled
 *       images' high-level encoder output z (N, F, h, w) ({@link PerturbedCopies}: dropout, feature drop, feature
 *       noise, I-VAT, guided cutout, context and object masking), in grouped passes of as many decoders as keep
 *       their logits under glibc's mmap threshold ({@link Passes});</li>
 *   <li>L_u = mean over the K decoders of the MSE between their softmax and the main decoder's, detached, over the
 *       non-padded pixels ({@link Consistency}); ω_u = {@code weight} · exp(−5 (1 − t)²) over the first
 *       {@code ramp_up} of the run.</li>
 * </ul>
 * With image-level labels ({@code data.weak} and their pseudo-masks, {@code data.pseudo_masks}, from
 * {@code semiseg weak}), the tagged images among the unlabeled batch also train the auxiliary decoders on their
 * pseudo-masks: L = L_s + ω_u L_u + ω_w L_w ({@link WeakLabels}), ω_w = {@code weak_weight} times ω_u's ramp.
 * The unlabeled images get no augmentation beyond the weak geometric one (CCT's: scale, crop, flip, i.e. the
 * {@code unimatch-weak} preset for both batches); the loader's one strong view is unused. No teacher, no warm-up.
 * Logged: {@code loss_sup}, {@code loss_unsup} (weighted), and per kind the unweighted mean d of its decoders,
 * {@code loss_unsup_<kind>}, and {@code unsup_weight} (ω_u); with pseudo-masks {@code loss_weak} (weighted),
 * {@code weak_weight} (ω_w) and {@code weak_pixels} (the share of the unlabeled batch's pixels they label).
 */
public final class Cct implements Method {

    /**
     * {@code method.cct}.
     *
     * @param decoders       auxiliary decoders per perturbation kind ({@link Perturbation} names); null: the authors'
     * @param weight         ω_u after the ramp (30)
     * @param rampUp         share of the run over which ω_u ramps up (0.1)
     * @param dropout        p of the dropout decoders' Dropout2d (0.5)
     * @param dropThreshold  F-drop's γ range [low, high] ([0.6, 0.9], the paper's; the authors' later code: [0.7, 0.9])
     * @param noise          F-noise's range r: N ~ U(−r, r) (0.3)
     * @param vat            I-VAT's ξ and ε, total norms at the reference size (1e-6, 2.0)
     * @param erase          G-cutout: share of an object box's width and height cut (0.4)
     * @param minContour     G-cutout: boundary pixels of an object at the reference crop (50)
     * @param referenceCrop  the authors' crop side, which ξ, ε and {@code min_contour} are given at
     * @param objectClasses  class names that count as objects; null: every class but the first
     * @param confidence     confidence masking of L_u: only pixels whose main max-probability exceeds it; null: off
     * @param weakWeight     ω_w after the ramp (0.4): the weight of L_w on the tagged images' pseudo-masks, when the
     *                       run has them ({@code data.weak}, {@code data.pseudo_masks}); 0: pseudo-masks unused
     */
    public record Settings(Map<String, Integer> decoders, double weight, double rampUp, double dropout,
                           List<Double> dropThreshold, double noise, Vat vat, double erase, double minContour,
                           int referenceCrop, List<String> objectClasses, Double confidence, double weakWeight) {
        public Settings {
            if (decoders != null) {
                int total = 0;
                for (Map.Entry<String, Integer> e : decoders.entrySet()) {
                    if (Perturbation.named(e.getKey()) == null) {
                        throw ConfigException.key("method.cct.decoders", "unknown perturbation '" + e.getKey()
                                + "' (known: " + String.join(", ", Perturbation.keys()) + ")");
                    }
                    Check.present("method.cct.decoders." + e.getKey(), e.getValue());
                    total += Check.atLeast("method.cct.decoders." + e.getKey(), e.getValue(), 0);
                }
                if (total < 1) {
                    throw ConfigException.key("method.cct.decoders", "needs at least one decoder (got " + decoders + ")");
                }
            }
            Check.inRange("method.cct.weight", weight, 0, 1e6);
            Check.inRange("method.cct.ramp_up", rampUp, 0, 1);
            if (!(dropout >= 0 && dropout < 1)) {
                throw ConfigException.key("method.cct.dropout", "must be in [0, 1) (got " + dropout + ")");
            }
            if (dropThreshold == null || dropThreshold.size() != 2 || dropThreshold.get(0) == null
                    || dropThreshold.get(1) == null || !(dropThreshold.get(0) >= 0
                    && dropThreshold.get(0) <= dropThreshold.get(1) && dropThreshold.get(1) <= 1)) {
                throw ConfigException.key("method.cct.drop_threshold",
                        "must be [low, high] with 0 <= low <= high <= 1 (got " + dropThreshold + ")");
            }
            // 1 + N with N ~ U(-noise, noise) must not flip a feature's sign
            Check.inRange("method.cct.noise", noise, 0, 1);
            Check.present("method.cct.vat", vat);
            Check.inRange("method.cct.erase", erase, 0, 1);
            Check.inRange("method.cct.min_contour", minContour, 0, 1e6);
            Check.atLeast("method.cct.reference_crop", referenceCrop, 8);
            if (referenceCrop % 8 != 0) {
                throw ConfigException.key("method.cct.reference_crop", "must be a multiple of 8, the authors' output "
                        + "stride (got " + referenceCrop + ")");
            }
            // kept where max p > confidence: 1 would keep no pixel and silently switch L_u off
            if (confidence != null && !(confidence >= 0 && confidence < 1)) {
                throw ConfigException.key("method.cct.confidence", "must be in [0, 1) or null (got " + confidence + ")");
            }
            if (objectClasses != null && objectClasses.isEmpty()) {
                throw ConfigException.key("method.cct.object_classes", "must name at least one class, or be null for "
                        + "every class but the first (got [])");
            }
            Check.inRange("method.cct.weak_weight", weakWeight, 0, 1e6);
        }

        /** Decoders per kind in {@link Perturbation} order, kinds not named at 0 (the authors' when null). */
        public Map<Perturbation, Integer> counts() {
            if (decoders == null) {
                return Perturbation.authorsCounts();
            }
            Map<Perturbation, Integer> out = new LinkedHashMap<>();
            for (Perturbation p : Perturbation.values()) {
                out.put(p, decoders.getOrDefault(p.key(), 0));
            }
            return out;
        }
    }

    /** I-VAT's ξ (the probe) and ε (the perturbation's norm), total norms at the reference size. */
    public record Vat(double xi, double eps) {
        public Vat {
            Check.positive("method.cct.vat.xi", xi);
            Check.inRange("method.cct.vat.eps", eps, 0, 1e6);
        }
    }

    private final Config config;
    private final Settings settings;
    private final Map<Perturbation, Integer> counts;
    private ShuffleDecoder decoders;
    private PerturbedCopies copies;

    public Cct(Config config, Settings settings) {
        this.config = config;
        this.settings = settings;
        this.counts = settings.counts();
    }

    @Override
    public Inputs inputs() {
        Inputs inputs = Inputs.unlabeledSharedGeometry(1)
                .withPresets(AugmentPreset.UNIMATCH_WEAK.name(), AugmentPreset.UNIMATCH_WEAK.name());
        return settings.weakWeight() > 0 ? inputs.withWeakLabels() : inputs;
    }

    @Override
    public void initialize(MethodSetup setup) {
        SegmentationNet net = setup.student();
        int channels = net.highLevelChannels();
        int k = counts.values().stream().mapToInt(Integer::intValue).sum();
        ShuffleDecoder block = new ShuffleDecoder(channels, setup.numClasses(), net.outputStride(), k);
        block.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, (long) k * channels, 1, 1));
        decoders = setup.trained("cct_decoders", block, config.train().headLrMultiplier());
        PerturbedCopies.Parameters p = new PerturbedCopies.Parameters(settings.dropout(),
                settings.dropThreshold().get(0), settings.dropThreshold().get(1), settings.noise(), settings.vat().xi(),
                settings.vat().eps(), settings.erase(), settings.minContour(), settings.referenceCrop());
        copies = new PerturbedCopies(counts, decoders, p, objectTable(setup.classNames(), setup.otherDomainClasses()));
    }

    /**
     * Per class and one entry more (padding, never an object): whether {@code object_classes} names it. With several
     * domains the list may name any domain's classes; each domain takes its own.
     */
    private boolean[] objectTable(List<String> classNames, List<String> otherDomains) {
        boolean[] table = new boolean[classNames.size() + 1];
        if (settings.objectClasses() == null) {
            for (int c = 1; c < classNames.size(); c++) {
                table[c] = true;
            }
            return table;
        }
        for (String name : settings.objectClasses()) {
            int c = classNames.indexOf(name);
            if (c < 0 && otherDomains.contains(name)) {
                continue;
            }
            if (c < 0) {
                throw ConfigException.key("method.cct.object_classes", "unknown class '" + name + "' (classes: "
                        + String.join(", ", classNames) + ")");
            }
            table[c] = true;
        }
        return table;
    }

    /** Decoders per pass when positive (tests); 0: {@link Passes#chunk} with {@link Passes#CHUNK_BYTES}. */
    private int decodersPerPass;

    /** For tests: run the auxiliary decoders {@code k} a pass (0: by {@link Passes#chunk}). */
    void decodersPerPass(int k) {
        this.decodersPerPass = k;
    }

    @Override
    public StepResult step(Step step) {
        Batch.Labeled labeled = step.labeledWithSource();
        Batch.Unlabeled u = step.unlabeled();
        int nl = labeled.size();
        int classes = step.numClasses();
        SegmentationNet net = step.student();

        // encoder and main decoder over [labeled; weak] in one training-mode pass
        NDArray x = GraphSafe.concat(new NDList(labeled.images(), u.weak()), 0);
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        Features f = net.encode(step.parameters(), x, true);
        NDArray logits = net.decode(step.parameters(), f, height, width, true).logits();
        NDArray sup = WeightedCrossEntropy.hard(logits.get(":" + nl), labeled.masks(), step.ignoreIndex(),
                step.classWeight(), null);

        // the main prediction of the unlabeled images: target of L_u and source of the guided masks (no gradient)
        NDArray main = logits.get(nl + ":").stopGradient();                                   // (N, C, H, W)
        NDArray padded = u.padding().padded();
        NDArray argmax = main.argMax(1);
        NDArray labels = NDArrays.where(padded, argmax.onesLike().mul(classes), argmax); // graph-safe: integer labels
        NDArray input = copies.stack(step, f.highLevel().get(nl + ":"), labels);

        // the K auxiliary decoders, grouped passes of a few at a time (chunk), each (N, k·C, H, W) -> (N, k, C, H, W)
        int k = decoders.decoders();
        int stride = net.outputStride();
        int chunk = decodersPerPass > 0 ? Math.min(k, decodersPerPass)
                : Passes.chunk(u.size(), classes, input.getShape().get(2) * stride, input.getShape().get(3) * stride,
                        k, Passes.CHUNK_BYTES);
        Consistency.Target target = Consistency.target(main, padded.logicalNot(), settings.confidence());
        NDList perDecoders = new NDList();
        NDList weakParts = new NDList();
        // (N, k, C, H, W) per pass
        for (NDArray perAux : Passes.logits(decoders, step.parameters(), input, chunk, height, width)) {
            perDecoders.add(Consistency.perDecoder(perAux, target));                       // (k)
            if (u.weakLabels() != null) {
                // every decoder sees the same labeled pixels: L_w's mean over K is the passes' means weighted by k/K
                weakParts.add(GraphSafe.scale(WeakLabels.loss(perAux, u.weakLabels(), step.ignoreIndex()),
                        perAux.getShape().get(1) / (double) k).reshape(1));
            }
        }
        NDArray perDecoder = GraphSafe.concat(perDecoders, 0);                                 // (K)
        double omega = Consistency.weight(settings.weight(), settings.rampUp(), step.iteration(), step.iterations());

        Map<String, NDArray> losses = new LinkedHashMap<>();
        losses.put("sup", sup);
        losses.put("unsup", GraphSafe.scale(perDecoder.mean(), omega));
        Map<String, NDArray> scalars = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("unsup_weight", omega);
        if (u.weakLabels() != null) {
            // L_w: the same auxiliary predictions learn the tagged images' pseudo-masks, ω_w = weak_weight · ramp
            double omegaW = WeakLabels.weight(settings.weakWeight(), settings.rampUp(), step.iteration(), step.iterations());
            NDArray weak = GraphSafe.concat(weakParts, 0).sum();
            losses.put("weak", GraphSafe.scale(weak, omegaW));
            scalars.put("weak_pixels", u.weakLabels().neq(step.ignoreIndex()).toType(DataType.FLOAT32, false).mean());
            values.put("weak_weight", omegaW);
        }
        for (Map.Entry<Perturbation, Integer> e : counts.entrySet()) {
            if (e.getValue() > 0) {
                int from = copies.offset(e.getKey());
                scalars.put("loss_unsup_" + e.getKey().key(),
                        perDecoder.get(from + ":" + (from + e.getValue())).mean().stopGradient());
            }
        }
        return new StepResult(losses, scalars, values);
    }
}
