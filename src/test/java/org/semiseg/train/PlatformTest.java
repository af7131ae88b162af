package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.io.Checkpoints;
import org.semiseg.loss.GraphSafe;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.Method;
import org.semiseg.method.MethodSetup;
import org.semiseg.method.Methods;
import org.semiseg.method.Step;
import org.semiseg.method.StepResult;
import org.semiseg.model.ConvBnRelu;
import org.semiseg.model.ParameterNames;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A method with a module of its own, written as a user would (one class, one register call): the trainer trains it,
 * saves and restores it, and puts its BN statistics back on a skipped step.
 */
class PlatformTest {
    @TempDir
    Path dir;

    /** Supervised plus an auxiliary head (conv-BN-ReLU then the student's classifier) on the decoder features. */
    static final class ToyMethod implements Method {
        private final int poisonAt;
        private final boolean evaluateFrozenCopy;
        private ConvBnRelu head;
        /** The head's BN running mean when the poisoned step starts (first try) and when the next one starts. */
        private float[] meanBeforePoison;
        private float[] meanAfterPoison;

        ToyMethod(int poisonAt) {
            this(poisonAt, false);
        }

        ToyMethod(int poisonAt, boolean evaluateFrozenCopy) {
            this.poisonAt = poisonAt;
            this.evaluateFrozenCopy = evaluateFrozenCopy;
        }

        @Override
        public void initialize(MethodSetup setup) {
            int f = setup.student().featureChannels();
            ConvBnRelu block = new ConvBnRelu(f, f, 1, 1);
            block.initialize(setup.manager(), DataType.FLOAT32, new Shape(1, f, 8, 8));
            head = setup.trained("aux", block, 10);
            if (evaluateFrozenCopy) { // τ = 1: the copy keeps the student's initial weights for good
                setup.evaluate(org.semiseg.method.parts.Teachers.emaOfStudent(setup, (iteration, iterations) -> 1.0));
            }
        }

        private float[] headMean() {
            return ParameterNames.of(head).entrySet().stream().filter(e -> e.getKey().endsWith("running_mean"))
                    .findFirst().orElseThrow().getValue().getArray().toFloatArray();
        }

        @Override
        public StepResult step(Step step) {
            if (step.iteration() == poisonAt && meanBeforePoison == null) {
                meanBeforePoison = headMean();
            } else if (step.iteration() == poisonAt + 1) {
                meanAfterPoison = headMean();
            }
            NDArray x = step.labeled().images();
            NDArray y = step.labeled().masks();
            var out = step.forward(x);
            NDArray features = out.get(1);
            if (step.iteration() == poisonAt) { // NaN reaches the head's BN statistics, then the loss
                features = features.mul(step.manager().full(new Shape(), Float.NaN));
            }
            NDArray aux = head.apply(step.parameters(), features, true);
            NDArray auxLogits = step.student().classify(step.parameters(), aux, true);
            NDArray up = org.semiseg.model.Interpolation.bilinear(auxLogits, x.getShape().get(2), x.getShape().get(3));
            return new StepResult(Map.of(
                    "sup", WeightedCrossEntropy.hard(out.get(0), y, step.ignoreIndex(), null, null),
                    "aux", GraphSafe.scale(WeightedCrossEntropy.hard(up, y, step.ignoreIndex(), null, null), 0.4)),
                    Map.of());
        }
    }

    @AfterEach
    void forget() {
        Methods.unregister("toy");
    }

    private static Config config(String... more) {
        List<String> overrides = new ArrayList<>(TrainerTest.TINY);
        overrides.add("method.name=toy");
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    private static void train(Config config, Path out, boolean resume, int stopAfter) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(out), resume, false)) {
            setup.commit();
            new Trainer(setup, quiet, done -> done == stopAfter).run();
        }
    }

    @Test
    void aMethodsOwnModuleIsTrainedCheckpointedAndResumedExactly() throws Exception {
        Methods.register("toy", config -> new ToyMethod(-1));
        Config config = config();
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        train(config, straight, false, -1);
        org.junit.jupiter.api.Assertions.assertThrows(Trainer.TrainingStopped.class,
                () -> train(config, resumed, false, 4));
        train(config, resumed, true, -1);
        assertEquals(Checkpoints.sha256(straight.resolve("checkpoints/last/method.safetensors")),
                Checkpoints.sha256(resumed.resolve("checkpoints/last/method.safetensors")),
                "the module's arrays after the resumed run are bit-identical");
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            Checkpoints.Loaded last = Checkpoints.load(straight.resolve("checkpoints/last"), m);
            assertTrue(last.method().containsKey("aux.conv.weight"), last.method().keySet().toString());
            assertTrue(last.method().containsKey("aux.bn.running_mean"), "BN statistics are saved too");
            assertTrue(last.optimizer().keySet().stream().anyMatch(k -> k.contains("aux.conv.weight")),
                    "the optimizer keeps momentum for the module: " + last.optimizer().keySet());
        }
    }

    @Test
    void aSkippedStepPutsTheModulesBnStatisticsBack() {
        ToyMethod toy = new ToyMethod(2);
        Methods.register("toy", config -> toy);
        Config config = config("train.eval_every=0");
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(dir.resolve("run")), false, false)) {
            setup.commit();
            new Trainer(setup, new PrintStream(new ByteArrayOutputStream()), done -> false).run();
            Map<String, Parameter> named = setup.guardedParameters();
            NDArray mean = named.get("aux.bn.running_mean").getArray();
            NDArray var = named.get("aux.bn.running_var").getArray();
            // without the restore, the poisoned step's NaN would stay in the running statistics for good
            assertFalse(mean.isNaN().any().getBoolean(), "running mean finite: " + mean);
            assertFalse(var.isNaN().any().getBoolean(), "running var finite");
            // the skipped step leaves them exactly as they were before it (and the steps around it do move them)
            assertArrayEquals(toy.meanBeforePoison, toy.meanAfterPoison, 0f, "the skipped step's statistics are undone");
            assertFalse(java.util.Arrays.equals(toy.meanAfterPoison, mean.toFloatArray()), "later steps move them");
        }
    }

    /**
     * MethodSetup.evaluate: validation evaluates the network the method names. The toy names a copy of the student
     * frozen at its initial weights, so runs of 3 and 6 iterations give the same confusion matrix; evaluating the
     * student (the default), they do not.
     */
    @Test
    void validationEvaluatesTheNetworkTheMethodNames() {
        long[][] frozen3 = finalConfusion(true, 3);
        long[][] frozen6 = finalConfusion(true, 6);
        org.junit.jupiter.api.Assertions.assertArrayEquals(frozen3, frozen6, "the frozen copy never moves");
        long[][] student3 = finalConfusion(false, 3);
        long[][] student6 = finalConfusion(false, 6);
        assertFalse(java.util.Arrays.deepEquals(student3, student6), "the student does move (the control)");
        assertFalse(java.util.Arrays.deepEquals(frozen6, student6), "and the two are different networks");
    }

    private long[][] finalConfusion(boolean frozen, int iterations) {
        Methods.unregister("toy");
        Methods.register("toy", config -> new ToyMethod(-1, frozen));
        Config config = config("train.iterations=" + iterations, "train.eval_every=0", "train.lr=0.05");
        Path out = dir.resolve((frozen ? "frozen-" : "student-") + iterations);
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(out), false, false)) {
            setup.commit();
            return new Trainer(setup, new PrintStream(new ByteArrayOutputStream()), done -> false).run()
                    .confusionMatrix().toArray();
        }
    }
}
