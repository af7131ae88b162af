package org.semiseg.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two writers of one file (a trainer and {@code semiseg report} both writing report.html) and a reader: the reader
 * only ever sees one writer's whole text, never a mix, and no temporary file is left.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void concurrentWritersOfOneFileNeverMixTheirBytes() throws Exception {
        Path file = dir.resolve("report.html");
        String a = "a".repeat(200_000);
        String b = "b".repeat(150_000);
        AtomicFiles.writeString(file, a);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> writers = List.of(
                pool.submit(() -> write(file, a)), pool.submit(() -> write(file, b)));
        int reads = 0;
        while (writers.stream().anyMatch(f -> !f.isDone())) {
            String seen;
            try {
                seen = Files.readString(file);
            } catch (NoSuchFileException e) {
                throw new AssertionError("the file vanished during a replace");
            }
            assertTrue(seen.equals(a) || seen.equals(b), "a mixed file of " + seen.length() + " characters");
            reads++;
        }
        for (Future<?> f : writers) {
            f.get();
        }
        pool.shutdown();
        assertTrue(reads > 0);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(Set.of("report.html"), Set.copyOf(files.map(p -> p.getFileName().toString()).toList()));
        }
    }

    private static Void write(Path file, String text) throws Exception {
        for (int i = 0; i < 100; i++) {
            AtomicFiles.writeString(file, text);
        }
        return null;
    }
}
