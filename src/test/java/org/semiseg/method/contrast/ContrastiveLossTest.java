package org.semiseg.method.contrast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.semiseg.method.contrast.ContrastiveHeads;
import org.semiseg.model.ParameterNames;

class ContrastiveLossTest {

    private static final int DIM = 4;

    @Test
    void eq8WeightsAreScoresScaledToSumToN() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Eq. 8: N = 4, Σ s = 0.2 + 0.4 + 0.6 + 0.8 = 2, so w = 4 s / 2 = 2 s
            NDArray w = ContrastiveLoss.l1Normalise(m.create(new float[] {0.2f, 0.4f, 0.6f, 0.8f}));
            assertArrayEquals(new float[] {0.4f, 0.8f, 1.2f, 1.6f}, w.toFloatArray(), 1e-6f);
            // Eq. 8 for N = 1: the weight is 1 whatever the score
            assertArrayEquals(new float[] {1f},
                    ContrastiveLoss.l1Normalise(m.create(new float[] {0.03f})).toFloatArray(), 0f);
        }
    }

    @Test
    void eq9And10OnHandComputedPairs() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Eq. 9: C((1, 0), (1, 1)) = 1 / sqrt(2); Eq. 10: D = wp wz (1 - C) with wp = 0.5, wz = 2
            assertEquals(0.5 * 2 * (1 - 1 / Math.sqrt(2)), pair(m, 1, 0, 0.5f, 1, 1, 2f), 1e-6);
            // orthogonal: C = 0, D = wp wz
            assertEquals(0.75 * 2, pair(m, 3, 4, 0.75f, 4, -3, 2f), 1e-6);
            // opposite (lengths differ): C = -1, D = 2 wp wz
            assertEquals(2 * 1.5, pair(m, 1, 2, 1.5f, -2, -4, 1f), 1e-6);
            // same direction: C = 1, D = 0
            assertEquals(0, pair(m, 2, 1, 1f, 6, 3, 1f), 1e-6);
        }
    }

    private static double pair(NDManager m, float px, float py, float wp, float zx, float zy, float wz) {
        NDArray p = m.create(new float[] {px, py}, new Shape(1, 2));
        NDArray z = m.create(new float[] {zx, zy}, new Shape(1, 2));
        double factorised = ContrastiveLoss.classTerm(p, m.create(new float[] {wp}), z,
                m.create(new float[] {wz})).getFloat();
        double pairwise = ContrastiveLoss.classTermPairwise(p, m.create(new float[] {wp}), z,
                m.create(new float[] {wz})).getFloat();
        assertEquals(pairwise, factorised, 1e-6);
        return factorised;
    }

    @Test
    void eq11ClassTermOnHandComputedSet() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray p = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
            NDArray wp = m.create(new float[] {0.5f, 1.5f}); // sums to Np = 2 (Eq. 8)
            NDArray z = m.create(new float[] {1, 0, 1, 1, 0, -2}, new Shape(3, 2));
            NDArray wz = m.create(new float[] {1f, 1f, 1f});
            double r = 1 - 1 / Math.sqrt(2);
            // 1 - cos: p1 = (1, 0) against z: 0, r, 1; p2 = (0, 1): 1, r, 2
            double expected = (0.5 * (0 + r + 1) + 1.5 * (1 + r + 2)) / (2 * 3);
            assertEquals(expected, ContrastiveLoss.classTerm(p, wp, z, wz).getFloat(), 1e-6);
            assertEquals(expected, ContrastiveLoss.classTermPairwise(p, wp, z, wz).getFloat(), 1e-6);
        }
    }

    @Test
    void factorisedEqualsPairwiseOnRandomTensors() {
        Random random = new Random(3);
        try (NDManager m = NDManager.newBaseManager()) {
            for (int trial = 0; trial < 6; trial++) {
                int np = 1 + random.nextInt(12);
                int nz = 1 + random.nextInt(20);
                int d = 2 + random.nextInt(16);
                NDArray p = m.create(gaussian(random, np * d), new Shape(np, d));
                NDArray z = m.create(gaussian(random, nz * d), new Shape(nz, d));
                NDArray wp;
                NDArray wz;
                if (trial % 3 == 0) {
                    wp = m.ones(new Shape(np));
                    wz = m.ones(new Shape(nz));
                } else if (trial % 3 == 1) {
                    wp = ContrastiveLoss.l1Normalise(m.create(uniform(random, np)));
                    wz = ContrastiveLoss.l1Normalise(m.create(uniform(random, nz)));
                } else { // not normalised: the general form must still hold
                    wp = m.create(uniform(random, np)).mul(3);
                    wz = m.create(uniform(random, nz));
                }
                float a = ContrastiveLoss.classTerm(p, wp, z, wz).getFloat();
                float b = ContrastiveLoss.classTermPairwise(p, wp, z, wz).getFloat();
                assertEquals(b, a, 1e-5, "trial " + trial);
            }
        }
    }

    @Test
    void gradientReachesPredictionsAndSelectorsButNotTheBank() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = heads(m, 3);
            MemoryBank bank = new MemoryBank(3, 4, DIM);
            Random random = new Random(1);
            bank.push(0, gaussian(random, 3 * DIM), 3);
            bank.push(1, gaussian(random, 2 * DIM), 2);
            float[][] before = {bank.entries(0), bank.entries(1), bank.entries(2)};
            int[] classes = {0, 1, 0, 2, 1, 2};
            NDArray p = m.create(gaussian(random, 6 * DIM), new Shape(6, DIM));
            p.setRequiresGradient(true);
            Map<String, Parameter> params = ParameterNames.of(heads);
            try (NDManager step = m.newSubManager()) {
                ContrastiveLoss.Result result;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    result = ContrastiveLoss.loss(heads, new ParameterStore(step, false), p, classes, bank, true, step);
                    gc.backward(result.loss());
                }
                assertEquals(2, result.classesUsed());
                assertSame(step, result.loss().getManager());
                float[] g = p.getGradient().toFloatArray();
                for (int row = 0; row < 6; row++) {
                    double norm = 0;
                    for (int k = 0; k < DIM; k++) {
                        norm += Math.abs(g[row * DIM + k]);
                    }
                    // class 2 is not in the bank: its rows get nothing
                    if (classes[row] == 2) {
                        assertEquals(0, norm, 0);
                    } else {
                        assertTrue(norm > 0, "row " + row);
                    }
                }
                for (String name : new String[] {"pred_selectors.0.0.weight", "pred_selectors.1.3.bias",
                    "proj_selectors.0.0.weight", "proj_selectors.1.3.weight"}) {
                    assertTrue(gradientSum(params.get(name)) > 0, name);
                }
                // selectors of the class without bank entries, and the heads, take no part
                assertEquals(0, gradientSum(params.get("pred_selectors.2.0.weight")), 0);
                assertEquals(0, gradientSum(params.get("projection.0.weight")), 0);
            }
            for (int c = 0; c < 3; c++) {
                assertArrayEquals(before[c], bank.entries(c), 0f);
            }
            // the bank's arrays are constants: no gradient can be asked of them
            assertFalse(bank.entries(m, 0).hasGradient());
        }
    }

    @Test
    void attentionWeightsEachSideByEq8OfItsSelector() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = heads(m, 2);
            MemoryBank bank = new MemoryBank(2, 5, DIM);
            Random random = new Random(4);
            bank.push(0, gaussian(random, 5 * DIM), 5);
            bank.push(1, gaussian(random, 3 * DIM), 3);
            int[] classes = {1, 0, 0, 1, 0};
            NDArray p = m.create(gaussian(random, 5 * DIM), new Shape(5, DIM));
            ParameterStore ps = new ParameterStore(m, false);
            ContrastiveLoss.Result result = ContrastiveLoss.loss(heads, ps, p, classes, bank, true, m);

            double expected = 0;
            double predictionScores = 0;
            double bankScores = 0;
            int[][] rows = {{1, 2, 4}, {0, 3}};
            for (int c = 0; c < 2; c++) {
                NDArray pc = p.get(m.create(rows[c]));
                NDArray zc = bank.entries(m, c);
                NDArray sp = heads.predictionScore(ps, c, pc, true);
                NDArray sz = heads.projectionScore(ps, c, zc, true);
                predictionScores += sp.sum().getFloat();
                bankScores += sz.sum().getFloat();
                expected += ContrastiveLoss.classTermPairwise(pc, ContrastiveLoss.l1Normalise(sp), zc,
                        ContrastiveLoss.l1Normalise(sz)).getFloat();
            }
            assertEquals(expected / 2, result.loss().getFloat(), 1e-5);
            // plain weights would give another value: the selectors do weigh the pairs
            float plain = ContrastiveLoss.loss(heads, ps, p, classes, bank, false, m).loss().getFloat();
            assertTrue(Math.abs(plain - expected / 2) > 1e-4);
            assertEquals(predictionScores / 5, result.meanPredictionScore().getFloat(), 1e-5);
            assertEquals(bankScores / 8, result.meanBankScore().getFloat(), 1e-5);
        }
    }

    @Test
    void predictionsGetGradientOnlyThroughTheDistanceNotThroughTheirSelector() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = heads(m, 2);
            MemoryBank bank = new MemoryBank(2, 4, DIM);
            Random random = new Random(8);
            bank.push(0, gaussian(random, 4 * DIM), 4);
            bank.push(1, gaussian(random, 2 * DIM), 2);
            int[] classes = {0, 1, 1, 0, 0};
            float[] values = gaussian(random, 5 * DIM);
            ParameterStore ps = new ParameterStore(m, false);

            NDArray p = m.create(values, new Shape(5, DIM));
            p.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(ContrastiveLoss.loss(heads, ps, p, classes, bank, true, m).loss());
            }
            float[] actual = p.getGradient().toFloatArray();

            // the same loss with both sides' weights as constants
            NDArray q = m.create(values, new Shape(5, DIM));
            q.setRequiresGradient(true);
            int[][] rows = {{0, 3, 4}, {1, 2}};
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray total = m.zeros(new Shape());
                for (int c = 0; c < 2; c++) {
                    NDArray qc = q.get(m.create(rows[c]));
                    NDArray zc = bank.entries(m, c);
                    NDArray wp = ContrastiveLoss.l1Normalise(heads.predictionScore(ps, c, qc.stopGradient(), true));
                    NDArray wz = ContrastiveLoss.l1Normalise(heads.projectionScore(ps, c, zc, true));
                    total = total.add(ContrastiveLoss.classTerm(qc, wp.stopGradient(), zc, wz.stopGradient()));
                }
                gc.backward(total.div(2));
            }
            assertArrayEquals(q.getGradient().toFloatArray(), actual, 1e-6f);
        }
    }

    @Test
    void aBankSideSharedByTwoCallsGivesTheLossesAndGradientsOfSeparateCalls() {
        try (NDManager m = NDManager.newBaseManager()) {
            MemoryBank bank = new MemoryBank(3, 4, DIM);
            Random random = new Random(12);
            bank.push(0, gaussian(random, 4 * DIM), 4);
            bank.push(1, gaussian(random, 3 * DIM), 3);
            bank.push(2, gaussian(random, DIM), 1); // a lone bank vector: its selector runs in inference mode
            float[] first = gaussian(random, 6 * DIM);
            float[] second = gaussian(random, 4 * DIM);
            int[] firstClasses = {0, 1, 1, 0, 2, 0};
            int[] secondClasses = {1, 0, 1, 1};
            float[][] separate = null;
            for (boolean shared : new boolean[] {false, true}) {
                ContrastiveHeads heads = heads(m, 3); // same seed: the same initial weights for both runs
                ParameterStore ps = new ParameterStore(m, false);
                NDArray p = m.create(first, new Shape(6, DIM));
                NDArray q = m.create(second, new Shape(4, DIM));
                p.setRequiresGradient(true);
                q.setRequiresGradient(true);
                ContrastiveLoss.Result a;
                ContrastiveLoss.Result b;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    if (shared) {
                        ContrastiveLoss.BankSide side = new ContrastiveLoss.BankSide(heads, ps, bank, true, m);
                        a = ContrastiveLoss.loss(side, p, firstClasses);
                        b = ContrastiveLoss.loss(side, q, secondClasses);
                    } else {
                        a = ContrastiveLoss.loss(heads, ps, p, firstClasses, bank, true, m);
                        b = ContrastiveLoss.loss(heads, ps, q, secondClasses, bank, true, m);
                    }
                    gc.backward(a.loss().add(b.loss().mul(m.full(new Shape(), 2f))));
                }
                java.util.List<float[]> values = new java.util.ArrayList<>();
                values.add(new float[] {a.loss().getFloat(), b.loss().getFloat(), a.meanBankScore().getFloat(),
                        b.meanBankScore().getFloat(), a.meanPredictionScore().getFloat()});
                values.add(p.getGradient().toFloatArray());
                values.add(q.getGradient().toFloatArray());
                for (Parameter parameter : ParameterNames.of(heads).values()) {
                    if (parameter.requiresGradient()) {
                        values.add(parameter.getArray().getGradient().toFloatArray());
                    }
                }
                if (separate == null) {
                    separate = values.toArray(new float[0][]);
                } else {
                    assertEquals(separate.length, values.size());
                    assertArrayEquals(separate[0], values.get(0), 0f, "losses and logged scores");
                    for (int i = 1; i < separate.length; i++) {
                        assertArrayEquals(separate[i], values.get(i), 1e-6f, "gradient " + i);
                    }
                }
            }
        }
    }

    @Test
    void withoutAttentionTheLossIsThePlainMeanOfOneMinusCosineOverC() {
        try (NDManager m = NDManager.newBaseManager()) {
            MemoryBank bank = new MemoryBank(4, 3, 2);
            bank.push(0, new float[] {1, 0, 0, 1}, 2);
            bank.push(1, new float[] {-1, 0}, 1);
            bank.push(3, new float[] {5, 5}, 1); // no prediction of class 3
            // class 2 is predicted but has no bank entries
            int[] classes = {0, 1, 2, 0};
            NDArray p = m.create(new float[] {1, 0, 0, 2, 3, 3, 1, 1}, new Shape(4, 2));
            ContrastiveLoss.Result result = ContrastiveLoss.loss(heads(m, 4, 2), new ParameterStore(m, false), p,
                    classes, bank, false, m);
            double r = 1 / Math.sqrt(2);
            // class 0: p (1, 0), (1, 1) against z (0, 1) newest, (1, 0): 1 - cos = 1, 0, 1 - r, 1 - r
            double class0 = (1 + 0 + (1 - r) + (1 - r)) / 4;
            // class 1: p (0, 2) against (-1, 0): 1 - 0
            double class1 = 1;
            assertEquals((class0 + class1) / 4, result.loss().getFloat(), 1e-6);
            assertEquals(2, result.classesUsed());
            assertEquals(0, result.meanPredictionScore().getFloat(), 0);
            assertEquals(0, result.meanBankScore().getFloat(), 0);
        }
    }

    @Test
    void rowsInClassOrderWithAnEmptyClassGiveEq11AndItsGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            MemoryBank bank = new MemoryBank(4, 3, 2);
            bank.push(0, new float[] {1, 0, 0, 1}, 2);
            bank.push(1, new float[] {-1, 0}, 1); // in the bank, no prediction of class 1
            // sorted: class 0, 0, then 2 (no bank entries)
            int[] classes = {0, 0, 2};
            NDArray p = m.create(new float[] {1, 0, 1, 1, 3, 3}, new Shape(3, 2));
            p.setRequiresGradient(true);
            ContrastiveLoss.Result result;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                result = ContrastiveLoss.loss(heads(m, 4, 2), new ParameterStore(m, false), p, classes, bank, false, m);
                gc.backward(result.loss());
            }
            double r = 1 / Math.sqrt(2);
            // Eq. 11 with weights 1: class 0's p (1, 0), (1, 1) against z (0, 1), (1, 0), over C = 4
            assertEquals((1 + 0 + (1 - r) + (1 - r)) / 4 / 4, result.loss().getFloat(), 1e-6);
            assertEquals(1, result.classesUsed());
            float[] g = p.getGradient().toFloatArray();
            // d/dp of (1/16) Σ_z (1 - p̂·ẑ) for p = (1, 0): -(1/16)(I - p̂p̂ᵀ)/|p| Σ_z ẑ = -(1/16)(0, 1)
            assertEquals(0, g[0], 1e-6);
            assertEquals(-1.0 / 16, g[1], 1e-6);
            // class 2 has no bank entries: its row gets nothing
            assertEquals(0, g[4], 0);
            assertEquals(0, g[5], 0);
        }
    }

    @Test
    void rowsOutOfClassOrderAreRegroupedAndTheirGradientsReachTheRowsGiven() {
        try (NDManager m = NDManager.newBaseManager()) {
            MemoryBank bank = new MemoryBank(3, 2, 2);
            bank.push(1, new float[] {1, 0}, 1);
            bank.push(2, new float[] {0, 1}, 1);
            // class 0 absent; classes 2, 1, 2, 1
            int[] classes = {2, 1, 2, 1};
            NDArray p = m.create(new float[] {0, 1, 1, 0, 1, 1, 0, 2}, new Shape(4, 2));
            p.setRequiresGradient(true);
            ContrastiveLoss.Result result;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                result = ContrastiveLoss.loss(heads(m, 3, 2), new ParameterStore(m, false), p, classes, bank, false, m);
                gc.backward(result.loss());
            }
            double r = 1 / Math.sqrt(2);
            // Eq. 11, weights 1, C = 3: class 1: (1, 0) and (0, 2) against (1, 0): (0 + 1) / 2;
            // class 2: (0, 1) and (1, 1) against (0, 1): (0 + 1 - r) / 2
            assertEquals((0.5 + (1 - r) / 2) / 3, result.loss().getFloat(), 1e-6);
            assertEquals(2, result.classesUsed());
            // d/dp of (1/6)(1 - p̂·ẑ) = -(1/6)(I - p̂p̂ᵀ)ẑ/|p|, on each row where it was given
            float[] expected = {0, 0, 0, 0, (float) (r / 12), (float) (-r / 12), (float) (-1.0 / 12), 0};
            assertArrayEquals(expected, p.getGradient().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void noUsableClassGivesAConnectedZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = heads(m, 2);
            MemoryBank bank = new MemoryBank(2, 3, DIM);
            bank.push(1, gaussian(new Random(2), DIM), 1);
            NDArray p = m.create(gaussian(new Random(3), 3 * DIM), new Shape(3, DIM));
            p.setRequiresGradient(true);
            try (NDManager step = m.newSubManager()) {
                ContrastiveLoss.Result result;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    result = ContrastiveLoss.loss(heads, new ParameterStore(step, false), p, new int[] {0, 0, 0},
                            bank, true, step);
                    gc.backward(result.loss().add(p.sum()));
                }
                assertEquals(0, result.classesUsed());
                assertEquals(0, result.loss().getFloat(), 0);
                assertEquals(0, result.meanPredictionScore().getFloat(), 0);
                assertEquals(0, result.meanBankScore().getFloat(), 0);
                assertSame(step, result.loss().getManager());
                // only the added p.sum() contributes
                assertArrayEquals(ones(3 * DIM), p.getGradient().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void aSingleVectorOnEitherSideIsUsedWithWeightOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            ContrastiveHeads heads = heads(m, 2);
            MemoryBank bank = new MemoryBank(2, 3, DIM);
            Random random = new Random(6);
            bank.push(0, gaussian(random, DIM), 1);
            NDArray p = m.create(gaussian(random, DIM), new Shape(1, DIM));
            ParameterStore ps = new ParameterStore(m, false);
            ContrastiveLoss.Result withAttention = ContrastiveLoss.loss(heads, ps, p, new int[] {0}, bank, true, m);
            ContrastiveLoss.Result plain = ContrastiveLoss.loss(heads, ps, p, new int[] {0}, bank, false, m);
            assertEquals(1, withAttention.classesUsed());
            assertEquals(plain.loss().getFloat(), withAttention.loss().getFloat(), 1e-6);
            float score = withAttention.meanPredictionScore().getFloat();
            assertTrue(score > 0 && score < 1);
        }
    }

    private static ContrastiveHeads heads(NDManager m, int classes) {
        return heads(m, classes, DIM);
    }

    private static ContrastiveHeads heads(NDManager m, int classes, int dim) {
        Engine.getInstance().setRandomSeed(11);
        ContrastiveHeads heads = new ContrastiveHeads(3, dim, classes);
        heads.initialize(m, DataType.FLOAT32, new Shape(1, 3));
        return heads;
    }

    private static double gradientSum(Parameter parameter) {
        try (NDArray g = parameter.getArray().getGradient()) {
            return g.abs().sum().getFloat();
        }
    }

    private static float[] gaussian(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] uniform(Random random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.05f + random.nextFloat();
        }
        return v;
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
