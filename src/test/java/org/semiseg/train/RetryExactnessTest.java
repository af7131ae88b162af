package org.semiseg.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.io.Checkpoints;
import org.semiseg.method.Method;
import org.semiseg.method.MethodSetup;
import org.semiseg.method.Methods;
import org.semiseg.method.Step;
import org.semiseg.method.StepResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A step that faults after the method has done all its work (teacher passes, bank and queue updates, class counts,
 * BN statistics of every module) and is computed again must leave the run exactly where a run without the fault is:
 * the retry puts back everything the faulty attempt changed (README, Known issues). Checked for every method of the
 * list, the fault after the warm-up so that every term runs.
 */
class RetryExactnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRAPPER = "retry-probe";
    /** The iteration (0-based) whose first attempt faults. */
    private static final int FAULT_AT = 3;

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        Methods.unregister(WRAPPER);
    }

    static java.util.stream.Stream<String> methods() {
        return TrainerTest.methods();
    }

    /** {@code inner}, except that the first attempt at {@link #FAULT_AT} adds a NaN loss term after its whole step. */
    private static Method faultingOnce(Method inner, boolean fault) {
        int[] attempts = {0};
        return new Method() {
            @Override
            public Inputs inputs() {
                return inner.inputs();
            }

            @Override
            public void initialize(MethodSetup setup) {
                inner.initialize(setup);
            }

            @Override
            public StepResult step(Step step) {
                StepResult result = inner.step(step);
                if (!fault || step.iteration() != FAULT_AT || attempts[0]++ > 0) {
                    return result;
                }
                Map<String, NDArray> losses = new LinkedHashMap<>(result.losses());
                losses.put("fault", step.manager().full(new Shape(), Float.NaN));
                return new StepResult(losses, result.scalars(), result.values());
            }

            @Override
            public void afterUpdate(Step step) {
                inner.afterUpdate(step);
            }

            @Override
            public NDList state() {
                return inner.state();
            }

            @Override
            public void loadState(Map<String, NDArray> saved) {
                inner.loadState(saved);
            }
        };
    }

    private Path train(String method, boolean fault, String name) {
        List<String> overrides = new ArrayList<>(TrainerTest.TINY);
        overrides.addAll(List.of("method.warmup=2", "method.memory-bank.bank.quality_filter=false",
                "method.memory-bank.bank.size=16", "train.class_balancing=true", "train.fault_retries=1"));
        List<String> inner = new ArrayList<>(overrides);
        inner.add("method.name=" + method);
        Config innerConfig = ConfigLoader.load(null, inner);
        Methods.unregister(WRAPPER);
        Methods.register(WRAPPER, c -> faultingOnce(Methods.create(innerConfig), fault));
        overrides.add("method.name=" + WRAPPER);
        Config config = ConfigLoader.load(null, overrides);
        Path out = dir.resolve(name);
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(out), false, false)) {
            setup.commit();
            new Trainer(setup, new PrintStream(new ByteArrayOutputStream()), done -> false).run();
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void aRetriedStepChangesNoNumber(String method) throws Exception {
        Path clean = train(method, false, "clean");
        Path retried = train(method, true, "retried");
        List<String> retriedLines = Files.readAllLines(retried.resolve("metrics.jsonl"));
        assertTrue(retriedLines.stream().anyMatch(l -> l.contains("\"retried\":1")), "the fault was retried: "
                + retriedLines);
        assertEquals(lines(clean), lines(retried), "every logged number");
        for (String file : List.of("model.safetensors", "method.safetensors", "optimizer.safetensors")) {
            assertEquals(Checkpoints.sha256(clean.resolve("checkpoints/last/" + file)),
                    Checkpoints.sha256(retried.resolve("checkpoints/last/" + file)), file + " bit-identical");
        }
    }

    /** metrics.jsonl without timings and retry notes. */
    private static List<String> lines(Path run) throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode copy = (ObjectNode) JSON.readTree(line);
            copy.remove(List.of("data_ms", "compute_ms", "other_ms", "images_per_s", "retried"));
            if (copy.has("eval")) {
                ((ObjectNode) copy.get("eval")).remove("seconds");
            }
            if (copy.size() > 1) {   // a retry note alone becomes {"iter": N}
                out.add(copy.toString());
            }
        }
        return out;
    }
}
