package org.semiseg.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.semiseg.config.Config;
import org.semiseg.config.MethodConfig;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.contrast.BankSelection;
import org.semiseg.method.contrast.ContrastiveLoss;
import org.semiseg.method.contrast.MemoryBank;
import org.semiseg.model.ContrastiveHeads;
import org.semiseg.model.ParameterNames;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The full method of Alonso et al. (ICCV 2021), Eq. 1: λsup·L_sup + λpseudo·L_pseudo + λent·L_ent + λcontr·L_contr,
 * with ClassMix as in Table 1 (labeled batches with the weak preset's probability, unlabeled views with the strong
 * one). The teacher-student terms come from {@link MeanTeacher}; this class adds Section 3.4:
 * <ul>
 *   <li>Projection and prediction heads and 2 × C class-wise attention modules ({@link ContrastiveHeads}) on the
 *       pre-classifier features, with an EMA copy for the teacher.</li>
 *   <li>The memory bank: every iteration, the teacher's features of the target domain's labeled images, at feature
 *       resolution (labels downsampled by nearest neighbour), pass the Feature Quality Filter (teacher argmax equals
 *       the label and its confidence exceeds φ); the teacher's projection vectors of the survivors are ranked by the
 *       teacher's attention module of their class and the K highest of each image and class enter the class's FIFO
 *       queue, K = max(1, ψ / labeled images).</li>
 *   <li>L_contr (Eq. 8-11): the student's prediction vectors of labeled pixels (by label; target and source domain)
 *       and of the unlabeled views' pixels (by pseudo-label) against the bank of their class; the two terms are
 *       logged apart and both weighted by λcontr, as in the authors' code. λcontr = 0 during the warm-up.</li>
 * </ul>
 * Ablations (Tables 5, 7, 8): {@code method.weights.*} = 0 drops a term; {@code method.bank.size} is ψ;
 * {@code method.bank.features: student} fills the bank from the student; {@code method.bank.attention: false} uses
 * weights of 1 and random picks; {@code method.bank.quality_filter: false} takes every labeled pixel as candidate.
 */
public final class MemoryBankMethod extends MeanTeacher {
    private static final long BANK_PICKS = 0xBA4C_0001L;

    private ContrastiveHeads heads;
    private ContrastiveHeads teacherHeads;
    private EmaTeacher headsTeacher;
    private MemoryBank bank;
    private int perImage;
    private NDManager manager;
    private NDManager stateArrays;

    public MemoryBankMethod(Config config) {
        super(config, true, true, true);
    }

