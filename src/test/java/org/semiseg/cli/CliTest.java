package org.semiseg.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.io.Checkpoints;
import org.semiseg.train.TrainerTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end, and its answers to bad input: one line, naming the file or key, non-zero exit. */
class CliTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Console console = new Console();

    private String[] trainArgs(Path runDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", runDir.toString()));
        for (String s : TrainerTest.TINY) {
            args.add("--set");
            args.add(s);
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void trainEvaluatePredictEndToEnd() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, console.run(trainArgs(runDir)));
        String table = console.out();
        assertTrue(table.contains("mIoU") && table.contains("triangle"), table);

        assertEquals(0, console.run("evaluate", "--run", runDir.toString(), "--split", "train"));
        assertTrue(console.out().contains("split train"));
        assertTrue(Files.readString(runDir.resolve("eval.json")).contains("\"split\" : \"train\""));

        Path images = Files.createDirectories(dir.resolve("images"));
        org.semiseg.data.Sample s = org.semiseg.data.DemoScenes.split(3, "val", 2, 40).get(1);
        org.semiseg.io.Images.writeImagePng(images.resolve("scene.png"), s.image(), s.height(), s.width());
        Path predictions = dir.resolve("pred");
        assertEquals(0, console.run("predict", "--run", runDir.toString(), "--input", images.toString(), "--output", predictions.toString()));
        for (String sub : List.of("labels", "color", "overlay")) {
            assertTrue(Files.isRegularFile(predictions.resolve(sub).resolve("scene.png")), sub);
        }
        int[] hw = new int[2];
        int[] labels = org.semiseg.io.Images.readMask(predictions.resolve("labels/scene.png"), hw);
        assertEquals(40, hw[0]);
        assertTrue(java.util.Arrays.stream(labels).allMatch(v -> v >= 0 && v < 6));
    }

    @Test
    void configErrorsNameTheFileOrKey() throws IOException {
        Path missing = dir.resolve("nope.yaml");
        assertEquals(Main.EXIT_INPUT, console.run("train", "--config", missing.toString()));
        console.assertOneLineError(missing.toString(), "does not exist");

        Path typo = Files.writeString(dir.resolve("typo.yaml"), "train:\n  iteratons: 5\n");
        assertEquals(Main.EXIT_INPUT, console.run("train", "--config", typo.toString(), "--out", dir.resolve("r").toString()));
        console.assertOneLineError("typo.yaml", "train.iteratons");

        Path malformed = Files.writeString(dir.resolve("bad.yaml"), "train: {iterations: [\n");
        assertEquals(Main.EXIT_INPUT, console.run("train", "--config", malformed.toString()));
        console.assertOneLineError("bad.yaml", "YAML");

        assertEquals(Main.EXIT_INPUT, console.run("train", "--set", "train.lr=fast", "--out", dir.resolve("r").toString()));
        console.assertOneLineError("train.lr");
        // a class index as the ignore index (the demo's class 0 is background) would drop that class's pixels
        assertEquals(Main.EXIT_INPUT, console.run("train", "--set", "data.ignore_index=0", "--out", dir.resolve("r").toString()));
        console.assertOneLineError("data.ignore_index=0 is a class index (background of 6 classes)", "at least 6");
        // the demo's default method (classmix) learns from unlabeled images: every label leaves it none
        assertEquals(Main.EXIT_INPUT, console.run("train", "--set", "data.labeled=all", "--set", "data.demo.train_images=16",
                "--out", dir.resolve("r").toString()));
        console.assertOneLineError("method.name=classmix", "data.labeled=all leaves none unlabeled", "--set method.name=supervised");
        assertFalse(Files.exists(dir.resolve("r")), "a failed start creates no run directory");
    }

    @Test
    void unwritableOutputFolderIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        assertEquals(Main.EXIT_INPUT, console.run(trainArgs(file.resolve("run"))));
        console.assertOneLineError("plain-file");
    }

    @Test
    void existingRunIsNeverDamagedByAFailedStart() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, console.run(trainArgs(runDir)));
        Map<String, String> before = snapshot(runDir);

        assertEquals(Main.EXIT_INPUT, console.run(trainArgs(runDir)));
        console.assertOneLineError(runDir.toString(), "--resume");
        assertEquals(Main.EXIT_INPUT, console.run(trainArgs(runDir, "--force", "--set", "model.backbone=resnet12")));
        console.assertOneLineError("model.backbone");
        assertEquals(Main.EXIT_INPUT, console.run(trainArgs(runDir, "--resume")));
        console.assertOneLineError("cannot resume", "train.iterations");

        assertEquals(Main.EXIT_INPUT, console.run("evaluate", "--run", runDir.toString(), "--set", "model.width=0.25"));
        console.assertOneLineError("different model", "checkpoints");
        assertEquals(before, snapshot(runDir));
    }

    @Test
    void damagedCheckpointAndUnreadableImageAreNamed() throws IOException {
        Path runDir = dir.resolve("run");
        assertEquals(0, console.run(trainArgs(runDir)));
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        assertEquals(Main.EXIT_INPUT, console.run("predict", "--run", runDir.toString(), "--input", images.toString(),
                "--output", dir.resolve("pred").toString()));
        console.assertOneLineError("broken.png");

        Path weights = runDir.resolve("checkpoints/best/model.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        assertEquals(Main.EXIT_INPUT, console.run("evaluate", "--checkpoint", runDir.resolve("checkpoints/best").toString()));
        console.assertOneLineError("model.safetensors", "checksum");
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Checkpoints.sha256(p));
            }
        }
        return files;
    }
}
