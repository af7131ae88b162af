package org.semiseg.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.data.PseudoMasks;
import org.semiseg.train.TrainerTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code semiseg weak} end to end on a tiny demo (issue 21, parts 2-3): the pseudo-masks, their preview and report
 * (with their IoU against the true masks, before and after the CRF), cct training on them, and the one-line errors
 * when the tags, the pseudo-masks and the run do not fit together.
 */
class WeakCommandTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Console console = new Console();

    /** The demo of {@link TrainerTest#TINY}, 8 of its 16 training images labeled, the other 8 tagged. */
    private static final List<String> DATA = List.of("data.demo.train_images=16", "data.demo.val_images=4",
            "data.demo.size=32", "model.width=0.125", "data.labeled=1/2", "train.batch_size=2", "eval.batch_size=3");

    private int run(String command, Path out, String... sets) {
        console.reset();
        List<String> args = new ArrayList<>(List.of(command, "--out", out.toString()));
        List<String> all = new ArrayList<>(command.equals("train") ? TrainerTest.TINY : DATA);
        all.addAll(List.of(sets));
        for (String s : all) {
            args.add("--set");
            args.add(s);
        }
        return Main.execute(args.toArray(String[]::new));
    }

    @Test
    void pseudoMasksWithPreviewAndReportThenCctTrainsOnThem() throws IOException {
        Path weak = dir.resolve("weak");
        assertEquals(0, run("weak", weak, "data.weak=all", "weak.iterations=2", "weak.crf=2"), console.err());
        for (String f : List.of(PseudoMasks.INDEX, "preview.png", "weak.json", "masks/000007.png")) {
            assertTrue(Files.isRegularFile(weak.resolve(f)), f);
        }
        JsonNode report = new ObjectMapper().readTree(weak.resolve("weak.json").toFile());
        assertEquals(8, report.get("images").asInt());
        assertEquals("masks", report.get("tagsFrom").asText());
        assertTrue(report.get("truth").get("coverage").isNumber() && report.get("truthWithoutCrf").get("iou").has("disc"),
                report.toString());
        assertTrue(console.out().contains("against the true masks"), console.out());
        assertEquals(8, new ObjectMapper().readTree(weak.resolve(PseudoMasks.INDEX).toFile()).get("images").size());

        assertEquals(Main.EXIT_INPUT, run("weak", weak, "data.weak=all"));
        console.assertOneLineError(weak.toString(), "already holds pseudo-masks", "--force");

        Path runDir = dir.resolve("run");
        assertEquals(0, run("train", runDir, "method.name=cct", "method.cct.decoders={dropout: 2}", "data.weak=all",
                "data.pseudo_masks=" + weak), console.err());
        assertTrue(console.err().contains("8 unlabeled (8 with pseudo-masks)"), console.err());
        assertTrue(Files.readString(runDir.resolve("metrics.jsonl")).contains("\"loss_weak\""));

        // weak.init: a checkpoint of the same model starts the classifier; another model's is refused
        String best = "weak.init=" + runDir.resolve("checkpoints/best");
        assertEquals(0, run("weak", dir.resolve("w2"), "data.weak=all", "weak.iterations=1", "weak.crf=0", best), console.err());
        assertEquals(Main.EXIT_INPUT, run("weak", dir.resolve("w3"), "data.weak=all", "model.width=0.25", best));
        console.assertOneLineError("weak.init", "different model");
    }

    @Test
    void tagsPseudoMasksAndTheRunMustFit() throws IOException {
        assertEquals(Main.EXIT_INPUT, run("weak", dir.resolve("w0")));
        console.assertOneLineError("data.weak is not set", "--set data.weak=all");

        assertEquals(Main.EXIT_INPUT, run("weak", dir.resolve("w1"), "data.weak=all", "weak.background_class=sky"));
        console.assertOneLineError("weak.background_class", "'sky'");

        assertEquals(Main.EXIT_INPUT, run("train", dir.resolve("r1"), "method.name=cct", "data.weak=all"));
        console.assertOneLineError("data.pseudo_masks is not set", "semiseg weak");

        Path weak = dir.resolve("weak");
        assertEquals(0, run("weak", weak, "data.weak=3", "weak.iterations=1", "weak.crf=0"), console.err());
        assertEquals(Main.EXIT_INPUT, run("train", dir.resolve("r2"), "method.name=cct", "data.weak=all",
                "data.pseudo_masks=" + weak));
        console.assertOneLineError("data.pseudo_masks", "holds the pseudo-masks of 3 images, but this run tags 8");

        assertEquals(Main.EXIT_INPUT, run("train", dir.resolve("r3"), "method.name=cct", "data.pseudo_masks=" + weak));
        console.assertOneLineError("data.pseudo_masks is set but data.weak is not");
    }
}
