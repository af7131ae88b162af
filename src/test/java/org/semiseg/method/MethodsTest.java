package org.semiseg.method;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.HostBatch;
import org.semiseg.model.ModelSpec;
import org.semiseg.model.Models;
import org.semiseg.model.ParameterNames;
import org.semiseg.model.SegmentationNet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One step of every method in {@link Methods} on a small synthetic batch: a new method is tested without new code. */
class MethodsTest {
    static final int CLASSES = 3;
    static final int B = 2;
    static final int H = 32;
    static final int W = 32;
    static final int IGNORE = 255;

    static Stream<String> methods() {
        return StreamSupport.stream(Methods.names().spliterator(), false);
    }

    static Config config(String method, String... more) {
        List<String> overrides = new ArrayList<>(List.of("method.name=" + method, "method.warmup=0",
                "method.memory-bank.bank.quality_filter=false", "method.memory-bank.bank.size=8", "model.width=0.125",
                "model.output_stride=16", "train.class_balancing=true"));
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    /** A method with its student, set up as the trainer would. */
    record Rig(Config config, Method method, MethodSetup setup, SegmentationNet student, NDManager manager,
               ParameterStore ps) implements AutoCloseable {
        static Rig of(Config config) {
            NDManager manager = NDManager.newBaseManager();
            Engine.getInstance().setRandomSeed(3);
            SegmentationNet net = Models.build(new ModelSpec("deeplabv3plus", "resnet18", 16, 0.125, CLASSES));
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, H, W));
            Method method = Methods.create(config);
            MethodSetup setup = new MethodSetup(config, net, manager, List.of("a", "b", "c"), 4, new long[] {50, 30, 20});
            method.initialize(setup);
            return new Rig(config, method, setup, net, manager, new ParameterStore(manager, false));
        }

        Step context(NDManager step, int iteration) {
            SplittableRandom rng = new SplittableRandom(iteration);
            HostBatch labeled = batch(rng, true, 0);
            int views = method.inputs().unlabeled() ? method.inputs().strongViews() : 0;
            HostBatch unlabeled = views > 0 ? batch(rng, false, views) : null;
            Batch.Unlabeled u = null;
            if (unlabeled != null) {
                List<Batch.View> strong = new ArrayList<>();
                for (int v = 0; v < views; v++) {
                    strong.add(new Batch.View(step.create(unlabeled.strongViews()[v], new Shape(B, 3, H, W)),
                            org.semiseg.method.parts.ViewMap.identity(step, B, H, W)));
                }
                NDArray padded = step.create(unlabeled.masks(), new Shape(B, H, W)).eq(IGNORE);
                u = new Batch.Unlabeled(step.create(unlabeled.images(), new Shape(B, 3, H, W)), new Batch.Padding(padded),
                        strong);
            }
            Batch.Labeled l = new Batch.Labeled(step.create(labeled.images(), new Shape(B, 3, H, W)),
                    step.create(labeled.masks(), new Shape(B, H, W)).toType(DataType.INT64, false));
            return new Step(student, ps, step, new Batch(l, u, null), null, IGNORE, 1, iteration, 100);
        }

