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

    @Test
    void interruptedAndResumedRunEqualsUninterruptedRun() throws Exception {
        Config config = ConfigLoader.load(null, TINY);
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
