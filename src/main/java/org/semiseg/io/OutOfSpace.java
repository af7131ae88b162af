package org.semiseg.io;

import org.semiseg.SemisegException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A write that failed because its file system is full (or the user's quota is used up). The command line prints its
 * one line and exits with status 4; the trainer adds where the run can continue from.
 */
public final class OutOfSpace extends SemisegException {
    /** Below this many free bytes a failed write is put down to a full disk even when the error does not say so. */
    static final long NEARLY_FULL = 64 << 10;

    private OutOfSpace(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Throws an {@link OutOfSpace} naming {@code file} when {@code e} comes from a full file system; returns otherwise,
     * so the caller goes on to its own message.
     */
    public static void ifFull(IOException e, Path file) {
        OutOfSpace full = of(e, file, "");
        if (full != null) {
            throw full;
        }
    }

    /**
     * The error for {@code e} when it comes from a full file system (free space measured now), else null.
     *
     * @param what what {@code file} is, before its name in the message ("checkpoint "), or ""
     */
    public static OutOfSpace of(IOException e, Path file, String what) {
        if (!isFull(e, file)) {
            return null;
        }
        long free = freeBytes(file);
        return new OutOfSpace("no space left on device: cannot write " + what + file
                + (free >= 0 ? String.format(Locale.ROOT, " (%.1f MiB free on its file system)", free / 1048576.0) : ""), e);
    }

    /** The same error with {@code hint} (what was kept, how to go on) after it. */
    public OutOfSpace withHint(String hint) {
        return new OutOfSpace(getMessage() + "; " + hint, getCause());
    }

    /** Whether {@code e} (or a cause) says the device is full, or the file system of {@code file} has almost no room. */
    static boolean isFull(IOException e, Path file) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        long free = freeBytes(file);
        return free >= 0 && free < NEARLY_FULL;
    }

    /** Usable bytes on the file system of {@code file} (or its nearest existing folder), -1 when unknown. */
    static long freeBytes(Path file) {
        for (Path p = file.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                try {
                    return Files.getFileStore(p).getUsableSpace();
                } catch (IOException | SecurityException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
