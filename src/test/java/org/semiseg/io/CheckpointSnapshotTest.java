package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Readers of a checkpoint that a trainer keeps replacing (evaluate or report beside a running train) never see a
 * mix of two checkpoints and never fail for it; a damaged checkpoint fails with its file named.
 */
class CheckpointSnapshotTest {
    @TempDir
    Path dir;

    /** Writes checkpoint {@code k}: every weight and momentum value k, iteration k, config "k: <k>". */
    private static void save(Path last, NDManager m, int k) {
        NDArray w = m.full(new ai.djl.ndarray.types.Shape(256), (float) k);
        NDArray v = m.full(new ai.djl.ndarray.types.Shape(64), (float) k);
        v.setName("momentum");
        NDArray counter = m.create(new long[] {k});
        counter.setName("counter");
        Checkpoints.save(last, Map.of("w", w), new NDList(v), new NDList(counter),
                new CheckpointState(k, 1, -1, -1, "test", Map.of()), "k: " + k + "\n");
    }

    @Test
    void aReaderBesideTheWriterSeesWholeCheckpointsOnly() throws Exception {
        Path last = dir.resolve("checkpoints/last");
        int saves = 150;
        try (NDManager m = NDManager.newBaseManager()) {
            save(last, m, 0);
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> writing = writer.submit(() -> {
                try (NDManager wm = NDManager.newBaseManager()) {
                    for (int k = 1; k <= saves; k++) {
                        save(last, wm, k);
                    }
                }
            });
            int reads = 0;
            int newest = 0;
            while (!writing.isDone() || reads == 0) {
                try (NDManager scratch = m.newSubManager()) {
                    Checkpoints.Loaded c = Checkpoints.load(last, scratch);
                    int k = c.state().iteration();
                    String where = "read " + reads + " of iteration " + k + " from " + c.dir();
                    assertEquals("k: " + k + "\n", c.configYaml(), where);
                    assertEquals(k, c.weights().get("w").min().getFloat(), where);
                    assertEquals(k, c.weights().get("w").max().getFloat(), where);
                    assertEquals(k, c.optimizer().get("momentum").max().getFloat(), where);
                    assertEquals(k, c.method().get("counter").getLong(), where);
                    assertTrue(k >= newest, "iterations only go forward: " + k + " after " + newest);
                    newest = k;
                    reads++;
                }
            }
            writing.get();
            writer.shutdown();
            assertTrue(writer.awaitTermination(10, TimeUnit.SECONDS));
            assertTrue(reads > 10, "the reader ran beside the writer: " + reads + " reads");
        }
    }

    @Test
    void aDamagedCheckpointNamesItsFile() throws Exception {
        Path last = dir.resolve("last");
        try (NDManager m = NDManager.newBaseManager()) {
            save(last, m, 3);
            String state = Files.readString(last.resolve(Checkpoints.STATE));
            Files.writeString(last.resolve(Checkpoints.STATE), state.replace("\"iteration\" : 3", "\"iteration\" : -3"));
            SemisegException e = assertThrows(SemisegException.class, () -> Checkpoints.load(last, m));
            assertTrue(e.getMessage().contains("state.json has iteration -3, which is negative"), e.getMessage());

            Files.writeString(last.resolve(Checkpoints.STATE), state);
            Files.write(last.resolve(Checkpoints.METHOD), new byte[] {1, 2, 3});
            e = assertThrows(SemisegException.class, () -> Checkpoints.load(last, m));
            assertTrue(e.getMessage().contains("method.safetensors is damaged: its checksum"), e.getMessage());
        }
    }

    @Test
    void storedClassesAreCheckedLikeTheRestOfTheState() throws Exception {
        Path last = dir.resolve("last");
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.full(new ai.djl.ndarray.types.Shape(4), 1f);
            Checkpoints.save(last, Map.of("w", w), new NDList(), new NDList(),
                    new CheckpointState(2, 1, -1, -1, "test", Map.of(), new CheckpointState.Classes(List.of("road", "sky"),
                            List.of(List.of(128, 64, 128), List.of(70, 130, 180)), 255)), "k: 2\n");
            assertEquals(List.of("road", "sky"), Checkpoints.load(last, m).state().classes().names());
            assertEquals(2, Checkpoints.readState(last).iteration());
            String state = Files.readString(last.resolve(Checkpoints.STATE));

            Files.writeString(last.resolve(Checkpoints.STATE), state.replace("180", "280"));
            SemisegException e = assertThrows(SemisegException.class, () -> Checkpoints.load(last, m));
            assertTrue(e.getMessage().contains("state.json has a colour of class 1 that is not [r, g, b] in 0..255"),
                    e.getMessage());
            e = assertThrows(SemisegException.class, () -> Checkpoints.readState(last));
            assertTrue(e.getMessage().contains("state.json has a colour of class 1"), e.getMessage());

            Files.writeString(last.resolve(Checkpoints.STATE), state.replace("\"sky\"", "\"\""));
            e = assertThrows(SemisegException.class, () -> Checkpoints.load(last, m));
            assertTrue(e.getMessage().contains("state.json has an empty class name"), e.getMessage());

            // names and colours that do not pair, or no names at all: state.json cannot be read, one line
            for (String broken : List.of(state.replace(", [ 70, 130, 180 ]", ""), state.replaceAll("\"names\" : \\[[^]]*],", ""))) {
                Files.writeString(last.resolve(Checkpoints.STATE), broken);
                e = assertThrows(SemisegException.class, () -> Checkpoints.load(last, m));
                assertTrue(e.getMessage().contains("state.json cannot be read") && !e.getMessage().contains("\n"),
                        e.getMessage());
            }
        }
    }
}
