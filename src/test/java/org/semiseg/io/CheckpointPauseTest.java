package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checkpoint writer's test hook (used by bench/crash/run.sh): off when unset; when on it announces each pause and
 * holds the write there, in the folder states the crash check means to kill in, each of which still loads whole.
 */
class CheckpointPauseTest {
    private static final long PAUSE_MS = 1500;   // long enough to look at the folder on a loaded machine

    @TempDir
    Path dir;

    @AfterEach
    void back() {
        CheckpointPause.reset();
    }

    private static void save(Path last, NDManager m, int k) {
        NDArray momentum = m.full(new Shape(16), (float) k);
        momentum.setName("momentum");
        NDArray counter = m.create(new long[] {k});
        counter.setName("counter");
        Checkpoints.save(last, Map.of("w", m.full(new Shape(16), (float) k)), new NDList(momentum),
                new NDList(counter), new CheckpointState(k, 1, -1, -1, "test", Map.of()), "k: " + k + "\n");
    }

    @Test
    void unsetOrEmptyIsOffAndBadValuesAreRefusedWithTheirName() {
        assertEquals(0, CheckpointPause.parse(CheckpointPause.ENV, null));
        assertEquals(0, CheckpointPause.parse(CheckpointPause.ENV, " "));
        assertEquals(250, CheckpointPause.parse(CheckpointPause.ENV, "250"));
        for (String bad : new String[] {"abc", "-5", "1.5"}) {
            SemisegException e = assertThrows(SemisegException.class,
                    () -> CheckpointPause.parse(CheckpointPause.ENV, bad));
            assertTrue(e.getMessage().startsWith("SEMISEG_CHECKPOINT_PAUSE_MS") && e.getMessage().contains(bad),
                    e.getMessage());
        }
    }

    @Test
    void offItPrintsNothingAndDoesNotWait() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CheckpointPause.set(0, new PrintStream(sink, true, StandardCharsets.UTF_8));
        Path last = dir.resolve("checkpoints/last");
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            save(last, m, 1);
            save(last, m, 2);
        }
        assertEquals("", sink.toString(StandardCharsets.UTF_8));
        assertTrue(System.nanoTime() - t0 < PAUSE_MS * 1_000_000, "two writes took less than one pause");
        assertEquals(2, Checkpoints.readState(last).iteration());
    }

    @Test
    void eachPauseIsAnnouncedAndHoldsALoadableFolder() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CheckpointPause.set(PAUSE_MS, new PrintStream(sink, true, StandardCharsets.UTF_8));
        Path checkpoints = dir.resolve("checkpoints");
        Path last = checkpoints.resolve("last");
        Path tmp = checkpoints.resolve(".last.tmp");
        Path old = checkpoints.resolve(".last.old");
        try (NDManager m = NDManager.newBaseManager()) {
            // a first write has no previous copy to move aside: one pause only
            save(last, m, 1);
            assertEquals(1, count(sink, "files-written"), sink.toString(StandardCharsets.UTF_8));
            assertEquals(0, count(sink, "between-renames") + count(sink, "renamed"));

            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writing = writer.submit(() -> {
                try (NDManager wm = NDManager.newBaseManager()) {
                    save(last, wm, 2);
                }
            });
            awaitMarker(sink, "files-written", 2, writing);
            assertTrue(Files.isRegularFile(tmp.resolve(Checkpoints.STATE)), "the new copy is complete in .last.tmp");
            assertEquals(1, loadedIteration(last, m), "last is still the previous checkpoint");

            awaitMarker(sink, "between-renames", 1, writing);
            assertFalse(Files.exists(last), "last is moved aside");
            assertTrue(Files.isDirectory(old) && Files.isDirectory(tmp));
            assertEquals(1, loadedIteration(last, m), "loading falls back to .last.old");

            awaitMarker(sink, "renamed", 1, writing);
            assertTrue(Files.isDirectory(old), ".last.old is not deleted yet");
            assertEquals(2, loadedIteration(last, m), "the new copy is last");

            writing.get(30, TimeUnit.SECONDS);
            writer.shutdown();
            assertFalse(Files.exists(old) || Files.exists(tmp), "nothing left over after the write");
            String first = sink.toString(StandardCharsets.UTF_8).lines().findFirst().orElseThrow();
            assertEquals(CheckpointPause.MARKER + ": files-written " + last, first);
        }
    }

    private static int loadedIteration(Path last, NDManager m) {
        try (NDManager scratch = m.newSubManager()) {
            return Checkpoints.load(last, scratch).state().iteration();
        }
    }

    private static int count(ByteArrayOutputStream sink, String phase) {
        return (int) sink.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith(CheckpointPause.MARKER + ": " + phase + " ")).count();
    }

    /** Waits until the sink holds {@code n} markers of {@code phase} (the writer is then asleep in that pause). */
    private static void awaitMarker(ByteArrayOutputStream sink, String phase, int n, Future<?> writing)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count(sink, phase) < n) {
            if (writing.isDone()) {
                writing.get();   // rethrows the writer's failure
                fail("the write ended without pausing at " + phase + ": " + sink.toString(StandardCharsets.UTF_8));
            }
            if (System.nanoTime() > deadline) {
                fail("no pause at " + phase + " within 30 s: " + sink.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(5);
        }
    }
}
