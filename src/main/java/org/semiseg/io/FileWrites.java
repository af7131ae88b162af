package org.semiseg.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Opens the files a run writes (checkpoints, metrics, atomic whole-file writes) through one place, so that tests can
 * make them fail as a full disk does: {@link #simulateFullDisk} makes writes to matching files throw
 * {@code IOException("No space left on device")} after a number of bytes, as {@code write(2)} does with ENOSPC.
 */
public final class FileWrites {
    private record Fault(Predicate<Path> which, long afterBytes) {
    }

    private static volatile Fault fault;

    private FileWrites() {
    }

    /** {@link Files#newOutputStream} (create or truncate, unless {@code options} say otherwise). */
    public static OutputStream open(Path file, OpenOption... options) throws IOException {
        OutputStream out = Files.newOutputStream(file, options);
        Fault f = fault;
        return f != null && f.which().test(file.toAbsolutePath()) ? new Filling(out, f.afterBytes()) : out;
    }

    /** Writes {@code bytes} to {@code file} (create or truncate). */
    public static void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = open(file)) {
            out.write(bytes);
        }
    }

    /**
     * For tests: from now on, a file whose absolute path {@code which} accepts takes {@code afterBytes} bytes, then
     * every write to it fails as on a full disk; {@code which == null} ends the simulation.
     */
    public static void simulateFullDisk(Predicate<Path> which, long afterBytes) {
        fault = which == null ? null : new Fault(which, afterBytes);
    }

    /** A stream whose device fills after a number of bytes: the bytes that fit are written, then ENOSPC. */
    private static final class Filling extends FilterOutputStream {
        private long room;

        Filling(OutputStream out, long room) {
            super(out);
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int fits = (int) Math.min(len, room);
            out.write(b, off, fits);
            room -= fits;
            if (fits < len) {
                throw new IOException("No space left on device");
            }
        }
    }
}
