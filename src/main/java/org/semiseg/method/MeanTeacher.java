package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.augment.ClassMix;
import org.semiseg.config.Config;
import org.semiseg.config.MethodConfig;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.model.Models;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The teacher-student part of Alonso et al. (ICCV 2021), Sections 3.1-3.3:
 * <ul>
 *   <li>L_sup (Eq. 4): weighted cross-entropy (Eq. 3) of the student on the labeled images (weak preset), β = 1;
 *       with a source domain, on the target and source images together (Section 4.3.2).</li>
 *   <li>Pseudo-labels (Eq. 5): the EMA teacher (Eq. 2) labels the unlabeled images every iteration; pixels an
 *       augmentation padded are ignored.</li>
 *   <li>L_pseudo (Eq. 6): the mean over A strong views of H(student(view), pseudo-label), each pixel weighted by the
 *       teacher's max probability to the power s (Section 4.2, s = 6). With ClassMix, each view mixes its batch (and
 *       the pseudo-labels and confidences with it) with its own draw.</li>
 *   <li>L_ent (Eq. 7), optional: the mean entropy of the student's predictions on the strong views.</li>
 *   <li>λ_pseudo = 0 during the warm-up ({@link MethodConfig#warmupFor}); class weights α (Eq. 3) from the labeled
 *       masks plus the pseudo-labels seen so far when {@code train.class_balancing} is on.</li>
 * </ul>
 * Registered as {@code mean-teacher} (no ClassMix) and {@code classmix} (ClassMix on the unlabeled views);
 * {@link MemoryBankMethod} extends it with the rest of Eq. 1. The teacher runs with batch statistics in its BN
 * layers, as in the authors' code, and the student is what is evaluated (Section 4.2).
 */
public class MeanTeacher implements Method {
    /** Stream tags of {@link StepContext#random}. */
    private static final long LABELED_MIX = 0x1AB_E1EDL;
    private static final long UNLABELED_MIX = 0xC1A5_5000L;

    protected final Config config;
    protected final MethodConfig settings;
    private final boolean classMixUnlabeled;
    private final boolean classMixLabeled;
    private final boolean entropy;
    protected SegmentationNet teacherNet;
    protected EmaTeacher teacher;
    protected List<String> classNames;
    private ClassCounts counts;
    private int warmup;

    /** {@code mean-teacher} ({@code classMix} false) or {@code classmix} (true). */
    public MeanTeacher(Config config, boolean classMix) {
        this(config, classMix, false, false);
    }

    protected MeanTeacher(Config config, boolean classMixUnlabeled, boolean classMixLabeled, boolean entropy) {
        this.config = config;
        this.settings = config.method();
        this.classMixUnlabeled = classMixUnlabeled;
        this.classMixLabeled = classMixLabeled;
        this.entropy = entropy;
    }

    @Override
    public Inputs inputs() {
        return Inputs.unlabeled(settings.unlabeledViews());
    }

    @Override
    public void initialize(MethodSetup setup) {
        teacherNet = Models.build(setup.student().spec());
        teacherNet.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, 3, 64, 64));
        teacher = new EmaTeacher(setup.student(), teacherNet, "teacher.");
        classNames = setup.classNames();
        counts = config.train().classBalancing() ? new ClassCounts(setup.labeledPixelCounts(), setup.manager()) : null;
        warmup = settings.warmupFor(config.train().iterations());
    }

    /** Whether iteration {@code it} is past the warm-up (λ_pseudo and λ_contr in force). */
    protected boolean warmedUp(int it) {
        return it >= warmup;
    }

    /**
     * The student's pass over the labeled images.
     *
     * @param images        the images the student saw (after ClassMix; target images first, then source images)
     * @param labels        host labels of the images in {@code logits} order (after ClassMix), (B', H, W)
     * @param targetImages  how many of the first images are the target domain's (the rest are source images)
     */
    protected record LabeledPass(NDArray images, NDArray logits, NDArray features, int[] labels, int targetImages,
                                 int height, int width) {
    }

    /**
     * The student's pass over the A strong views of the unlabeled images (views stacked along the batch axis).
     *
     * @param labels     host pseudo-labels per view, (A·B, H, W), ignore where padded
     * @param confidence host teacher confidence per view, (A·B, H, W)
     */
    protected record UnlabeledPass(NDArray logits, NDArray features, int[] labels, float[] confidence, int views,
                                   int height, int width) {
    }

    @Override
    public StepResult step(StepContext ctx) {
        Map<String, NDArray> losses = new LinkedHashMap<>();
        Map<String, NDArray> scalars = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        NDManager m = ctx.manager();
        int ignore = ctx.ignoreIndex();
        MethodConfig.Weights w = settings.weights();
        boolean warm = warmedUp(ctx.iteration());
        double pseudoWeight = warm ? w.pseudo() : 0;
        double entWeight = entropy ? w.ent() : 0;

        Pseudo pseudo = null;
        if (pseudoWeight > 0 || entWeight > 0 || wantsUnlabeledPass(ctx)) {
            pseudo = pseudoLabels(ctx, values);
        }
        if (counts != null) {
            counts.add(ctx.labeled().masks(), ignore);
            if (pseudo != null) {
                counts.add(pseudo.labels, ignore);
            }
        }
        NDArray alpha = counts != null ? counts.weights(m) : ctx.classWeight();

        LabeledPass labeled = labeledPass(ctx);
        if (w.sup() > 0) {
            NDArray y = upload(m, labeled.labels(), labeled.logits().getShape().get(0), labeled.height(), labeled.width());
            losses.put("sup", GraphSafe.scale(WeightedCrossEntropy.hard(labeled.logits(), y, ignore, alpha, null), w.sup()));
        }
        UnlabeledPass unlabeled = null;
        if (pseudo != null) {
            unlabeled = unlabeledPass(ctx, pseudo);
            int b = (int) ctx.xUnlabeled().getShape().get(0);
            long plane = (long) unlabeled.height() * unlabeled.width();
            NDArray pseudoSum = null;
            NDArray entSum = null;
            for (int a = 0; a < unlabeled.views(); a++) {
                NDArray logits = unlabeled.logits().get(a * b + ":" + (a + 1) * b);
                int[] la = java.util.Arrays.copyOfRange(unlabeled.labels(), (int) (a * b * plane), (int) ((a + 1) * b * plane));
                NDArray y = upload(m, la, b, unlabeled.height(), unlabeled.width());
                // one log-softmax of the view serves both L_pseudo and L_ent (forward and backward)
                NDArray logP = pseudoWeight > 0 || entWeight > 0 ? logits.logSoftmax(1) : null;
                if (pseudoWeight > 0) {
                    float[] ca = java.util.Arrays.copyOfRange(unlabeled.confidence(), (int) (a * b * plane), (int) ((a + 1) * b * plane));
                    NDArray beta = GraphSafe.power(m.create(ca, new Shape(b, unlabeled.height(), unlabeled.width())), settings.sharpen());
                    NDArray term = WeightedCrossEntropy.hardOfLogProbabilities(logP, y, ignore, alpha, beta);
                    pseudoSum = pseudoSum == null ? term : pseudoSum.add(term);
                }
                if (entWeight > 0) {
                    NDArray term = entropyOfLogProbabilities(logP, y.neq(ignore));
                    entSum = entSum == null ? term : entSum.add(term);
                }
            }
            if (pseudoSum != null) {
                losses.put("pseudo", GraphSafe.scale(pseudoSum, pseudoWeight / unlabeled.views()));
            }
            if (entSum != null) {
                losses.put("ent", GraphSafe.scale(entSum, entWeight / unlabeled.views()));
            }
        }
        extraTerms(ctx, labeled, unlabeled, losses, scalars, values);
        if (losses.isEmpty()) {
            // every term is switched off or waiting for the warm-up: a zero that still reaches the student
            losses.put("sup", GraphSafe.scale(labeled.logits().sum(), 0));
        }
        return new StepResult(losses, scalars, values);
    }

    /** Whether the unlabeled pass is needed even when L_pseudo and L_ent are off (subclasses). */
    protected boolean wantsUnlabeledPass(StepContext ctx) {
        return false;
    }

    /** Further loss terms of a subclass, computed from the passes already made ({@code unlabeled} may be null). */
    protected void extraTerms(StepContext ctx, LabeledPass labeled, UnlabeledPass unlabeled, Map<String, NDArray> losses,
                              Map<String, NDArray> scalars, Map<String, Double> values) {
    }

    /** Teacher pseudo-labels of the weak view. */
    private record Pseudo(int[] labels, float[] confidence, int n, int height, int width) {
    }

    /** Eq. 5 on the teacher's view, with the padding ignored; logs the share of confident pixels. */
    private Pseudo pseudoLabels(StepContext ctx, Map<String, Double> values) {
        Shape s = ctx.xUnlabeled().getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int wd = (int) s.get(3);
        NDArray logits = teacherForward(ctx, ctx.xUnlabeled()).get(0);
        NDArray prob = logits.softmax(1);
        int[] labels = prob.argMax(1).toType(DataType.INT32, false).toIntArray();
        float[] confidence = prob.max(new int[] {1}).toFloatArray();
        int[] padding = ctx.unlabeled().masks();
        int ignore = ctx.ignoreIndex();
        long valid = 0;
        long confident = 0;
        double threshold = settings.bank().confidence();
        for (int i = 0; i < labels.length; i++) {
            if (padding != null && padding[i] == ignore) {
                labels[i] = ignore;
                confidence[i] = 0;
            } else {
                valid++;
                if (confidence[i] > threshold) {
                    confident++;
                }
            }
        }
        values.put("confident_share", valid == 0 ? 0.0 : confident / (double) valid);
        return new Pseudo(labels, confidence, n, h, wd);
    }

    /** Training-mode (batch statistics) forward pass of the teacher, outputs detached: [logits, features]. */
    protected NDList teacherForward(StepContext ctx, NDArray images) {
        NDList out = teacherNet.forward(ctx.parameters(), new NDList(images), true);
        return new NDList(out.get(0).stopGradient(), out.get(1).stopGradient());
    }

    private LabeledPass labeledPass(StepContext ctx) {
        NDManager m = ctx.manager();
        NDArray x = ctx.xLabeled();
        int[] labels = ctx.labeled().masks();
        int b = ctx.labeled().size();
        int h = ctx.labeled().height();
        int wd = ctx.labeled().width();
        if (classMixLabeled) {
            double p = AugmentPreset.named(config.augment().labeled()).classMixProbability();
            ClassMix.Choice choice = ClassMix.choose(labels, b, h * wd, ctx.ignoreIndex(), p, ctx.random(LABELED_MIX));
            x = DeviceMix.images(m, x, choice);
            labels = DeviceMix.labels(labels, choice);
        }
        if (ctx.hasSource()) {
            if (ctx.source().height() != h || ctx.source().width() != wd) {
                throw new IllegalStateException("source images are " + ctx.source().width() + "x" + ctx.source().height()
                        + " but target images " + wd + "x" + h + ": crop or resize both to one size");
            }
            x = x.concat(ctx.xSource(), 0);
            int[] both = java.util.Arrays.copyOf(labels, labels.length + ctx.source().masks().length);
            System.arraycopy(ctx.source().masks(), 0, both, labels.length, ctx.source().masks().length);
            labels = both;
        }
        NDList out = ctx.studentForward(x);
        return new LabeledPass(x, out.get(0), out.get(1), labels, b, h, wd);
    }

    private UnlabeledPass unlabeledPass(StepContext ctx, Pseudo pseudo) {
        NDManager m = ctx.manager();
        int views = ctx.xUnlabeledStrong().size();
        int plane = pseudo.height * pseudo.width;
        double p = AugmentPreset.named(config.augment().unlabeled()).classMixProbability();
        List<NDArray> images = new ArrayList<>();
        int[] labels = new int[views * pseudo.labels.length];
        float[] confidence = new float[views * pseudo.labels.length];
        for (int a = 0; a < views; a++) {
            NDArray x = ctx.xUnlabeledStrong().get(a);
            int[] la = pseudo.labels;
            float[] ca = pseudo.confidence;
            if (classMixUnlabeled) {
                ClassMix.Choice choice = ClassMix.choose(la, pseudo.n, plane, ctx.ignoreIndex(), p,
                        ctx.random(UNLABELED_MIX + a));
                x = DeviceMix.images(m, x, choice);
                la = DeviceMix.labels(la, choice);
                ca = DeviceMix.values(ca, choice);
            }
            images.add(x);
            System.arraycopy(la, 0, labels, a * la.length, la.length);
            System.arraycopy(ca, 0, confidence, a * ca.length, ca.length);
        }
        NDArray x = images.size() == 1 ? images.get(0) : NDArrays.concat(new NDList(images), 0);
        NDList out = ctx.studentForward(x);
        return new UnlabeledPass(out.get(0), out.get(1), labels, confidence, views, pseudo.height, pseudo.width);
    }

    /** Eq. 7 for one view: −(1/N) Σ_n Σ_c p log p over the pixels where {@code valid} holds. */
    static NDArray entropy(NDArray logits, NDArray valid) {
        return entropyOfLogProbabilities(logits.logSoftmax(1), valid);
    }

    /** {@link #entropy} from {@code logits.logSoftmax(1)}. */
    static NDArray entropyOfLogProbabilities(NDArray logP, NDArray valid) {
        NDArray perPixel = logP.exp().mul(logP).sum(new int[] {1}).neg();
        NDArray mask = valid.toType(DataType.FLOAT32, false);
        return perPixel.mul(mask).sum().div(mask.sum().maximum(1f));
    }

    static NDArray upload(NDManager m, int[] labels, long n, int h, int w) {
        return m.create(labels, new Shape(n, h, w)).toType(DataType.INT64, false);
    }

    @Override
    public void afterUpdate(StepContext ctx) {
        teacher.update(EmaTeacher.decay(settings.emaStart(), settings.emaEnd(), ctx.iteration(), ctx.iterations()));
    }

    @Override
    public NDList state() {
        NDList out = new NDList(teacher.state());
        if (counts != null) {
            out.add(counts.state());
        }
        return out;
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        teacher.loadState(saved);
        if (counts != null) {
            counts.loadState(saved);
        }
    }
}
