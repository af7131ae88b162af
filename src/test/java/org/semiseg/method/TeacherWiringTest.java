package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.semiseg.config.Config;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wiring of L_sup, L_pseudo and L_ent in the three teacher methods, on values computed by hand. With every weight
 * of the student at zero its logits are 0 everywhere: p = 1/C for every class, so (Alonso et al.)
 * <ul>
 *   <li>Eq. 4: L_sup = ln C;</li>
 *   <li>Eq. 5: the teacher (an EMA copy, also zero) labels every pixel with class 0 at confidence 1/C;</li>
 *   <li>Eq. 6: each view's term is (1/N) Σ β ln C with β = (1/C)^s, so λpseudo · (1/A) Σ_A (1/C)^s ln C =
 *       λpseudo (1/C)^s ln C (a missing 1/A would give A times that);</li>
 *   <li>Eq. 7: each pixel's entropy is ln C, so λent · ln C;</li>
 *   <li>the warm-up gate: no L_pseudo before iteration {@code method.warmup}.</li>
 * </ul>
 */
class TeacherWiringTest {
    private static final int C = MethodsTest.CLASSES;

    static MethodsTest.Rig zeroRig(Config config) {
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(3);
        SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, C));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, MethodsTest.H, MethodsTest.W));
        for (Parameter p : ParameterNames.of(net).values()) {
            p.getArray().set(new NDIndex("..."), 0f);
        }
        Method method = Methods.create(config);
        MethodSetup setup = new MethodSetup(config, net, manager, List.of("a", "b", "c"), 4, new long[] {50, 30, 20});
        method.initialize(setup);
        return new MethodsTest.Rig(config, method, setup, net, manager, new ParameterStore(manager, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mean-teacher", "classmix", "memory-bank"})
    void termsOfAZeroNetworkAreTheHandValues(String name) {
        String block = "method." + name;
        Config config = MethodsTest.config(name, "train.class_balancing=false", "method.warmup=1",
                "method.unlabeled_views=2", block + ".weights.sup=0.7", block + ".weights.pseudo=0.5",
                block + ".sharpen=2", "method.memory-bank.weights.ent=0.01", "method.memory-bank.weights.contr=0");
        double lnC = Math.log(C);
        try (MethodsTest.Rig rig = zeroRig(config)) {
            Map<String, Double> first = rig.step(0).values();
            assertEquals(0.7 * lnC, first.get("loss_sup"), 1e-5, "L_sup of uniform predictions");
            assertFalse(first.containsKey("loss_pseudo"), "no L_pseudo in the warm-up: " + first.keySet());
            Map<String, Double> second = rig.step(1).values();
            assertEquals(0.5 * Math.pow(1.0 / C, 2) * lnC, second.get("loss_pseudo"), 1e-6,
                    "lambda (1/A) sum over views of (1/C)^s ln C");
            if (name.equals("memory-bank")) {
                assertEquals(0.01 * lnC, first.get("loss_ent"), 1e-6, "L_ent from iteration 0");
                assertEquals(0.01 * lnC, second.get("loss_ent"), 1e-6);
            } else {
                assertTrue(second.containsKey("confident_share"));
            }
        }
    }

    /** Table 8's switches reach the method: attention off drops the attention weights; the student can fill the bank. */
    @org.junit.jupiter.api.Test
    void table8SwitchesChangeTheWeightsAndWhatFillsTheBank() {
        try (MethodsTest.Rig teacher = MethodsTest.Rig.of(MethodsTest.config("memory-bank"));
             MethodsTest.Rig student = MethodsTest.Rig.of(MethodsTest.config("memory-bank",
                     "method.memory-bank.bank.features=student"));
             MethodsTest.Rig noAttention = MethodsTest.Rig.of(MethodsTest.config("memory-bank",
                     "method.memory-bank.bank.attention=false"))) {
            Map<String, Double> withAttention = null;
            for (int it = 0; it < 3; it++) {
                Map<String, Double> values = teacher.step(it).values();
                withAttention = it == 0 ? values : withAttention;
                student.step(it);
            }
            Map<String, Double> logged = noAttention.step(0).values();
            assertTrue(logged.containsKey("loss_contr_labeled"), logged.keySet().toString());
            assertFalse(logged.containsKey("attention_pred"), "no attention weights with bank.attention=false");
            // the same network, batch and seeds: only the weights of Eq. 8 (and the bank's ranking) differ
            assertNotEquals(withAttention.get("loss_contr_labeled"), logged.get("loss_contr_labeled"), 1e-6,
                    "bank.attention=false reaches the loss");
            assertTrue(teacher.step(3).values().containsKey("attention_pred"));
            float[] fromTeacher = bankVectors(teacher);
            float[] fromStudent = bankVectors(student);
            assertEquals(fromTeacher.length, fromStudent.length);
            assertFalse(java.util.Arrays.equals(fromTeacher, fromStudent),
                    "after the teacher has moved away from the student, their banks differ");
        }
    }

    /**
     * Section 3.4's Feature Quality Filter inside the method's bank update, on the zero network: the teacher predicts
     * class 0 at every pixel (all logits tie; argmax takes the first) with confidence exactly 1/C = 1/3. With φ = 0.3
     * below that, only the labeled pixels of class 0 are correct and confident enough to enter the bank; with φ = 0.5
     * none is; with the filter off every labeled class enters.
     */
    @org.junit.jupiter.api.Test
    void theQualityFilterKeepsWhatTheTeacherPredictsRightAndConfidently() {
        String filter = "method.memory-bank.bank.quality_filter=";
        String phi = "method.memory-bank.bank.confidence=";
        int[] below = fillAfterOneStep(filter + "true", phi + "0.3");
        assertTrue(below[0] > 0, "class 0 is predicted right at 1/3 > 0.3");
        assertEquals(0, below[1], "class 1 is never predicted");
        assertEquals(0, below[2], "class 2 is never predicted");
        assertArrayEquals(new int[C], fillAfterOneStep(filter + "true", phi + "0.5"), "1/3 < 0.5: nothing enters");
        int[] off = fillAfterOneStep(filter + "false", phi + "0.5");
        for (int c = 0; c < C; c++) {
            assertTrue(off[c] > 0, "without the filter class " + c + " enters: " + java.util.Arrays.toString(off));
        }
    }

    private static int[] fillAfterOneStep(String... settings) {
        try (MethodsTest.Rig rig = zeroRig(MethodsTest.config("memory-bank", settings))) {
            rig.step(0);
            return stateArray(rig, org.semiseg.method.contrast.MemoryBank.FILL).toIntArray();
        }
    }

    private static float[] bankVectors(MethodsTest.Rig rig) {
        return stateArray(rig, org.semiseg.method.contrast.MemoryBank.VECTORS).toFloatArray();
    }

    /** The method's state array of that name. */
    private static ai.djl.ndarray.NDArray stateArray(MethodsTest.Rig rig, String name) {
        for (ai.djl.ndarray.NDArray a : rig.method().state()) {
            if (a.getName().equals(name)) {
                return a;
            }
        }
        throw new AssertionError("no " + name + " in the method's state");
    }
}
