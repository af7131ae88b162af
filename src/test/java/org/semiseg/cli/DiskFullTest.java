package org.semiseg.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.FileWrites;
import org.semiseg.train.MetricsLog;
import org.semiseg.train.TrainerTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disk that fills while a run trains (simulated with {@link FileWrites#simulateFullDisk}; {@code TmpfsDiskFullTest}
 * fills a real file system): the run stops with one line and exit 4, {@code checkpoints/last} stays as it was and
 * loads, and {@code --resume} then ends exactly where an uninterrupted run ends.
 */
class DiskFullTest {
    @TempDir
    static Path dir;
    /** The uninterrupted tiny demo run. */
    static Path straight;
    @RegisterExtension
    final Console console = new Console();

    @BeforeAll
    static void uninterrupted() {
        straight = dir.resolve("straight");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            System.setErr(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute(trainArgs(straight)));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @AfterEach
    void roomAgain() {
        FileWrites.simulateFullDisk(null, 0);
    }

    private static String[] trainArgs(Path runDir) {
        List<String> args = new ArrayList<>(List.of("train", "--out", runDir.toString()));
        for (String s : TrainerTest.TINY) {
            args.addAll(List.of("--set", s));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void theDiskFillsDuringTheFinalCheckpoint() throws IOException {
        Path run = dir.resolve("checkpoint");
        // TINY writes last at iteration 3 and at the end (6): the second write runs out of room 4 KiB into the weights
        AtomicInteger opened = new AtomicInteger();
        FileWrites.simulateFullDisk(p -> p.endsWith(Path.of(".last.tmp", Checkpoints.MODEL))
                && opened.incrementAndGet() == 2, 4096);
        assertEquals(Main.EXIT_NO_SPACE, console.run(trainArgs(run)), console.err());
        assertLastLine("semiseg: error: no space left on device: cannot write checkpoint " + run.resolve("checkpoints/last"),
                run.resolve("checkpoints/last") + " holds iteration 3; free some space, then continue with --resume");
        assertFalse(Files.exists(run.resolve("checkpoints/.last.tmp")), "the half-written copy is removed");
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(3, Checkpoints.load(run.resolve("checkpoints/last"), m).state().iteration());
        }

        FileWrites.simulateFullDisk(null, 0);
        assertEquals(0, console.run("train", "--resume", "--out", run.toString()), console.err());
        assertSameWeights(straight, run);
    }

    @Test
    void theDiskFillsWhileAMetricsLineIsWritten() throws IOException {
        Path run = dir.resolve("metrics");
        FileWrites.simulateFullDisk(p -> p.getFileName().toString().equals("metrics.jsonl"), 1500);
        assertEquals(Main.EXIT_NO_SPACE, console.run(trainArgs(run)), console.err());
        assertLastLine("semiseg: error: no space left on device: cannot write " + run.resolve("metrics.jsonl"),
                "holds iteration 3; free some space, then continue with --resume");
        String torn = Files.readString(run.resolve("metrics.jsonl"));
        assertEquals(1500, torn.getBytes(StandardCharsets.UTF_8).length, "the line that did not fit is torn");

        FileWrites.simulateFullDisk(null, 0);
        assertEquals(0, console.run("train", "--resume", "--out", run.toString()), console.err());
        // the torn line is gone, and every loss equals the uninterrupted run's
        assertEquals(losses(straight), losses(run));
        assertSameWeights(straight, run);
    }

    /** The error is the last line of stderr (the progress lines of the run come before it): it starts and ends so. */
    private void assertLastLine(String start, String end) {
        String[] lines = console.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith(start), last);
        assertTrue(last.endsWith(end), last);
        assertFalse(console.err().contains("Exception") || console.err().contains("\tat "), console.err());
    }

    /** iteration -> loss of every logged step. */
    private static Map<Integer, Double> losses(Path run) {
        Map<Integer, Double> out = new java.util.TreeMap<>();
        for (JsonNode line : MetricsLog.read(run.resolve("metrics.jsonl"))) {
            if (line.has("loss")) {
                assertEquals(null, out.put(line.get("iter").asInt(), line.get("loss").asDouble()), "logged twice: " + line);
            }
        }
        return out;
    }

    private static void assertSameWeights(Path expected, Path actual) {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> a = Checkpoints.load(expected.resolve("checkpoints/last"), m).weights();
            Map<String, NDArray> b = Checkpoints.load(actual.resolve("checkpoints/last"), m).weights();
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).toByteArray(), b.get(name).toByteArray(), name);
            }
        }
    }
}
