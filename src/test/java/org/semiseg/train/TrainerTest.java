package org.semiseg.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.data.Sample;
import org.semiseg.eval.EvalResult;
import org.semiseg.io.Checkpoints;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo trains end to end; an interrupted and resumed run equals an uninterrupted one. */
public class TrainerTest {
    /** A few-second version of the demo. */
    public static final List<String> TINY = List.of("train.iterations=6", "train.batch_size=2", "train.log_every=1",
            "train.eval_every=3", "train.checkpoint_every=3", "data.demo.train_images=16", "data.demo.val_images=4",
            "data.demo.size=32", "model.width=0.125", "data.labeled=1/2");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static EvalResult train(Config config, Path out, boolean resume, int stopAfter) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        try (TrainSetup setup = TrainSetup.prepare(config, new RunDirectory(out), resume, false)) {
            setup.commit();
            return new Trainer(setup, quiet, done -> done == stopAfter).run();
        }
    }

    @Test
    void demoTrainsAndWritesTheRunDirectory() throws Exception {
        Config config = ConfigLoader.load(null, TINY);
        Path out = dir.resolve("run");
        EvalResult result = train(config, out, false, -1);
        assertTrue(result.meanIou() >= 0 && result.meanIou() <= 1);
        for (String f : List.of("config.yaml", "metrics.jsonl", "eval.json", "checkpoints/last/model.safetensors",
                "checkpoints/best/state.json")) {
            assertTrue(Files.exists(out.resolve(f)), f);
        }
        List<JsonNode> lines = metrics(out);
        JsonNode first = lines.get(0);
        for (String key : List.of("iter", "lr", "loss", "loss_sup", "data_ms", "compute_ms", "other_ms")) {
            assertTrue(first.has(key), "metrics line lacks " + key + ": " + first);
        }
        assertEquals(2, lines.stream().filter(l -> l.has("eval")).count(), "evaluations at 3 and at the end");
        assertEquals(config, ConfigLoader.loadResolved(out.resolve("config.yaml")));
    }

    static java.util.stream.Stream<String> methods() {
        return java.util.stream.StreamSupport.stream(org.semiseg.method.Methods.names().spliterator(), false);
    }

    /** Every method of the list (unlabeled terms on from iteration 2): modules, EMA copies and state resume exactly. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("methods")
    void interruptedAndResumedRunEqualsUninterruptedRun(String method) throws Exception {
        List<String> overrides = new ArrayList<>(TINY);
        overrides.addAll(List.of("method.name=" + method, "method.warmup=2",
                "method.memory-bank.bank.quality_filter=false", "method.memory-bank.bank.size=16"));
        Config config = ConfigLoader.load(null, overrides);
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        EvalResult expected = train(config, straight, false, -1);
        assertThrows(Trainer.TrainingStopped.class, () -> train(config, resumed, false, 4));
        EvalResult actual = train(config, resumed, true, -1);

        assertEquals(withoutTimings(metrics(straight)), withoutTimings(metrics(resumed)));
        assertEquals(expected.meanIou(), actual.meanIou());
        assertEquals(Checkpoints.sha256(straight.resolve("checkpoints/last/model.safetensors")),
                Checkpoints.sha256(resumed.resolve("checkpoints/last/model.safetensors")),
                "weights after the resumed run are bit-identical");
    }

    /**
     * The full method with a source domain: teacher, heads, memory bank and class counts go through the checkpoint,
     * so a resumed run equals an uninterrupted one; every term of Eq. 1 and the bank fill are logged.
     */
    @Test
    void memoryBankWithSourceDomainResumesExactlyAndLogsEveryTerm() throws Exception {
        List<String> overrides = new ArrayList<>(TINY);
        overrides.addAll(List.of("method.name=memory-bank", "method.warmup=2", "method.memory-bank.bank.quality_filter=false",
                "method.memory-bank.bank.size=16", "train.class_balancing=true", "data.source.dataset=demo"));
        Config config = ConfigLoader.load(null, overrides);
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        train(config, straight, false, -1);
        assertThrows(Trainer.TrainingStopped.class, () -> train(config, resumed, false, 4));
        train(config, resumed, true, -1);

        assertEquals(withoutTimings(metrics(straight)), withoutTimings(metrics(resumed)));
        for (String file : List.of("model.safetensors", "method.safetensors", "optimizer.safetensors")) {
            assertEquals(Checkpoints.sha256(straight.resolve("checkpoints/last/" + file)),
                    Checkpoints.sha256(resumed.resolve("checkpoints/last/" + file)), file + " bit-identical");
        }
        JsonNode last = metrics(straight).stream().filter(l -> l.has("loss") && l.get("iter").asInt() == 6)
                .findFirst().orElseThrow();
        for (String key : List.of("loss_sup", "loss_pseudo", "loss_ent", "loss_contr_labeled", "loss_contr_unlabeled",
                "attention_pred", "attention_bank", "confident_share", "bank_fill_background")) {
            assertTrue(last.has(key), "metrics line lacks " + key + ": " + last);
        }
        assertTrue(last.get("bank_fill_background").asDouble() > 0, "the bank holds background vectors: " + last);
        JsonNode first = metrics(straight).get(0);
        assertTrue(!first.has("loss_pseudo") && !first.has("loss_contr_labeled"),
                "no pseudo or contrastive term during the warm-up: " + first);
    }

    @Test
    void checkpointRoundTripGivesIdenticalPredictions() {
        Config config = ConfigLoader.load(null, TINY);
        Path out = dir.resolve("run");
        EvalResult trained = train(config, out, false, -1);
        try (TrainedModel a = TrainedModel.fromCheckpoint(out.resolve("checkpoints/last"), List.of());
             TrainedModel b = TrainedModel.fromCheckpoint(out.resolve("checkpoints/last"), List.of())) {
            assertEquals(trained.meanIou(), a.evaluate("val").meanIou(), "the final weights evaluate as during training");
            Sample image = a.split("val").get(0);
            assertArrayEquals(a.predict(image), b.predict(image));
        }
    }

    /** The lines of a run's metrics.jsonl, parsed. */
    static List<JsonNode> metricsOf(Path run) throws Exception {
        return metrics(run);
    }

    private static List<JsonNode> metrics(Path run) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            lines.add(JSON.readTree(line));
        }
        return lines;
    }

    private static List<String> withoutTimings(List<JsonNode> lines) {
        List<String> out = new ArrayList<>();
        for (JsonNode line : lines) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = line.deepCopy();
            copy.remove(List.of("data_ms", "compute_ms", "other_ms", "images_per_s"));
            if (copy.has("eval")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("eval")).remove("seconds");
            }
            out.add(copy.toString());
        }
        return out;
    }
}
