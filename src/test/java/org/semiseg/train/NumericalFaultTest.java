package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.eval.EvalResult;
import org.semiseg.io.Checkpoints;
import org.semiseg.loss.WeightedCrossEntropy;
import org.semiseg.method.Method;
import org.semiseg.method.Methods;
import org.semiseg.method.Step;
import org.semiseg.method.StepResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-finite steps are skipped without a trace in the weights; too many in a row stop the run, last intact. */
class NumericalFaultTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        Methods.unregister("faulty");
    }

    /** Supervised, but on the iterations {@code nanAt} accepts the labeled images are multiplied by NaN. */
    private static Method poisoned(IntPredicate nanAt) {
        return new Method() {
            @Override
            public StepResult step(Step ctx) {
                NDArray x = ctx.labeled().images();
                if (nanAt.test(ctx.iteration())) {
                    // NaN in the input: the forward pass also moves the BN running statistics to NaN
                    x = x.mul(ctx.manager().full(new Shape(), Float.NaN));
                }
                NDArray logits = ctx.forward(x).get(0);
                return StepResult.of("sup", WeightedCrossEntropy.hard(logits, ctx.labeled().masks(), ctx.ignoreIndex(),
                        ctx.classWeight(), null));
            }
        };
    }

    /** The plain supervised loss of a step's labeled images, for methods that add a fault beside it. */
    private static NDArray supervisedLoss(Step ctx) {
        NDArray logits = ctx.forward(ctx.labeled().images()).get(0);
        return WeightedCrossEntropy.hard(logits, ctx.labeled().masks(), ctx.ignoreIndex(), ctx.classWeight(), null);
    }

    private Config config(String... extra) {
        List<String> overrides = new ArrayList<>(TrainerTest.TINY);
        overrides.add("method.name=faulty");
        overrides.add("train.checkpoint_every=2");
        overrides.add("train.fault_retries=0"); // poisoned steps fail every time; retries are tested on their own
        overrides.addAll(List.of(extra));
        return ConfigLoader.load(null, overrides);
    }

    private static EvalResult train(Config config, Path out, int stopAfter, ByteArrayOutputStream err) {
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(out), false, false)) {
            setup.commit();
            return new Trainer(setup, new PrintStream(err, true, StandardCharsets.UTF_8), done -> done == stopAfter).run();
        }
    }

    @Test
    void aPoisonedStepIsSkippedAndLeavesNoTrace() throws Exception {
        Methods.register("faulty", c -> poisoned(it -> it == 2));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path out = dir.resolve("run");
        EvalResult result = train(config(), out, -1, err);

        assertTrue(Double.isFinite(result.meanIou()));
        String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("iteration 3: loss_sup is NaN; inputs finite; step skipped"), warning);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        assertTrue(lines.stream().anyMatch(l -> l.path("iter").asInt() == 3 && l.path("skipped").asText().equals("loss_sup is NaN; inputs finite")));
        for (JsonNode l : lines) {
            if (l.has("loss")) {
                assertTrue(l.get("loss").isNumber(), "every logged loss after the skipped step is finite: " + l);
            }
        }
    }

    /**
     * A detached pass that goes non-finite without reaching a loss (U2PL's teacher: its entropy threshold γ_t is NaN,
     * every pixel then counts as reliable with pseudo-label 0 and L_u stays finite) is a fault too: the step's logged
     * scalars are checked with its losses.
     */
    @Test
    void aNonFiniteScalarBesideFiniteLossesIsAFault() throws Exception {
        Methods.register("faulty", c -> new Method() {
            @Override
            public StepResult step(Step ctx) {
                NDArray sup = supervisedLoss(ctx);
                float threshold = ctx.iteration() == 2 ? Float.NaN : 0.5f;
                return new StepResult(java.util.Map.of("sup", sup),
                        java.util.Map.of("entropy_threshold", ctx.manager().full(new Shape(), threshold)));
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        EvalResult result = train(config(), dir.resolve("run"), -1, err);

        assertTrue(Double.isFinite(result.meanIou()));
        String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("iteration 3: entropy_threshold is NaN; inputs finite; step skipped"), warning);
        assertEquals(1, warning.split("step skipped", -1).length - 1, warning);
    }

    /**
     * A method's check ({@link StepResult#checking}): one NaN pixel in a detached pass of (2, 3, 4, 4) logits that
     * reaches no loss (FixMatch's weak view: a NaN confidence fails τ and the pixel silently leaves L_u) fails the
     * step, named, and is not logged.
     */
    @Test
    void aCheckedPassWithOneNonFinitePixelIsAFault() throws Exception {
        Methods.register("faulty", c -> new Method() {
            @Override
            public StepResult step(Step ctx) {
                NDArray sup = supervisedLoss(ctx);
                float[] pass = new float[2 * 3 * 4 * 4];
                if (ctx.iteration() == 2) {
                    pass[37] = Float.NaN;
                }
                return StepResult.of("sup", sup).checking("weak_logits", ctx.manager().create(pass, new Shape(2, 3, 4, 4)));
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path out = dir.resolve("run");
        train(config(), out, -1, err);

        String warning = err.toString(StandardCharsets.UTF_8);
        assertTrue(warning.contains("iteration 3: weak_logits is NaN; inputs finite; step skipped"), warning);
        assertEquals(1, warning.split("step skipped", -1).length - 1, warning);
        assertTrue(Files.readAllLines(out.resolve("metrics.jsonl")).stream()
                .noneMatch(l -> l.contains("\"weak_logits\"")), "a check is not logged");
    }

    @Test
    void skippedStepsChangeNothingAndTooManyStopTheRun() throws Exception {
        // reference: the same run stopped after 2 good iterations
        Methods.register("faulty", c -> poisoned(it -> it >= 2));
        Path reference = dir.resolve("reference");
        Config config = config("train.iterations=20", "train.max_skipped_steps=3");
        assertThrows(Trainer.TrainingStopped.class, () -> train(config, reference, 2, new ByteArrayOutputStream()));

        Path out = dir.resolve("run");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Trainer.Diverged stop = assertThrows(Trainer.Diverged.class,
                () -> train(config, out, -1, err));
        assertTrue(stop.getMessage().contains("iteration 5") && stop.getMessage().contains("3 steps in a row")
                && stop.getMessage().contains("loss_sup is NaN"), stop.getMessage());
        // checkpoints written at 4 (after skipped steps 3 and 4) hold exactly the weights after iteration 2
        assertEquals(4, JSON.readTree(out.resolve("checkpoints/last/state.json").toFile()).get("iteration").asInt());
        assertEquals(Checkpoints.sha256(reference.resolve("checkpoints/last/model.safetensors")),
                Checkpoints.sha256(out.resolve("checkpoints/last/model.safetensors")));
        assertEquals(Checkpoints.sha256(reference.resolve("checkpoints/last/optimizer.safetensors")),
                Checkpoints.sha256(out.resolve("checkpoints/last/optimizer.safetensors")));
    }

    /**
     * A transient fault: the first computation of iteration 3 is poisoned, the second is not. The step is computed
     * again from the same state and seeds, the metrics note the retry, and the weights end bit-identical to those of
     * a run that never faulted.
     */
    @Test
    void aTransientFaultIsRetriedAndChangesNoNumber() throws Exception {
        int[] calls = {0};
        Methods.register("faulty", c -> poisoned(it -> it == 2 && calls[0]++ == 0));
        Path retried = dir.resolve("retried");
        train(config("train.fault_retries=2", "train.log_every=2"), retried, -1, new ByteArrayOutputStream());
        Methods.unregister("faulty");
        Methods.register("faulty", c -> poisoned(it -> false));
        Path clean = dir.resolve("clean");
        train(config("train.fault_retries=2", "train.log_every=2"), clean, -1, new ByteArrayOutputStream());
        assertEquals(1, calls[0] - 1, "iteration 3 was computed twice");
        List<String> lines = Files.readAllLines(retried.resolve("metrics.jsonl"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"iter\":3,") && l.contains("\"retried\":1")), lines.toString());
        assertTrue(lines.stream().noneMatch(l -> l.contains("skipped")));
        assertEquals(org.semiseg.io.Checkpoints.sha256(clean.resolve("checkpoints/last/model.safetensors")),
                org.semiseg.io.Checkpoints.sha256(retried.resolve("checkpoints/last/model.safetensors")));
    }
}
