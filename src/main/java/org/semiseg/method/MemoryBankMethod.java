package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.config.Check;
import org.semiseg.config.Config;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.contrast.BankSelection;
import org.semiseg.method.contrast.BankUpdate;
import org.semiseg.method.contrast.ContrastiveHeads;
import org.semiseg.method.contrast.ContrastiveLoss;
import org.semiseg.method.contrast.MemoryBank;
import org.semiseg.method.parts.ClassMix;
import org.semiseg.method.parts.Entropy;
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
 * {@code memory-bank}: the full method of Alonso et al. (ICCV 2021), Eq. 1:
 * λsup·L_sup + λpseudo·L_pseudo + λent·L_ent + λcontr·L_contr.
 * <ul>
 *   <li>L_sup (Eq. 4) on labeled batches ClassMixed with the weak preset's probability (Table 1); with a source
 *       domain, its images join them (Section 4.3.2).</li>
 *   <li>Pseudo-labels (Eq. 5) of the EMA teacher (Eq. 2) on the weak view follow each strong view's own geometry,
 *       then that view's ClassMix (strong preset); L_pseudo (Eq. 6) weighs pixels by confidence^s, 1/A over views.</li>
 *   <li>L_ent (Eq. 7) on the strong views, in nats, from iteration 0.</li>
 *   <li>Section 3.4: projection/prediction heads and 2·C attention modules ({@link ContrastiveHeads}) trained with
 *       the head learning rate, an EMA copy for the teacher; every iteration the teacher's features of the labeled
 *       target images fill the class-wise bank ({@link BankUpdate}); L_contr (Eq. 8-11) pulls the student's
 *       prediction vectors of labeled pixels (by label) and of the views' pixels (by pseudo-label) towards the bank
 *       of their class, both terms weighted by λcontr as in the authors' code.</li>
 *   <li>λpseudo = λcontr = 0 during the warm-up.</li>
 * </ul>
 * Ablations (Tables 5, 7, 8): a weight of 0 drops its term; {@code bank.size} is ψ; {@code bank.features: student}
 * fills the bank from the student; {@code bank.attention: false} uses weights of 1 and random picks;
 * {@code bank.quality_filter: false} takes every labeled pixel as a candidate.
 */
public final class MemoryBankMethod implements Method {
    private static final long LABELED_MIX = 0x1AB_E1EDL;
    private static final long UNLABELED_MIX = 0xC1A5_5000L;
    private static final long BANK_PICKS = 0xBA4C_0001L;

    /** {@code method.memory-bank}. */
    public record Settings(Weights weights, double sharpen, Bank bank) {
        public Settings {
            Check.present("method.memory-bank.weights", weights);
            Check.inRange("method.memory-bank.sharpen", sharpen, 0, 100);
            Check.present("method.memory-bank.bank", bank);
        }
    }

    /** λ of Eq. 1; 0 switches a term off (the rows of Table 5). */
    public record Weights(double sup, double pseudo, double ent, double contr) {
        public Weights {
            Check.inRange("method.memory-bank.weights.sup", sup, 0, 1e6);
            Check.inRange("method.memory-bank.weights.pseudo", pseudo, 0, 1e6);
            Check.inRange("method.memory-bank.weights.ent", ent, 0, 1e6);
            Check.inRange("method.memory-bank.weights.contr", contr, 0, 1e6);
        }
    }

    /**
     * The bank (Section 3.4, 4.2; Tables 7 and 8): ψ vectors per class; head width (null: 256 × model.width); φ of
     * the Feature Quality Filter; the filter, the attention modules, and which network's features fill the bank.
     */
    public record Bank(int size, Integer dim, double confidence, boolean qualityFilter, boolean attention,
                       String features) {
        public Bank {
            Check.atLeast("method.memory-bank.bank.size", size, 1);
            if (dim != null) {
                Check.atLeast("method.memory-bank.bank.dim", dim, 1);
            }
            Check.inRange("method.memory-bank.bank.confidence", confidence, 0, 1);
            Check.oneOf("method.memory-bank.bank.features", features, List.of("teacher", "student"));
        }
    }

    private final Config config;
    private final Settings settings;
    private SegmentationNet teacher;
    private ContrastiveHeads heads;
    private ContrastiveHeads teacherHeads;
    private MemoryBank bank;
    private BankUpdate bankUpdate;
    private ClassCounts counts;
    private List<String> classNames;
    private int warmup;
    private double labeledMixProbability;
    private double unlabeledMixProbability;