    @Override
    public void initialize(MethodSetup setup) {
        super.initialize(setup);
        int features = setup.student().featureChannels();
        MethodConfig.Bank b = settings.bank();
        int dim = b.dim() != null ? b.dim() : setup.student().spec().scaled(256);
        heads = new ContrastiveHeads(features, dim, setup.numClasses());
        heads.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, features));
        teacherHeads = new ContrastiveHeads(features, dim, setup.numClasses());
        teacherHeads.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, features));
        headsTeacher = new EmaTeacher(heads, teacherHeads, "teacher_heads.");
        bank = new MemoryBank(setup.numClasses(), b.size(), dim);
        perImage = BankSelection.perImage(b.size(), setup.labeledImages());
        manager = setup.manager();
    }

    @Override
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        ParameterNames.of(heads).forEach((name, p) -> {
            if (p.requiresGradient()) {
                out.put("heads." + name, p);
            }
        });
        return out;
    }

    @Override
    protected boolean wantsUnlabeledPass(StepContext ctx) {
        return contrastOn(ctx);
    }

    private boolean contrastOn(StepContext ctx) {
        return warmedUp(ctx.iteration()) && settings.weights().contr() > 0;
    }

    @Override
    protected void extraTerms(StepContext ctx, LabeledPass labeled, UnlabeledPass unlabeled, Map<String, NDArray> losses,
                              Map<String, NDArray> scalars, Map<String, Double> values) {
        if (settings.weights().contr() > 0) {
            updateBank(ctx, labeled);
        }
        if (contrastOn(ctx)) {
            float lambda = (float) settings.weights().contr();
            List<NDArray> predScores = new ArrayList<>();
            List<NDArray> bankScores = new ArrayList<>();
            // the bank's side of Eq. 11 (bank vectors through the projection selectors) is computed once and
            // serves the labeled and the unlabeled term
            ContrastiveLoss.BankSide side = new ContrastiveLoss.BankSide(heads, ctx.parameters(), bank,
                    settings.bank().attention(), ctx.manager());
            ContrastiveLoss.Result l = contrast(ctx, side, labeled.features(), labeled.labels(), labeled.height(),
                    labeled.width());
            losses.put("contr_labeled", GraphSafe.scale(l.loss(), lambda));
            predScores.add(l.meanPredictionScore());
            bankScores.add(l.meanBankScore());
            if (unlabeled != null) {
                ContrastiveLoss.Result u = contrast(ctx, side, unlabeled.features(), unlabeled.labels(),
                        unlabeled.height(), unlabeled.width());
                losses.put("contr_unlabeled", GraphSafe.scale(u.loss(), lambda));
                predScores.add(u.meanPredictionScore());
                bankScores.add(u.meanBankScore());
            }
            if (settings.bank().attention()) {
                scalars.put("attention_pred", mean(predScores));
                scalars.put("attention_bank", mean(bankScores));
            }
        }
        for (int c = 0; c < bank.numClasses(); c++) {
            values.put("bank_fill_" + classNames.get(c), (double) bank.fill(c));
        }
    }

    private static NDArray mean(List<NDArray> xs) {
        NDArray sum = xs.get(0);
        for (int i = 1; i < xs.size(); i++) {
            sum = sum.add(xs.get(i));
        }
        return GraphSafe.divide(sum, xs.size());
    }

    /** Eq. 8-11 for the pixels of {@code features} whose downsampled label is not ignored. */
    private ContrastiveLoss.Result contrast(StepContext ctx, ContrastiveLoss.BankSide side, NDArray features,
                                           int[] labels, int height, int width) {
        NDManager m = ctx.manager();
        Shape fs = features.getShape();
        int n = (int) fs.get(0);
        int h = (int) fs.get(2);
        int w = (int) fs.get(3);
        int[] down = BankSelection.downsampleNearest(labels, n, height, width, h, w);
        int[] index = where(down, v -> v != ctx.ignoreIndex());
        int count = index.length;
        int[] classes = BankSelection.gather(down, index);
        ParameterStore ps = ctx.parameters();
        NDArray p;
        if (count < 2) { // BN in the heads needs two vectors in training mode
            p = m.zeros(new Shape(0, heads.dim()));
            classes = new int[0]; // one class per row of p (a lone pixel would leave one class for no row)
        } else {
            NDArray v = pixels(features).get(m.create(index));
            p = heads.predict(ps, heads.project(ps, v, true), true);
        }
        return ContrastiveLoss.loss(side, p, classes);
    }

    /** (N, F, h, w) to (N·h·w, F), one row per pixel. */
    private static NDArray pixels(NDArray features) {
        Shape s = features.getShape();
        return features.transpose(0, 2, 3, 1).reshape(-1, s.get(1));
    }

    /** The bank update of Section 3.4 from the target domain's labeled images (no gradient). */
    private void updateBank(StepContext ctx, LabeledPass labeled) {
        NDManager m = ctx.manager();
        ParameterStore ps = ctx.parameters();
        MethodConfig.Bank b = settings.bank();
        int targets = labeled.targetImages();
        boolean fromTeacher = b.features().equals("teacher");
        NDArray logits;
        NDArray features;
        if (fromTeacher) {
            NDList out = teacherForward(ctx, labeled.images().get(":" + targets));
            logits = out.get(0);
            features = out.get(1);
        } else {
            logits = labeled.logits().get(":" + targets).stopGradient();
            features = labeled.features().get(":" + targets).stopGradient();
        }
        ContrastiveHeads ranker = fromTeacher ? teacherHeads : heads;
        Shape fs = features.getShape();
        int h = (int) fs.get(2);
        int w = (int) fs.get(3);
        int height = labeled.height();
        int width = labeled.width();
        int plane = height * width;
        int[] labels = java.util.Arrays.copyOf(labeled.labels(), targets * plane);
        int[] labelsDown = BankSelection.gather(labels, BankSelection.nearestSource(targets, height, width, h, w));
        int[] predDown = null;
        float[] confDown = null;
        if (b.qualityFilter()) {
            // the filter reads the teacher's prediction at the feature map's positions only: pick those logits
            // (nearest neighbour, the labels' rule) before the softmax, instead of a full-size softmax, argmax and
            // max copied to the host and then subsampled (the same values, h*w instead of H*W per image)
            int[] positions = BankSelection.nearestSource(1, height, width, h, w);
            long classes = logits.getShape().get(1);
            try (NDArray index = m.create(positions);
                 NDArray flat = logits.reshape(targets, classes, plane);
                 NDArray picked = flat.get(new ai.djl.ndarray.index.NDIndex(":, :, {}", index));
                 NDArray prob = picked.softmax(1);
                 NDArray argMax = prob.argMax(1);
                 NDArray predicted = argMax.toType(DataType.INT32, false);
                 NDArray confidence = prob.max(new int[] {1})) {
                predDown = predicted.toIntArray();
                confDown = confidence.toFloatArray();
            }
        }
        boolean[] keep = BankSelection.qualityFilter(labelsDown, predDown, confDown, (float) b.confidence(),
                ctx.ignoreIndex(), b.qualityFilter());
        int[] index = where(keep.length, i -> keep[i]);
        int count = index.length;
        if (count < 2) { // BN in the heads needs two vectors in training mode
            return;
        }
        int pixelsPerImage = h * w;
        int[] image = new int[count];
        int[] cls = BankSelection.gather(labelsDown, index);
        for (int k = 0; k < count; k++) {
            image[k] = index[k] / pixelsPerImage;
        }
        NDArray z = ranker.project(ps, pixels(features).get(m.create(index)), true).stopGradient();
        float[] scores = null;
        if (b.attention()) {
            scores = new float[count];
            List<int[]> groups = new ArrayList<>();
            NDList classScores = new NDList();
            for (int c = 0; c < bank.numClasses(); c++) {
                int cl = c;
                int[] members = where(cls, v -> v == cl);
                if (members.length == 0) {
                    continue;
                }
                // BN needs two vectors for batch statistics; a lone candidate is scored with the running ones
                groups.add(members);
                classScores.add(ranker.projectionScore(ps, c, z.get(m.create(members)), members.length > 1));
            }
            // one copy to the host for all classes
            float[] all = classScores.size() == 1 ? classScores.get(0).toFloatArray()
                    : NDArrays.concat(classScores).toFloatArray();
            int k = 0;
            for (int[] members : groups) {
                for (int member : members) {
                    scores[member] = all[k++];
                }
            }
        }
        int[] chosen = BankSelection.topK(image, cls, scores, perImage, ctx.random(BANK_PICKS));
        if (chosen.length == 0) {
            return;
        }
        float[] vectors = z.get(m.create(chosen)).toFloatArray();
        int dim = bank.dim();
        // chosen is grouped by image, then class: push each run of one class in order
        int start = 0;
        while (start < chosen.length) {
            int c = cls[chosen[start]];
            int end = start;
            while (end < chosen.length && cls[chosen[end]] == c) {
                end++;
            }
            float[] run = java.util.Arrays.copyOfRange(vectors, start * dim, end * dim);
            bank.push(c, run, end - start);
            start = end;
        }
    }

    /** Positions i of {@code values} where the test holds, ascending. */
    private static int[] where(int[] values, java.util.function.IntPredicate test) {
        return where(values.length, i -> test.test(values[i]));
    }

    private static int[] where(int n, java.util.function.IntPredicate test) {
        return java.util.stream.IntStream.range(0, n).filter(test).toArray();
    }

    @Override
    public void afterUpdate(StepContext ctx) {
        super.afterUpdate(ctx);
        headsTeacher.update(EmaTeacher.decay(settings.emaStart(), settings.emaEnd(), ctx.iteration(), ctx.iterations()));
    }

    @Override
    public NDList state() {
        NDList out = super.state();
        ParameterNames.of(heads).forEach((name, p) -> {
            NDArray a = p.getArray();
            a.setName("heads." + name);
            out.add(a);
        });
        out.addAll(headsTeacher.state());
        // the bank's arrays are copies made for this call; the previous call's are freed now
        if (stateArrays != null) {
            stateArrays.close();
        }
        stateArrays = manager.newSubManager();
        out.addAll(bank.state(stateArrays));
        return out;
    }

    @Override
    public void loadState(Map<String, NDArray> saved) {
        super.loadState(saved);
        ParameterNames.of(heads).forEach((name, p) -> {
            NDArray s = saved.get("heads." + name);
            if (s == null || !s.getShape().equals(p.getArray().getShape())) {
                throw new IllegalArgumentException("method state lacks heads." + name + " of shape " + p.getArray().getShape());
            }
            p.getArray().set(new ai.djl.ndarray.index.NDIndex("..."), s);
        });
        headsTeacher.loadState(saved);
        bank.loadState(saved);
    }
}
