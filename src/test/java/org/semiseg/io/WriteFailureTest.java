package org.semiseg.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A disk that fills in the middle of a write (simulated with {@link FileWrites#simulateFullDisk}): the checkpoint or
 * file that was there stays complete and loadable, the half-written copy is removed, and the error is an
 * {@link OutOfSpace} naming the file.
 */
class WriteFailureTest {
    @TempDir
    Path dir;

    @AfterEach
    void diskHasRoomAgain() {
        FileWrites.simulateFullDisk(null, 0);
    }

    private static void save(Path last, NDManager m, int k) {
        NDArray w = m.full(new Shape(4096), (float) k);
        NDArray v = m.full(new Shape(4096), (float) k);
        v.setName("momentum");
        NDArray bank = m.full(new Shape(4096), (float) k);
        bank.setName("bank");
        Checkpoints.save(last, Map.of("w", w), new NDList(v), new NDList(bank),
                new CheckpointState(k, 1, -1, -1, "test", Map.of()), "k: " + k + "\n");
    }

    @Test
    void aCheckpointWriteThatFindsTheDiskFullKeepsThePreviousOne() throws IOException {
        Path last = dir.resolve("checkpoints/last");
        try (NDManager m = NDManager.newBaseManager()) {
            save(last, m, 1);
            int k = 1;
            for (String file : List.of(Checkpoints.MODEL, Checkpoints.OPTIMIZER, Checkpoints.METHOD,
                    Checkpoints.CONFIG, Checkpoints.STATE)) {
                boolean text = file.equals(Checkpoints.CONFIG) || file.equals(Checkpoints.STATE);
                for (long room : text ? new long[] {0, 3} : new long[] {0, 100, 5000}) {
                    FileWrites.simulateFullDisk(p -> p.endsWith(Path.of(".last.tmp", file)), room);
                    OutOfSpace e = assertThrows(OutOfSpace.class, () -> save(last, m, 2));
                    String where = file + " with " + room + " bytes of room: " + e.getMessage();
                    assertTrue(e.getMessage().startsWith("no space left on device: cannot write checkpoint " + last
                            + " ("), where);
                    FileWrites.simulateFullDisk(null, 0);
                    assertEquals(1, Checkpoints.load(last, m).state().iteration(), where);
                    assertEquals(List.of("last"), names(last.getParent()), where);
                }
                save(last, m, ++k);  // the disk has room again: writes go on
                assertEquals(k, Checkpoints.load(last, m).state().iteration());
                save(last, m, 1);
            }
        }
    }

    @Test
    void anAtomicWriteThatFindsTheDiskFullKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("config.yaml");
        AtomicFiles.writeString(file, "old: 1\n");
        FileWrites.simulateFullDisk(p -> p.getFileName().toString().endsWith(".tmp"), 3);
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(file, "new: 2\n"));
        assertTrue(OutOfSpace.isFull(e, file), e.getMessage());
        assertEquals("old: 1\n", Files.readString(file));
        assertEquals(List.of("config.yaml"), names(dir));
    }

    @Test
    void otherWriteErrorsAreNotPutDownToSpace() {
        SemisegException e = assertThrows(SemisegException.class, () -> {
            try (NDManager m = NDManager.newBaseManager()) {
                Path blocked = Files.writeString(dir.resolve("file"), "x");
                save(blocked.resolve("last"), m, 1);  // a file where a folder should be
            }
        });
        assertFalse(e instanceof OutOfSpace, e.getMessage());
        assertTrue(e.getMessage().startsWith("cannot write checkpoint "), e.getMessage());
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