    public MemoryBankMethod(Config config, Settings settings) {
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
        int features = setup.student().featureChannels();
        int dim = settings.bank().dim() != null ? settings.bank().dim() : setup.student().spec().scaled(256);
        heads = setup.trained("heads", newHeads(setup, features, dim), config.train().headLrMultiplier());
        teacherHeads = setup.emaCopy("teacher_heads", newHeads(setup, features, dim), heads,
                Teachers.cosineRamp(config.method()));
        bank = new MemoryBank(setup.numClasses(), settings.bank().size(), dim);
        bankUpdate = new BankUpdate(bank, BankSelection.perImage(settings.bank().size(), setup.labeledImages()),
                settings.bank().confidence(), settings.bank().qualityFilter(), settings.bank().attention());
        counts = config.train().classBalancing() ? new ClassCounts(setup.labeledPixelCounts(), setup.manager()) : null;
        classNames = setup.classNames();
        manager = setup.manager();
        warmup = config.method().warmupFor(config.train().iterations());
        labeledMixProbability = inputs().labeledAugment(config.augment()).classMixProbability();
        unlabeledMixProbability = inputs().unlabeledAugment(config.augment()).classMixProbability();
    }

    private static ContrastiveHeads newHeads(MethodSetup setup, int features, int dim) {
        ContrastiveHeads h = new ContrastiveHeads(features, dim, setup.numClasses());
        h.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, features));
        return h;
    }

    @Override
    public StepResult step(Step step) {
        Map<String, NDArray> losses = new LinkedHashMap<>();
        Map<String, NDArray> scalars = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        int ignore = step.ignoreIndex();
        int classes = step.numClasses();
        Weights w = settings.weights();
        Batch.Unlabeled u = step.unlabeled();
        boolean warm = step.iteration() >= warmup;
        double pseudoWeight = warm ? w.pseudo() : 0;
        boolean contrast = warm && w.contr() > 0;

        // Eq. 5 on the weak view (from iteration 0 when L_ent or the bank needs the views)
        PseudoLabels pseudo = null;
        if (pseudoWeight > 0 || w.ent() > 0 || contrast) {
            pseudo = Teachers.pseudoLabels(teacher, step);
            scalars.put("confident_share", pseudo.confidentShare(settings.bank().confidence(), ignore));
        }
        NDArray alpha = ClassCounts.alpha(counts, step, pseudo);

        // Eq. 4 on ClassMixed labeled images (weak preset), then the source domain's
        Mix labeledMix = ClassMix.choose(step.labeled().masks(), classes, ignore, labeledMixProbability,
                step.random(LABELED_MIX));
        Batch.Labeled target = new Batch.Labeled(labeledMix.apply(step.labeled().images()),
                labeledMix.apply(step.labeled().masks()));
        Batch.Labeled labeled = target.followedBy(step.source());
        int n = target.size();
        long height = target.images().getShape().get(2);
        long width = target.images().getShape().get(3);
        int[] labels = hostLabels(labeled.masks());
        boolean fromTeacher = settings.bank().features().equals("teacher");
        if (w.contr() > 0 && fromTeacher) {
            // Section 3.4's bank update from the teacher's pass over the labeled target images. It needs nothing of the
            // student's, so it runs before the student's passes: its working set is not added to their saved
            // activations at the step's memory peak (the teacher's two passes keep their order)
            try (NDList taught = Teachers.forward(teacher, step.parameters(), target.images())) {
                updateBank(step, taught, teacherHeads, labels, n, height, width);
            }
        }
        NDList labeledOut = step.forward(labeled.images());
        NDArray sup = WeightedCrossEntropy.hard(labeledOut.get(0), labeled.masks(), ignore, alpha, null);
        losses.put("sup", GraphSafe.scale(sup, w.sup()));

        // Eq. 6-7 on the strong views: each follows its geometry, then its own ClassMix (strong preset)
        NDArray viewFeatures = null;
        NDArray viewLabels = null;
        if (pseudo != null) {
            List<NDArray> images = new ArrayList<>();
            List<PseudoLabels> targets = new ArrayList<>();
            for (int a = 0; a < u.strong().size(); a++) {
                Batch.View view = u.strong().get(a);
                PseudoLabels t = pseudo.follow(view.fromWeak(), ignore);
                Mix mix = ClassMix.choose(t.labels(), classes, ignore, unlabeledMixProbability, step.random(UNLABELED_MIX + a));
                images.add(mix.apply(view.images()));
                targets.add(t.mix(mix));
            }
            NDList out = step.forward(GraphSafe.concat(new NDList(images), 0));
            NDArray logP = out.get(0).logSoftmax(1);
            NDArray pseudoSum = null;
            NDArray entSum = null;
            List<NDArray> allLabels = new ArrayList<>();
            for (int a = 0; a < targets.size(); a++) {
                NDArray viewLogP = logP.get(a * u.size() + ":" + (a + 1) * u.size());
                PseudoLabels t = targets.get(a);
                allLabels.add(t.labels());
                NDArray p = PseudoLabelLoss.of(viewLogP, t, alpha, settings.sharpen(), ignore);
                NDArray e = Entropy.mean(viewLogP, t.valid(ignore));
                pseudoSum = pseudoSum == null ? p : pseudoSum.add(p);
                entSum = entSum == null ? e : entSum.add(e);
            }
            if (pseudoWeight > 0) {
                losses.put("pseudo", GraphSafe.scale(pseudoSum, pseudoWeight / targets.size()));
            }
            if (w.ent() > 0) {
                losses.put("ent", GraphSafe.scale(entSum, w.ent() / targets.size()));
            }
            viewFeatures = out.get(1);
            viewLabels = GraphSafe.concat(new NDList(allLabels), 0);
        }

        // Section 3.4: the bank from the labeled target images (the student's features: here), then Eq. 8-11
        if (w.contr() > 0 && !fromTeacher) {
            updateBank(step, new NDList(labeledOut.get(0).get(":" + n).stopGradient(),
                    labeledOut.get(1).get(":" + n).stopGradient()), heads, labels, n, height, width);
        }
        if (contrast) {
            float lambda = (float) w.contr();
            // the bank's side of Eq. 11 is computed once and serves both terms
            ContrastiveLoss.BankSide side = new ContrastiveLoss.BankSide(heads, step.parameters(), bank,
                    settings.bank().attention(), step.manager());
            ContrastiveLoss.Result l = contrast(step, side, labeledOut.get(1), labels, height, width);
            ContrastiveLoss.Result v = contrast(step, side, viewFeatures, hostLabels(viewLabels),
                    viewLabels.getShape().get(1), viewLabels.getShape().get(2));
            losses.put("contr_labeled", GraphSafe.scale(l.loss(), lambda));
            losses.put("contr_unlabeled", GraphSafe.scale(v.loss(), lambda));
            if (settings.bank().attention()) {
                scalars.put("attention_pred", GraphSafe.divide(l.meanPredictionScore().add(v.meanPredictionScore()), 2));
                scalars.put("attention_bank", GraphSafe.divide(l.meanBankScore().add(v.meanBankScore()), 2));
            }
        }
        for (int c = 0; c < bank.numClasses(); c++) {
            values.put("bank_fill_" + classNames.get(c), (double) bank.fill(c));
        }
        return new StepResult(losses, scalars, values);
    }

    /** Eq. 8-11 for the pixels of {@code features} (N, F, h, w) whose downsampled label is not ignored. */
    private ContrastiveLoss.Result contrast(Step step, ContrastiveLoss.BankSide side, NDArray features, int[] labels,
                                           long height, long width) {
        Shape fs = features.getShape();
        int n = (int) fs.get(0);
        int[] down = BankSelection.downsampleNearest(labels, n, (int) height, (int) width, (int) fs.get(2), (int) fs.get(3));
        // in class order, so that the loss cuts the heads' output by class without a gather of its own
        int[] index = BankSelection.validInClassOrder(down, step.ignoreIndex(), bank.numClasses());
        if (index.length < 2) { // BN in the heads needs two vectors in training mode
            return ContrastiveLoss.loss(side, step.manager().zeros(new Shape(0, heads.dim())), new int[0]);
        }
        // the (N·h·w, F) copy of the feature map is freed here: the lookup's backward keeps only the index and sizes
        NDArray v;
        try (NDArray flat = BankUpdate.pixels(features)) {
            v = BankUpdate.rows(step.manager(), flat, index);
        }
        NDArray p = heads.predict(step.parameters(), heads.project(step.parameters(), v, true), true);
        return ContrastiveLoss.loss(side, p, BankSelection.gather(down, index));
    }

    /** Section 3.4's bank update from {@code source} (logits, features) of the n labeled target images (n, ·, H, W). */
    private void updateBank(Step step, NDList source, ContrastiveHeads bankHeads, int[] labels, int n, long height,
                            long width) {
        bankUpdate.update(step.manager(), step.parameters(), bankHeads, source.get(0), source.get(1),
                java.util.Arrays.copyOf(labels, (int) (n * height * width)), (int) height, (int) width,
                step.ignoreIndex(), step.random(BANK_PICKS));
    }

    private static int[] hostLabels(NDArray labels) {
        return labels.toType(DataType.INT32, false).toIntArray();
    }

    @Override
    public NDList state() {
        NDList out = new NDList();
        if (counts != null) {
            out.add(counts.state());
        }
        out.addAll(bank.state(stateManager()));
        return out;
    }

    private ai.djl.ndarray.NDManager stateArrays;
    private ai.djl.ndarray.NDManager manager;

    /** The bank's arrays are copies made per call; the previous call's are freed now. */
    private ai.djl.ndarray.NDManager stateManager() {
        if (stateArrays != null) {
            stateArrays.close();
        }
        stateArrays = manager.newSubManager();
        return stateArrays;
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        if (counts != null) {
            counts.loadState(saved);
        }
        bank.loadState(saved);
    }
}
