package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.method.parts.CutMix;
import org.semiseg.method.parts.Mix;
import org.semiseg.method.parts.PseudoLabels;
import org.semiseg.model.Features;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FixMatch and UniMatch (Yang et al., CVPR 2023) on values computed by hand. With every weight of the student at 0
 * the logits are 0: p = 1/C everywhere, every pseudo-label has confidence 1/C, and every kept pixel's cross-entropy is
 * ln C, so each masked term is ln C when τ ≤ 1/C and 0 above; Dropout2d of zero features is zero again.
 */
class UniMatchTest {
    private static final int C = MethodsTest.CLASSES;
    private static final double LN_C = Math.log(C);

    /** UniMatch's L = (L_sup + λ (L_s1 + L_s2) / 2 + μ L_fp) / 2 (Sec. 3.3; {@code unimatch.py}: λ = μ = 0.5). */
    @Test
    void uniMatchWeighsItsFourTerms() {
        Config low = MethodsTest.config("unimatch", "train.class_balancing=false", "method.unimatch.threshold=0.3",
                "method.unimatch.weights.strong=0.6", "method.unimatch.weights.fp=0.2");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(low)) {
            Map<String, Double> v = rig.step(0).values();
            assertEquals(0.5 * LN_C, v.get("loss_sup"), 1e-5);
            assertEquals(0.5 * 0.6 / 2 * LN_C, v.get("loss_s1"), 1e-5);
            assertEquals(0.5 * 0.6 / 2 * LN_C, v.get("loss_s2"), 1e-5);
            assertEquals(0.5 * 0.2 * LN_C, v.get("loss_fp"), 1e-5);
            assertEquals(1.0, v.get("mask_ratio"), 0, "confidence 1/3 >= tau 0.3 on every non-padded pixel");
        }
        Config high = MethodsTest.config("unimatch", "train.class_balancing=false");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(high)) {
            Map<String, Double> v = rig.step(0).values();
            assertEquals(0.5 * LN_C, v.get("loss_sup"), 1e-5);
            for (String term : new String[] {"loss_s1", "loss_s2", "loss_fp"}) {
                assertEquals(0, v.get(term), 0, term + ": no pseudo-label reaches tau 0.95");
            }
            assertEquals(0, v.get("mask_ratio"), 0);
        }
    }

    /**
     * A zero weight switches its stream off, BN statistics included: with weights.fp 0 the dropout rate changes
     * nothing (decoded beside the clean rows, the dropped copies moved the decoder's batch statistics and so L_sup and
     * the pseudo-labels), and with weights.strong 0 there is no strong term.
     */
    @Test
    void aZeroWeightSwitchesItsStreamOff() {
        Map<String, Double> dropped;
        Map<String, Double> kept;
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("unimatch", "method.unimatch.weights.fp=0",
                "method.unimatch.dropout=0.5", "method.unimatch.threshold=0.3"))) {
            dropped = rig.step(0).values();
        }
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("unimatch", "method.unimatch.weights.fp=0",
                "method.unimatch.dropout=0.0", "method.unimatch.threshold=0.3"))) {
            kept = rig.step(0).values();
        }
        assertEquals(kept.get("loss_sup"), dropped.get("loss_sup"), 0);
        assertFalse(dropped.containsKey("loss_fp"), dropped.toString());
        assertEquals(kept.get("loss_s1"), dropped.get("loss_s1"), 0);
        assertEquals(kept.get("mask_ratio"), dropped.get("mask_ratio"), 0);
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("unimatch", "method.unimatch.weights.strong=0"))) {
            Map<String, Double> v = rig.step(0).values();
            assertFalse(v.containsKey("loss_s1") || v.containsKey("loss_s2"), v.toString());
            assertTrue(v.containsKey("loss_fp"), v.toString());
        }
    }

    /** FixMatch as UniMatch's code runs it: L = (L_sup + L_u) / 2. */
    @Test
    void fixMatchAveragesItsTwoTerms() {
        Config config = MethodsTest.config("fixmatch", "train.class_balancing=false", "method.fixmatch.threshold=0.2");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(config)) {
            Map<String, Double> v = rig.step(0).values();
            assertEquals(0.5 * LN_C, v.get("loss_sup"), 1e-5);
            assertEquals(0.5 * LN_C, v.get("loss_u"), 1e-5);
            assertEquals(1.0, v.get("mask_ratio"), 0);
        }
    }

    /**
     * The feature stream (Sec. 3.2): the first n rows are the features untouched; the perturbed rows are each channel
     * either zeroed or scaled by 1 / (1 - p), with both outcomes present.
     */
    @Test
    void featureDropoutTouchesThePerturbedRowsOnly() {
        for (double p : new double[] {0.5, 0.2}) {
            Config config = MethodsTest.config("unimatch", "method.unimatch.dropout=" + p);
            UniMatch method = (UniMatch) Methods.create(config);
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(11);
                NDArray low = m.randomUniform(1f, 2f, new Shape(2, 16, 4, 4));
                NDArray high = m.randomUniform(1f, 2f, new Shape(2, 24, 2, 2));
                Features out = method.withPerturbed(new Features(low, 4, high, 16), new ParameterStore(m, false), true);
                for (NDArray[] level : new NDArray[][] {{low, out.lowLevel()}, {high, out.highLevel()}}) {
                    NDArray in = level[0];
                    NDArray stacked = level[1];
                    assertEquals(in.getShape().get(0) * 2, stacked.getShape().get(0));
                    assertEquals(in, stacked.get(":2"), "the clean rows are the features themselves");
                    float[] x = in.toFloatArray();
                    float[] y = stacked.get("2:").toFloatArray();
                    int plane = (int) (in.getShape().get(2) * in.getShape().get(3));
                    int zeroed = 0;
                    int kept = 0;
                    for (int ch = 0; ch < x.length / plane; ch++) {
                        boolean isZero = y[ch * plane] == 0;
                        for (int k = ch * plane; k < (ch + 1) * plane; k++) {
                            double expected = isZero ? 0 : x[k] / (1 - p);
                            assertEquals(expected, y[k], 1e-5, "channel " + ch + " is dropped or scaled as a whole");
                        }
                        zeroed += isZero ? 1 : 0;
                        kept += isZero ? 0 : 1;
                    }
                    assertTrue(zeroed > 0 && kept > 0, "p " + p + ": " + zeroed + " dropped, " + kept + " kept");
                }
            }
        }
    }

    /** A decoder without the low level (deeplabv2, pspnet): only the high level is stacked with its dropped copy. */
    @Test
    void lowLevelPassesThroughWhereTheDecoderDoesNotReadIt() {
        Config config = MethodsTest.config("unimatch");
        UniMatch method = (UniMatch) Methods.create(config);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray low = m.randomUniform(1f, 2f, new Shape(2, 16, 4, 4));
            NDArray high = m.randomUniform(1f, 2f, new Shape(2, 24, 2, 2));
            Features out = method.withPerturbed(new Features(low, 4, high, 16), new ParameterStore(m, false), false);
            assertSame(low, out.lowLevel());
            assertEquals(new Shape(4, 24, 2, 2), out.highLevel().getShape());
            assertEquals(high, out.highLevel().get(":2"));
        }
    }

    /** CutMix carries the pseudo-labels and confidences with the images: every pixel of all three from one item. */
    @Test
    void cutMixCarriesPseudoLabelsAndConfidences() {
        int n = 4;
        int h = 9;
        int w = 12;
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray images = m.randomUniform(0f, 1f, new Shape(n, 3, h, w));
            NDArray labels = m.randomInteger(0, 5, new Shape(n, h, w), DataType.INT64);
            NDArray confidence = m.randomUniform(0f, 1f, new Shape(n, h, w));
            Mix mix = CutMix.choose(m, n, h, w, 1.0, CutMix.Box.UNIMATCH, new SplittableRandom(3));
            float[] mixedImages = mix.apply(images).toFloatArray();
            PseudoLabels mixed = new PseudoLabels(labels, confidence).mix(mix);
            long[] mixedLabels = mixed.labels().toLongArray();
            float[] mixedConfidence = mixed.confidence().toFloatArray();
            float[] mask = mix.mask().toFloatArray();
            float[] img = images.toFloatArray();
            long[] lab = labels.toLongArray();
            float[] conf = confidence.toFloatArray();
            int plane = h * w;
            int pasted = 0;
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < plane; p++) {
                    int from = mask[i * plane + p] == 1 ? (i + 1) % n : i;
                    pasted += from != i ? 1 : 0;
                    assertEquals(lab[from * plane + p], mixedLabels[i * plane + p]);
                    assertEquals(conf[from * plane + p], mixedConfidence[i * plane + p]);
                    for (int c = 0; c < 3; c++) {
                        assertEquals(img[(from * 3 + c) * plane + p], mixedImages[(i * 3 + c) * plane + p]);
                    }
                }
            }
            assertTrue(pasted > 0, "probability 1 pastes a box");
        }
    }

    /** Both methods take UniMatch's presets unless augment.* names one; bad settings name their key. */
    @Test
    void presetsAndSettings() {
        Method.Inputs inputs = Methods.create(MethodsTest.config("unimatch")).inputs();
        Config defaults = MethodsTest.config("unimatch");
        assertEquals(AugmentPreset.UNIMATCH_WEAK, inputs.labeledAugment(defaults.augment()));
        assertEquals(AugmentPreset.UNIMATCH_STRONG, inputs.unlabeledAugment(defaults.augment()));
        assertTrue(inputs.sharedGeometry(), "the strong views are photometric changes of the weak view");
        assertEquals(2, inputs.strongViews());
        Config chosen = MethodsTest.config("unimatch", "augment.unlabeled=strong");
        assertEquals(AugmentPreset.STRONG, inputs.unlabeledAugment(chosen.augment()));
        assertEquals(AugmentPreset.STRONG, Methods.create(MethodsTest.config("classmix")).inputs()
                .unlabeledAugment(defaults.augment()), "Alonso et al.'s methods keep Table 1");
        assertFalse(Methods.create(MethodsTest.config("fixmatch")).inputs().strongViews() != 1);
        ConfigException e = assertThrows(ConfigException.class,
                () -> Methods.create(MethodsTest.config("unimatch", "method.unimatch.dropout=1")));
        assertTrue(e.getMessage().contains("method.unimatch.dropout"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> Methods.create(MethodsTest.config("fixmatch", "method.fixmatch.threshold=1.5")));
        assertTrue(e.getMessage().contains("method.fixmatch.threshold"), e.getMessage());
        // balance_unlabeled takes L_sup's α: refused without class balancing, accepted with it
        for (String name : new String[] {"fixmatch", "unimatch"}) {
            e = assertThrows(ConfigException.class, () -> Methods.create(MethodsTest.config(name,
                    "train.class_balancing=false", "method." + name + ".balance_unlabeled=true")));
            assertTrue(e.getMessage().contains("method." + name + ".balance_unlabeled")
                    && e.getMessage().contains("train.class_balancing"), e.getMessage());
            Methods.create(MethodsTest.config(name, "train.class_balancing=true", "method." + name + ".balance_unlabeled=true"));
        }
    }
}
