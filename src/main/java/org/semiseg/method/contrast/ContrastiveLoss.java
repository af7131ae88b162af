package org.semiseg.method.contrast;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.semiseg.loss.GraphSafe;
import org.semiseg.method.contrast.ContrastiveHeads;

/**
 * The positive-only, class-wise contrastive loss of Alonso et al. (ICCV 2021, Section 3.4, Eq. 8-11): the student's
 * prediction vectors p of class c are pulled towards the memory bank's vectors z' of class c, each pair weighted by
 * the L1-normalised scores of the class's attention modules.
 */
public final class ContrastiveLoss {

    /** Smallest norm divided by in L2 normalisation, as torch's F.normalize. */
    private static final double NORM_EPS = 1e-12;

    private ContrastiveLoss() {}

    /**
     * @param loss                the contrastive loss, a scalar connected to p and the selectors
     * @param meanPredictionScore mean raw selector output over the prediction vectors used (0 when none)
     * @param meanBankScore       mean raw selector output over the bank vectors used (0 when none)
     * @param classesUsed         number of classes with vectors on both sides
     */
    public record Result(NDArray loss, NDArray meanPredictionScore, NDArray meanBankScore, int classesUsed) {}

    /** Eq. 8: w_i = N s_i / Σ_j s_j for a 1-D array of N scores, so that the weights sum to N. */
    public static NDArray l1Normalise(NDArray scores) {
        long n = scores.getShape().get(0);
        NDArray total = scores.sum();
        NDArray ratio = scores.div(total);
        total.close();
        NDArray weights = GraphSafe.scale(ratio, n);
        ratio.close();
        return weights;
    }

    /**
     * One class's share of Eq. 11 before the 1/C: (1 / (Np Nz)) Σ_p Σ_z wp wz (1 - cos(p, z)) (Eq. 9, 10), without
     * the Np x Nz matrix. Since the sum factorises,
     * <pre>
     *   (1/(Np Nz)) Σ_p Σ_z wp wz (1 - p̂·ẑ) = (Σ wp / Np)(Σ wz / Nz) - ⟨(1/Np) Σ_p wp p̂, (1/Nz) Σ_z wz ẑ⟩
     * </pre>
     * exactly, for any weights (with Eq. 8's weights the first product is 1), where p̂ and ẑ are the rows divided by
     * max(‖row‖, 1e-12).
     *
     * @param p  (Np, d) vectors
     * @param wp (Np) weights
     * @param z  (Nz, d) vectors
     * @param wz (Nz) weights
     * @return a scalar
     */
    public static NDArray classTerm(NDArray p, NDArray wp, NDArray z, NDArray wz) {
        NDArray zMean = weightedMeanOfUnitRows(z, wz);
        NDArray wzMean = wz.mean();
        NDArray term = reducedClassTerm(p, wp, zMean, wzMean);
        closeAll(zMean, wzMean);
        return term;
    }

    /** {@link #classTerm(NDArray, NDArray, NDArray, NDArray)} with the bank's side already reduced. */
    private static NDArray reducedClassTerm(NDArray p, NDArray wp, NDArray zMean, NDArray wzMean) {
        NDArray pMean = weightedMeanOfUnitRows(p, wp);
        NDArray inner = pMean.mul(zMean).sum();
        NDArray wpMean = wp.mean();
        NDArray weightProduct = wpMean.mul(wzMean);
        NDArray term = weightProduct.sub(inner);
        closeAll(pMean, inner, wpMean, weightProduct);
        return term;
    }

    /**
     * The memory bank's side of Eq. 11 for one step, per class: the weighted mean of the unit bank vectors
     * (1/Nz) Σ_z wz ẑ, the mean weight and the selector's score sum. It depends on the bank, the projection
     * selectors and nothing of the prediction vectors, so one step computes it once per class, on first use, and
     * every {@link #loss(BankSide, NDArray, int[])} call of the step (labeled and unlabeled pixels) shares it: the
     * bank's vectors are uploaded, scored by the class's projection selector and normalised once, and its
     * gradient reaches the selector through one graph node. Create it after the step's bank update.
     *
     * <p>Losses and gradients are those of separate calls (up to float rounding of the gradient sum). One
     * difference: the projection selector's BN running statistics now take one update per step from the bank's
     * batch, where two calls gave two updates from the same batch. They are used only to score a lone vector (a
     * class whose bank, or whose candidates in a bank update, hold one vector), whose weight is 1 and whose rank is
     * first whatever its score, so training does not depend on them.
     */
    public static final class BankSide {
        private final ContrastiveHeads heads;
        private final ParameterStore ps;
        private final MemoryBank bank;
        private final boolean attention;
        private final NDManager manager;
        private final NDArray[] zMean;
        private final NDArray[] wzMean;
        private final NDArray[] scoreSum;

