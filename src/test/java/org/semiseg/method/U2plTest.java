package org.semiseg.method;

import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.semiseg.augment.AugmentPreset;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigException;
import org.semiseg.model.ParameterNames;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * U2PL (Wang et al., CVPR 2022) wired into the platform, on values computed by hand. With every weight of the student
 * at zero, its logits and decoder features are 0, and so are the representations (the head's biases start at 0 and
 * BN of a constant map is its shift, 0): p = 1/C everywhere, every entropy is ln C, every cosine 0. Hence
 * <ul>
 *   <li>Eq. 2: L_s = ln C; all entropies equal γ_t, so no pixel lies above it: all are reliable and L_u (times
 *       Eq. 8's weight, the mean over reliable pixels) = ln C;</li>
 *   <li>Eq. 3: each anchor's logits are all 0, so its term is ln(1 + K) with K negatives, and so is L_c.</li>
 * </ul>
 */
class U2plTest {
    private static final int C = MethodsTest.CLASSES;

    @Test
    void termsOfAZeroNetworkAreTheHandValues() {
        Config config = MethodsTest.config("u2pl", "train.class_balancing=false", "method.u2pl.weights.unsup=0.7",
                "method.u2pl.weights.contr=0.1", "method.u2pl.num_negatives=50");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(config)) {
            for (int it = 0; it < 2; it++) {
                Map<String, Double> v = rig.step(it).values();
                assertEquals(Math.log(C), v.get("loss_sup"), 1e-5);
                assertEquals(0.7 * Math.log(C), v.get("loss_unsup"), 1e-5);
                assertEquals(0.1 * Math.log(51), v.get("loss_contr"), 1e-5);
                assertEquals(1.0, v.get("reliable_share"), 0);
                assertEquals(Math.log(C), v.get("entropy_threshold"), 1e-5);
                assertEquals(0.2 * (1 - it / 100.0), v.get("alpha_t"), 1e-12, "alpha_0 (1 - t / T), T = 100");
                // C = 3 ranks every class in the top r_l = 3: each labeled pixel is a negative of the two classes it
                // is not labeled; the unlabeled window [3, 3) is empty
                assertEquals(C, v.get("contrast_classes"), 0);
                assertTrue(v.get("negatives_per_class") > 0);
                assertTrue(v.get("queue_fill_a") > 0 && v.get("queue_fill_b") > 0 && v.get("queue_fill_c") > 0);
            }
        }
    }

    /** L_c's gradient reaches the student and its representation head, never the EMA copies or the queue. */
    @Test
    void gradientsReachTheStudentAndTheHeadButNeverTheTeacherOrTheQueue() {
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("u2pl"))) {
            Map<String, Double> logged = rig.step(0).values();
            assertTrue(logged.get("loss_contr") > 0, logged.toString());
            assertTrue(MethodsTest.anyNonZeroGradient(ParameterNames.of(rig.student()).values()));
            for (Module m : rig.setup().modules()) {
                for (Parameter p : ParameterNames.of(m.block()).values()) {
                    assertTrue(m.trained() || !p.getArray().hasGradient(), m.name() + " (an EMA copy) has no gradient");
                }
                assertTrue(!m.trained() || MethodsTest.anyNonZeroGradient(ParameterNames.of(m.block()).values()),
                        m.name() + " gets gradients");
            }
            assertEquals(java.util.List.of("teacher", "representation", "teacher_representation"),
                    rig.setup().modules().stream().map(Module::name).toList());
            for (ai.djl.ndarray.NDArray a : rig.method().state()) {
                assertFalse(a.hasGradient(), a.getName() + " has no gradient");
            }
        }
    }

    /** λ_c = 0 switches L_c off (the ablation) without changing the other terms. */
    @Test
    void aZeroContrastiveWeightDropsTheTerm() {
        Config config = MethodsTest.config("u2pl", "train.class_balancing=false", "method.u2pl.weights.contr=0");
        try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(config)) {
            Map<String, Double> v = rig.step(0).values();
            assertFalse(v.containsKey("loss_contr"), v.keySet().toString());
            assertFalse(v.containsKey("queue_fill_a"));
            assertEquals(Math.log(C), v.get("loss_sup"), 1e-5);
            assertEquals(Math.log(C), v.get("loss_unsup"), 1e-5);
        }
    }

    /**
     * {@code negatives: reliable} takes the unlabeled negatives from the reliable pixels. With r_l = 1, r_h = 3 every
     * valid unlabeled pixel is a negative of the two classes it does not rank first; here every pixel is reliable,
     * so the reliable run adds 2 × (valid unlabeled pixels) / C negatives per class to what the paper's rule finds:
     * 2 images of 8 x 8 representation pixels, the last column padded, 2 × 112 / 3.
     */
    @Test
    void theNegativesKeyChoosesWhichUnlabeledPixelsMayBeNegatives() {
        double[] perClass = new double[3];
        String[] sources = {"unreliable", "reliable", "all"};
        for (int k = 0; k < 3; k++) {
            Config config = MethodsTest.config("u2pl", "method.u2pl.low_rank=1", "method.u2pl.high_rank=3",
                    "method.u2pl.negatives=" + sources[k]);
            try (MethodsTest.Rig rig = TeacherWiringTest.zeroRig(config)) {
                perClass[k] = rig.step(0).values().get("negatives_per_class");
            }
        }
        assertEquals(2 * 112 / 3.0, perClass[1] - perClass[0], 1e-9);
        assertEquals(perClass[1], perClass[2], 0, "every valid pixel is reliable here");
    }

    /** The teacher and the teacher's head move with τ = min(1 − 1/(t + 1), ema_decay) after the update of step t. */
    @Test
    void theTeachersDecayRampsToItsCap() {
        assertEquals(0, U2pl.decay(0, 0.99), 0, "after the first update the teacher is the student");
        assertEquals(0.5, U2pl.decay(1, 0.99), 1e-12);
        assertEquals(0.9, U2pl.decay(9, 0.99), 1e-12);
        assertEquals(0.99, U2pl.decay(99, 0.99), 1e-12);
        assertEquals(0.99, U2pl.decay(5000, 0.99), 0);
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(MethodsTest.config("u2pl", "method.u2pl.ema_decay=0.95"))) {
            int copies = 0;
            for (Module module : rig.setup().modules()) {
                if (!module.trained()) {
                    copies++;
                    assertEquals(0, module.decay().at(0, 100), 0, module.name());
                    assertEquals(0.75, module.decay().at(3, 100), 1e-12, module.name());
                    assertEquals(0.95, module.decay().at(99, 100), 1e-12, module.name());
                }
            }
            assertEquals(2, copies, "the network and its representation head");
            assertTrue(rig.setup().modules().stream().anyMatch(mod -> mod.name().equals("representation")
                    && mod.trained()));
        }
    }

    /**
     * The authors' supervised-only start (train_semi.py, sup_only_epoch): τ = 0 during the warm-up, then the ramp
     * min(1 − 1/(t − W + 1), cap) counted from its end; a warm-up step logs the supervised loss only.
     */
    @Test
    void warmUpTrainsOnLabelsAloneAndTheTeacherFollowsTheStudent() {
        assertEquals(0, U2pl.decay(0, 10, 0.99), 0);
        assertEquals(0, U2pl.decay(9, 10, 0.99), 0, "last warm-up update: the teacher is the student");
        assertEquals(0, U2pl.decay(10, 10, 0.99), 0, "first semi-supervised update: 1 - 1/1");
        assertEquals(0.5, U2pl.decay(11, 10, 0.99), 1e-12);
        assertEquals(0.99, U2pl.decay(10 + 99, 10, 0.99), 1e-12);
        // 100 iterations, method.warmup 10 (runs at least 5x the warm-up keep it)
        Config config = MethodsTest.config("u2pl", "method.warmup=10", "train.iterations=100");
        try (MethodsTest.Rig rig = MethodsTest.Rig.of(config)) {
            for (Module module : rig.setup().modules()) {
                if (!module.trained()) {
                    assertEquals(0, module.decay().at(9, 100), 0, module.name());
                    assertEquals(0.75, module.decay().at(13, 100), 1e-12, module.name());
                }
            }
            Map<String, Double> warm = rig.step(9).values();
            assertEquals(java.util.Set.of("loss_sup"), warm.keySet(), "nothing but the supervised loss is logged");
            Map<String, Double> after = rig.step(10).values();
            assertTrue(after.keySet().containsAll(java.util.Set.of("loss_sup", "loss_unsup", "loss_contr",
                    "reliable_share")), after.keySet().toString());
        }
    }

    @Test
    void presetsAndSettings() {
        Method.Inputs inputs = Methods.create(MethodsTest.config("u2pl")).inputs();
        assertTrue(inputs.unlabeled() && inputs.sharedGeometry());
        assertEquals(1, inputs.strongViews());
        assertEquals(AugmentPreset.UNIMATCH_WEAK.name(), inputs.labeledPreset());
        assertEquals(AugmentPreset.UNIMATCH_WEAK.name(), inputs.unlabeledPreset());
        String[][] bad = {{"method.u2pl.high_rank=3", "method.u2pl.high_rank"},
                {"method.u2pl.low_rank=0", "method.u2pl.low_rank"},
                {"method.u2pl.negatives=labeled", "method.u2pl.negatives"},
                {"method.u2pl.temperature=0", "method.u2pl.temperature"},
                {"method.u2pl.alpha0=1.5", "method.u2pl.alpha0"},
                {"method.u2pl.weights.contr=-1", "method.u2pl.weights.contr"},
                {"method.u2pl.queue_size=0", "method.u2pl.queue_size"},
                {"method.u2pl.dropout=1", "method.u2pl.dropout"}};
        for (String[] b : bad) {
            ConfigException e = assertThrows(ConfigException.class, () -> Methods.create(MethodsTest.config("u2pl", b[0])));
            assertTrue(e.getMessage().contains(b[1]), b[0] + ": " + e.getMessage());
        }
    }
}