        StepResult step(int iteration) {
            try (NDManager step = manager.newSubManager()) {
                Step ctx = context(step, iteration);
                StepResult result;
                float total;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    result = method.step(ctx);
                    NDArray loss = result.total();
                    total = loss.getFloat();
                    collector.backward(loss);
                }
                assertTrue(Float.isFinite(total), "total loss " + total);
                for (Map.Entry<String, NDArray> term : result.losses().entrySet()) {
                    float v = term.getValue().getFloat();
                    assertTrue(Float.isFinite(v), term.getKey() + " = " + v);
                }
                for (Map.Entry<String, NDArray> s : result.scalars().entrySet()) {
                    assertTrue(Float.isFinite(s.getValue().getFloat()), s.getKey());
                }
                setup.moveEmaCopies(iteration, 100);
                method.afterUpdate(ctx);
                // keep the result's names and host values past the step's manager
                return new StepResult(Map.of(), Map.of(), merged(result));
            }
        }

        private static Map<String, Double> merged(StepResult r) {
            Map<String, Double> out = new java.util.LinkedHashMap<>(r.values());
            r.losses().forEach((k, v) -> out.put("loss_" + k, (double) v.getFloat()));
            r.scalars().forEach((k, v) -> out.put(k, (double) v.getFloat()));
            return out;
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    /** Random images; masks with a few class blocks; unlabeled padding masks with an ignored border. */
    static HostBatch batch(SplittableRandom rng, boolean labeled, int views) {
        float[] images = new float[B * 3 * H * W];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) rng.nextGaussian();
        }
        int[] masks = new int[B * H * W];
        for (int i = 0; i < masks.length; i++) {
            int x = i % W;
            int y = (i / W) % H;
            masks[i] = labeled ? (x < 12 ? 0 : y < 16 ? 1 : 2) : (x >= W - 4 ? IGNORE : 0);
        }
        if (labeled) {
            masks[5] = IGNORE;
        }
        float[][] strong = null;
        if (views > 0) {
            strong = new float[views][];
            for (int v = 0; v < views; v++) {
                strong[v] = images.clone();
                for (int i = 0; i < images.length; i++) {
                    strong[v][i] += (float) (0.1 * rng.nextGaussian());
                }
            }
        }
        String[] ids = new String[B];
        java.util.Arrays.fill(ids, "x");
        return new HostBatch(images, strong, masks, ids, B, H, W);
    }

    @ParameterizedTest
    @MethodSource("methods")
    void oneStepGivesFiniteLosses(String name) {
        try (Rig rig = Rig.of(config(name))) {
            Map<String, Double> logged = rig.step(0).values();
            assertTrue(logged.containsKey("loss_sup"), name + " logs its supervised term: " + logged.keySet());
            for (Map.Entry<String, Double> e : logged.entrySet()) {
                assertTrue(Double.isFinite(e.getValue()), e.getKey());
            }
            // a second step runs from the state the first left (teacher moved, bank filled)
            rig.step(1);
        }
    }

    @ParameterizedTest
    @MethodSource("methods")
    void stateRoundTripsThroughItsNames(String name) {
        try (Rig a = Rig.of(config(name)); Rig b = Rig.of(config(name, "seed=9"))) {
            a.step(0);
            Map<String, NDArray> saved = new java.util.HashMap<>();
            for (NDArray x : a.method().state()) {
                assertTrue(x.getName() != null && !x.getName().isEmpty(), "every state array is named");
                saved.put(x.getName(), x);
            }
            b.method().loadState(saved);
            for (NDArray x : b.method().state()) {
                assertEquals(saved.get(x.getName()), x, x.getName() + " restored");
            }
            assertEquals(a.setup().modules().stream().map(Module::name).toList(),
                    b.setup().modules().stream().map(Module::name).toList(), "the same modules are declared");
        }
    }

    @Test
    void everyMethodIsListedAndAnUnknownNameIsRefused() {
        List<String> names = methods().toList();
        assertTrue(names.containsAll(List.of("supervised", "mean-teacher", "classmix", "memory-bank")), names.toString());
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.semiseg.config.ConfigException.class,
                () -> Methods.create(config("nope")));
        assertTrue(e.getMessage().contains("method.name"), e.getMessage());
    }

    @Test
    void memoryBankGradientsReachStudentAndHeadsButNeverTheTeacherOrTheBank() {
        try (Rig rig = Rig.of(config("memory-bank"))) {
            MemoryBankMethod method = (MemoryBankMethod) rig.method();
            Map<String, Double> logged = rig.step(0).values();
            for (String term : List.of("loss_sup", "loss_pseudo", "loss_ent", "loss_contr_labeled", "loss_contr_unlabeled")) {
                assertTrue(logged.containsKey(term), term + " in " + logged.keySet());
            }
            assertTrue(logged.get("bank_fill_a") > 0, "the bank filled from the labeled images: " + logged);
            assertTrue(logged.containsKey("confident_share"));
            // the gradients of that step are still on the parameters (nothing zeroed them)
            assertTrue(anyNonZeroGradient(ParameterNames.of(rig.student()).values()), "the student gets gradients");
            for (Module m : rig.setup().modules()) {
                if (m.trained()) {
                    assertTrue(anyNonZeroGradient(ParameterNames.of(m.block()).values()), m.name() + " gets gradients");
                } else {
                    for (Parameter p : ParameterNames.of(m.block()).values()) {
                        assertFalse(p.getArray().hasGradient(), m.name() + " (an EMA copy) has no gradient");
                    }
                }
            }
            assertEquals(List.of("teacher", "heads", "teacher_heads"),
                    rig.setup().modules().stream().map(Module::name).toList());
            for (NDArray t : method.state()) {
                assertFalse(t.getName().startsWith("bank") && t.hasGradient(), "the bank has no gradient");
            }
        }
    }

    static boolean anyNonZeroGradient(Iterable<Parameter> params) {
        for (Parameter p : params) {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient()) {
                    if (g.abs().sum().getFloat() > 0) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