        /**
         * @param heads     the attention modules (selectors)
         * @param ps        parameter store for the selectors
         * @param bank      the memory bank; its vectors enter as constants
         * @param attention whether the selectors weigh the pairs
         * @param manager   the step's manager: every array made here belongs to it
         */
        public BankSide(ContrastiveHeads heads, ParameterStore ps, MemoryBank bank, boolean attention,
                        NDManager manager) {
            if (attention && heads.numClasses() < bank.numClasses()) {
                throw new IllegalArgumentException("heads have selectors for " + heads.numClasses()
                        + " classes, the bank has " + bank.numClasses());
            }
            this.heads = heads;
            this.ps = ps;
            this.bank = bank;
            this.attention = attention;
            this.manager = manager;
            zMean = new NDArray[bank.numClasses()];
            wzMean = new NDArray[bank.numClasses()];
            scoreSum = new NDArray[bank.numClasses()];
        }

        /** Computes class c's side (fill(c) > 0) unless done. */
        private void ensure(int c) {
            if (zMean[c] != null) {
                return;
            }
            NDArray zc = bank.entries(manager, c);
            NDArray wz;
            if (attention) {
                NDArray sz = heads.projectionScore(ps, c, zc, bank.fill(c) > 1);
                wz = l1Normalise(sz);
                scoreSum[c] = sumWithoutGradient(sz);
                sz.close();
            } else {
                wz = manager.ones(new Shape(bank.fill(c)));
            }
            zMean[c] = weightedMeanOfUnitRows(zc, wz);
            wzMean[c] = wz.mean();
            // handles only: autograd keeps what backward needs
            closeAll(zc, wz);
        }
    }

    /** {@link #classTerm} through the explicit Np x Nz matrix of 1 - cos (for tests and small inputs). */
    public static NDArray classTermPairwise(NDArray p, NDArray wp, NDArray z, NDArray wz) {
        NDArray pUnit = p.normalize(2, 1, NORM_EPS);
        NDArray zUnit = z.normalize(2, 1, NORM_EPS);
        NDArray cosine = pUnit.matMul(zUnit.transpose());
        NDArray distance = cosine.neg().add(1); // graph-safe: add saves no operand for backward (d(x + 1)/dx = 1)
        NDArray pairWeights = wp.reshape(-1, 1).mul(wz.reshape(1, -1));
        NDArray term = distance.mul(pairWeights).mean();
        closeAll(pUnit, zUnit, cosine, distance, pairWeights);
        return term;
    }

    /** (1/N) Σ_i w_i x̂_i for (N, d) rows x and (N) weights: a (d) vector. */
    private static NDArray weightedMeanOfUnitRows(NDArray x, NDArray w) {
        NDArray unit = x.normalize(2, 1, NORM_EPS);
        NDArray weighted = unit.mul(w.reshape(-1, 1));
        unit.close();
        NDArray mean = weighted.mean(new int[] {0});
        weighted.close();
        return mean;
    }

    /**
     * Eq. 11 over all classes: (1/C) Σ_c classTerm(P_c, wp, Z'_c, wz) with C = bank.numClasses(); a class missing
     * from p or from the bank adds 0.
     *
     * <p>With attention, wp = Eq. 8 of the class's prediction selector on P_c with the gradient stopped (the
     * selector learns the weights without moving the features through its input) and wz = Eq. 8 of the projection
     * selector on the bank's vectors; both selectors run in training mode. A side with a single vector has weight 1
     * whatever its score (Eq. 8), and BN cannot take batch statistics of one row, so there the selector runs in
     * inference mode, for the logged score only. Without attention every weight is 1.
     *
     * @param heads     the attention modules (selectors)
     * @param ps        parameter store for the selectors
     * @param p         student prediction vectors (N, dim), with gradient
     * @param classes   class (label or pseudo-label) of each row of p, all in 0..C-1
     * @param bank      the memory bank; its vectors enter as constants
     * @param attention whether the selectors weigh the pairs
     * @param manager   the step's manager: every array made here belongs to it
     */
    public static Result loss(ContrastiveHeads heads, ParameterStore ps, NDArray p, int[] classes, MemoryBank bank,
                              boolean attention, NDManager manager) {
        return loss(new BankSide(heads, ps, bank, attention, manager), p, classes);
    }

