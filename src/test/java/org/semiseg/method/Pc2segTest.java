package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.config.ConfigLoader;
import org.semiseg.method.pc2seg.Gradients;
import org.semiseg.model.ParameterNames;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PC2Seg (Zhong et al., ICCV 2021) wired into the platform: L = L_sup + λ1 l^ce + λ2 l^cy (Sec. 3, L^unlabel). With
 * every weight of the student at zero its logits and decoder features are 0, and so is the projection (its bias starts
 * at 0): p = 1/C everywhere, so
 * <ul>
 *   <li>L_sup = ln C;</li>
 *   <li>l^cy: both views predict (1/C, ..., 1/C), cos = 1, l^cy = 0;</li>
 *   <li>l^ce: every cosine is 0, so each anchor's term is ln(1 + N);</li>
 *   <li>every pseudo-label is class 0, so every drawn negative is a false one: false_negative_share = 1;</li>
 *   <li>anchors: the rig's unlabeled images are padded in their last 4 of 32 columns, the last of the 8 x 8 feature
 *       columns by nearest neighbour: 56 valid pixels per image.</li>
 * </ul>
 */
class Pc2segTest {
    private static final int C = MethodsTest.CLASSES;

    @Test
    void termsOfAZeroNetworkAreTheHandValues() {
        for (String rule : List.of("uniform", "other_image", "debiased", "other_image_debiased")) {
            Config config = MethodsTest.config("pc2seg", "train.class_balancing=false", "method.pc2seg.negatives=" + rule,
                    "method.pc2seg.weights.contrast=0.3", "method.pc2seg.weights.consistency=2",
                    "method.pc2seg.num_negatives=20", "method.pc2seg.anchors_per_image=10");
            try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(config)) {
                Map<String, Double> v = rig.step(0).values();
                assertEquals(Math.log(C), v.get("loss_sup"), 1e-5, rule);
                assertEquals(0, v.get("loss_consistency"), 1e-6, rule);
                assertEquals(0.3 * Math.log(21), v.get("loss_contrast"), 1e-5, rule);
                assertEquals(1.0, v.get("false_negative_share"), 0, rule);
                assertEquals(20, v.get("contrast_anchors"), 0, rule + ": 10 of each image's 56 valid pixels");
            }
        }
        Config many = MethodsTest.config("pc2seg", "method.pc2seg.anchors_per_image=100");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(many)) {
            assertEquals(2 * 56, rig.step(0).values().get("contrast_anchors"), 0, "every valid feature pixel");
        }
    }

    /** A weight of 0 drops its term (and the contrast's logs); L_sup stays. */
    @Test
    void aZeroWeightDropsItsTerm() {
        Config config = MethodsTest.config("pc2seg", "method.pc2seg.weights.contrast=0",
                "method.pc2seg.weights.consistency=0");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(config)) {
            Map<String, Double> v = rig.step(0).values();
            assertEquals(List.of("loss_sup"), List.copyOf(v.keySet()));
        }
    }

    /**
     * Stop-gradient on the weak branch (Sec. 3: "gradient stops in the weakly augmented images"): after a step's
     * backward the weak images have no gradient, not even through BN's batch statistics, while the strong images, the
     * student and the projection have one.
     */
    @Test
    void noGradientReachesTheWeakBranch() {
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("pc2seg"));
             NDManager manager = rig.manager().newSubManager()) {
            Step step = rig.context(manager, 0);
            NDArray weak = step.unlabeled().weak();
            NDArray strong = step.unlabeled().strong().get(0).images();
            weak.setRequiresGradient(true);
            strong.setRequiresGradient(true);
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                StepResult r = rig.method().step(step);
                assertTrue(r.losses().get("contrast").getFloat() > 0);
                assertTrue(r.losses().get("consistency").getFloat() > 0);
                // the detached weak pass is checked for NaN by the step guard, as FixMatch's and UniMatch's
                assertEquals(List.of("weak_logits", "weak_features"), List.copyOf(r.checks().keySet()));
                c.backward(r.total());
            }
            assertEquals(0, Gradients.absSum(weak), 0, "the weak images");
            assertTrue(strong.getGradient().abs().sum().getFloat() > 0, "the strong images");
            assertTrue(MethodsTest.anyNonZeroGradient(ParameterNames.of(rig.student()).values()), "the student");
            assertEquals(List.of("projection"), rig.setup().modules().stream().map(Module::name).toList());
            Module projection = rig.setup().modules().get(0);
            assertTrue(projection.trained());
            assertTrue(MethodsTest.anyNonZeroGradient(ParameterNames.of(projection.block()).values()), "projection");
        }
    }

    /**
     * The draws come from the step's generator, a function of (seed, iteration): step 1 of a rig that ran step 0
     * first gives the bits of step 1 of a fresh rig (the network does not change in a rig; the engine's generator
     * does, so a draw from it would differ).
     */
    @Test
    void aStepsDrawsDependOnItsIterationOnly() {
        Config config = MethodsTest.config("pc2seg", "method.pc2seg.anchors_per_image=5");
        try (MethodsTest.Rig a = MethodsTest.Rig.of(config); MethodsTest.Rig b = MethodsTest.Rig.of(config)) {
            a.step(0);
            assertEquals(a.step(1).values(), b.step(1).values());
        }
    }

    @Test
    void presetsDefaultsAndSettings() {
        Method.Inputs inputs = Methods.create(MethodsTest.config("pc2seg")).inputs();
        assertTrue(inputs.unlabeled() && inputs.sharedGeometry());
        assertEquals(1, inputs.strongViews());
        assertEquals(AugmentPreset.UNIMATCH_WEAK.name(), inputs.labeledPreset());
        assertEquals(AugmentPreset.UNIMATCH_STRONG.name(), inputs.unlabeledPreset());
        Pc2seg.Settings s = ConfigLoader.readBlock(ConfigLoader.load(null, List.of()).method().block("pc2seg"),
                Pc2seg.Settings.class, "pc2seg");
        assertEquals(new Pc2seg.Settings(new Pc2seg.Weights(0.1, 1.0), 0.5, 50, 64, null, "other_image_debiased"), s);
        String[][] bad = {{"method.pc2seg.negatives=hard", "method.pc2seg.negatives"},
                {"method.pc2seg.temperature=0", "method.pc2seg.temperature"},
                {"method.pc2seg.num_negatives=0", "method.pc2seg.num_negatives"},
                {"method.pc2seg.anchors_per_image=0", "method.pc2seg.anchors_per_image"},
                {"method.pc2seg.dim=0", "method.pc2seg.dim"},
                {"method.pc2seg.weights.contrast=-1", "method.pc2seg.weights.contrast"},
                {"method.pc2seg.weights.consistency=-0.5", "method.pc2seg.weights.consistency"}};
        for (String[] b : bad) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> Methods.create(MethodsTest.config("pc2seg", b[0])));
            assertTrue(e.getMessage().contains(b[1]) && !e.getMessage().contains("\n"), b[0] + ": " + e.getMessage());
        }
    }
}
