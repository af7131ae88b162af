package org.semiseg.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folder lock between processes: refused while another JVM holds it, free again the moment that JVM is killed. */
class FolderLockTest {
    @TempDir
    Path dir;

    @Test
    void anotherProcessIsRefusedWithItsPidUntilItIsKilled() throws Exception {
        Path folder = dir.resolve("run");
        Process holder = LockHolder.start(folder);
        try {
            FolderLock.Busy busy = assertThrows(FolderLock.Busy.class, () -> FolderLock.acquire(folder, "run folder"));
            assertTrue(busy.getMessage().contains("run folder " + folder), busy.getMessage());
            assertTrue(busy.getMessage().contains("pid " + holder.pid()), busy.getMessage());
            assertFalse(busy.getMessage().contains("\n"));
            assertFalse(FolderLock.heldHere(folder), "a refused acquire holds nothing");
        } finally {
            LockHolder.kill(holder);
        }
        // SIGKILL: the OS released the lock; the (empty) lock file stays and is reused
        assertTrue(Files.isRegularFile(folder.resolve(FolderLock.FILE)));
        try (FolderLock lock = FolderLock.acquire(folder, "run folder")) {
            assertTrue(FolderLock.heldHere(folder));
        }
        assertEquals(0, Files.size(folder.resolve(FolderLock.FILE)), "nothing is written into the lock file");
    }

    @Test
    void reentrantWithinOneJvmAndReleasedByTheLastClose() throws Exception {
        Path folder = dir.resolve("grid");
        FolderLock outer = FolderLock.acquire(folder, "grid folder");
        FolderLock inner = FolderLock.acquire(folder, "grid folder");
        inner.close();
        inner.close();  // closing twice releases once
        assertTrue(FolderLock.heldHere(folder), "the outer hold remains");
        Process other = null;
        try {
            outer.close();
            assertFalse(FolderLock.heldHere(folder));
            other = LockHolder.start(folder);  // would fail if this JVM still held the OS lock
        } finally {
            if (other != null) {
                LockHolder.kill(other);
            }
        }
    }
}