    /**
     * {@link #loss(ContrastiveHeads, ParameterStore, NDArray, int[], MemoryBank, boolean, NDManager)} with the
     * bank's side shared between the calls of a step ({@link BankSide}); the same values.
     */
    public static Result loss(BankSide side, NDArray p, int[] classes) {
        ContrastiveHeads heads = side.heads;
        ParameterStore ps = side.ps;
        MemoryBank bank = side.bank;
        boolean attention = side.attention;
        NDManager manager = side.manager;
        int numClasses = bank.numClasses();
        long rows = p.getShape().get(0);
        if (classes.length != rows) {
            throw new IllegalArgumentException(classes.length + " classes for " + rows + " prediction vectors");
        }
        if (p.getShape().get(1) != bank.dim()) {
            throw new IllegalArgumentException("prediction vectors have " + p.getShape().get(1)
                    + " dimensions, the bank " + bank.dim());
        }
        int[] counts = new int[numClasses];
        for (int c : classes) {
            if (c < 0 || c >= numClasses) {
                throw new IllegalArgumentException("class " + c + " outside 0.." + (numClasses - 1));
            }
            counts[c]++;
        }
        // one lookup puts the rows in class order (none when they already are), one split cuts them into the classes:
        // a gather per class would cost a full-size zero fill and an element-wise scatter each in backward
        NDArray grouped = inClassOrder(classes) ? p
                : BankUpdate.rows(manager, p, BankSelection.orderByClass(classes, numClasses));
        long[] starts = new long[numClasses - 1];
        long start = 0;
        for (int c = 0; c < numClasses - 1; c++) {
            start += counts[c];
            starts[c] = start;
        }
        // (one class: no cut; the list must not hold p itself, which the caller owns)
        NDList byClass = numClasses > 1 ? grouped.split(starts, 0) : new NDList(grouped.reshape(grouped.getShape()));

        List<NDArray> terms = new ArrayList<>();
        List<NDArray> predictionScoreSums = new ArrayList<>();
        List<NDArray> bankScoreSums = new ArrayList<>();
        long predictionRows = 0;
        long bankRows = 0;
        for (int c = 0; c < numClasses; c++) {
            if (counts[c] == 0 || bank.fill(c) == 0) {
                continue;
            }
            NDArray pc = byClass.get(c);
            side.ensure(c);
            NDArray wp;
            if (attention) {
                NDArray pcDetached = pc.stopGradient();
                NDArray sp = heads.predictionScore(ps, c, pcDetached, counts[c] > 1);
                wp = l1Normalise(sp);
                predictionScoreSums.add(sumWithoutGradient(sp));
                bankScoreSums.add(side.scoreSum[c]);
                predictionRows += counts[c];
                bankRows += bank.fill(c);
                closeAll(pcDetached, sp);
            } else {
                wp = manager.ones(new Shape(counts[c]));
            }
            terms.add(reducedClassTerm(pc, wp, side.zMean[c], side.wzMean[c]));
            wp.close();
        }
        // handles only: autograd keeps what backward needs
        byClass.close();
        if (grouped != p) {
            grouped.close();
        }

        NDArray loss;
        if (terms.isEmpty()) {
            loss = GraphSafe.scale(p.sum(), 0);
        } else {
            NDArray total = sumOf(terms);
            loss = GraphSafe.divide(total, numClasses);
            total.close();
        }
        loss.attach(manager);
        // the bank's score sums belong to the shared side: summed into a copy, never closed here
        List<NDArray> bankSums = new ArrayList<>();
        for (NDArray x : bankScoreSums) {
            bankSums.add(x.duplicate());
        }
        return new Result(loss, meanOf(predictionScoreSums, predictionRows, manager),
                meanOf(bankSums, bankRows, manager), terms.size());
    }

    /** Whether the classes never decrease from one row to the next. */
    private static boolean inClassOrder(int[] classes) {
        for (int i = 1; i < classes.length; i++) {
            if (classes[i] < classes[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private static NDArray meanOf(List<NDArray> sums, long count, NDManager manager) {
        if (sums.isEmpty()) {
            return manager.zeros(new Shape());
        }
        NDArray total = sumOf(sums);
        NDArray mean = total.div(count); // graph-safe: sums of detached scores (sumWithoutGradient), for the log
        total.close();
        return mean;
    }

    /** Sum of scalars; the inputs' handles are closed. */
    private static NDArray sumOf(List<NDArray> scalars) {
        NDArray total = scalars.get(0);
        for (int i = 1; i < scalars.size(); i++) {
            NDArray next = total.add(scalars.get(i));
            total.close();
            scalars.get(i).close();
            total = next;
        }
        return total;
    }

    private static NDArray sumWithoutGradient(NDArray x) {
        NDArray detached = x.stopGradient();
        NDArray sum = detached.sum();
        detached.close();
        return sum;
    }

    private static void closeAll(NDArray... arrays) {
        for (NDArray a : arrays) {
            a.close();
        }
    }
}
