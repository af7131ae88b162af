package org.semiseg.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.io.Checkpoints;
import org.semiseg.io.FolderLock;
import org.semiseg.io.LockHolder;
import org.semiseg.train.TrainerTest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One process per run folder, end to end: while another process holds a run (or grid) folder, {@code train} in any
 * mode and {@code bench} stop with one line naming the folder and the holder's pid, exit 2, and change no file;
 * {@code evaluate} and {@code report} read it meanwhile. Killing the holder (SIGKILL) frees the folder at once.
 */
class RunLockTest {
    @TempDir
    static Path dir;
    static Path finished;
    @RegisterExtension
    final Console console = new Console();

    @BeforeAll
    static void finishedRun() {
        finished = dir.resolve("finished");
        PrintStream out = System.out;
        PrintStream err = System.err;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream()));
            System.setErr(new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, Main.execute(trainArgs(finished)));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String[] trainArgs(Path runDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--out", runDir.toString()));
        for (String s : TrainerTest.TINY) {
            args.addAll(List.of("--set", s));
        }
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void aSecondTrainerIsRefusedAndTouchesNothingWhileReadersRead() throws Exception {
        Map<String, String> before = snapshot(finished);
        Process holder = LockHolder.start(finished);
        try {
            for (String[] args : List.of(
                    new String[] {"train", "--resume", "--out", finished.toString(), "--set", "train.iterations=9"},
                    trainArgs(finished, "--force"),
                    trainArgs(finished))) {
                assertEquals(Main.EXIT_INPUT, console.run(args), String.join(" ", args) + ": " + console.err());
                console.assertOneLineError("run folder " + finished, "pid " + holder.pid(), "in use");
                assertEquals(before, snapshot(finished), String.join(" ", args) + " changed the run folder");
            }
            // readers take no lock
            assertEquals(0, console.run("evaluate", "--run", finished.toString(), "--out", dir.resolve("eval").toString()),
                    console.err());
            assertEquals(0, console.run("report", "--run", finished.toString()), console.err());
        } finally {
            LockHolder.kill(holder);
        }
        // the kill released the lock: the run continues
        assertEquals(0, console.run("train", "--resume", "--out", finished.toString(), "--set", "train.iterations=7"),
                console.err());
    }

    @Test
    void aBenchStartedTwiceIsRefused() throws Exception {
        Path grid = dir.resolve("grid");
        Path file = Files.writeString(dir.resolve("grid.yaml"), "name: twice\nset:\n  train.iterations: 2\n"
                + "out: " + grid + "\nseeds: [1]\ntest_split: val\ngroups:\n  - methods: [supervised]\n"
                + "    ratios: [\"1/2\"]\n");
        Process holder = LockHolder.start(grid);
        try {
            assertEquals(Main.EXIT_INPUT, console.run("bench", file.toString()), console.err());
            console.assertOneLineError("grid folder " + grid, "pid " + holder.pid());
            try (Stream<Path> files = Files.list(grid)) {
                assertEquals(List.of(grid.resolve(FolderLock.FILE)), files.toList(), "the second bench wrote nothing");
            }
        } finally {
            LockHolder.kill(holder);
        }
    }

    /** Every file below {@code root} (the lock file included) with its checksum and modification time. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Checkpoints.sha256(p) + " " + Files.getLastModifiedTime(p));
            }
        }
        return files;
    }
}
