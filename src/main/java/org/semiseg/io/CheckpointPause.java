package org.semiseg.io;

import org.semiseg.SemisegException;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Test hook of {@link Checkpoints#save}: stops a checkpoint write for a while at each of its steps, so that the crash
 * check ({@code bench/crash/run.sh}) can SIGKILL a run exactly inside a write rather than hoping a random moment
 * lands in its few milliseconds. Off unless the environment variable {@value #ENV} (or the system property
 * {@value #PROPERTY}, which wins) holds a positive number of milliseconds; it is read once, at the first write. When
 * on, each pause first prints one line to stderr, {@value #MARKER} followed by {@code : <phase> <folder>}, where the
 * phase is one of {@link Phase}'s names. Not for use outside tests: every write takes that much longer per phase.
 */
final class CheckpointPause {
    static final String ENV = "SEMISEG_CHECKPOINT_PAUSE_MS";
    static final String PROPERTY = "semiseg.checkpoint.pause_ms";
    static final String MARKER = "semiseg: checkpoint write paused (test hook)";

    /** Where a write is paused; the names are what the marker line and the crash check use. */
    enum Phase {
        /** Every file of the new copy written and synced under {@code .NAME.tmp}; nothing renamed yet. */
        FILES_WRITTEN("files-written"),
        /** The previous {@code NAME} renamed to {@code .NAME.old}; the new copy is still {@code .NAME.tmp}. */
        BETWEEN_RENAMES("between-renames"),
        /** The new copy renamed to {@code NAME}; {@code .NAME.old} not yet deleted. */
        RENAMED("renamed");

        final String label;

        Phase(String label) {
            this.label = label;
        }
    }

    private static Long millis;           // null until read; 0 when off
    private static volatile PrintStream out = System.err;

    private CheckpointPause() {
    }

    /** Pauses the write of {@code dir} at {@code phase} when the hook is on; does nothing otherwise. */
    static void at(Phase phase, Path dir) {
        long ms = millis();
        if (ms <= 0) {
            return;
        }
        out.println(MARKER + ": " + phase.label + " " + dir);
        out.flush();
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static synchronized long millis() {
        if (millis == null) {
            String property = System.getProperty(PROPERTY);
            millis = property != null ? parse(PROPERTY, property) : parse(ENV, System.getenv(ENV));
        }
        return millis;
    }

    /** The pause in milliseconds that {@code value} asks for: 0 when unset or empty. */
    static long parse(String name, String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new SemisegException(name + " (a test hook) must be a whole number of milliseconds, 0 or more (got '"
                + value + "')");
    }

    /** Seam for tests: turns the hook on ({@code ms > 0}) or off and sends the marker lines to {@code sink}. */
    static synchronized void set(long ms, PrintStream sink) {
        millis = ms;
        out = sink;
    }

    /** Seam for tests: back to reading the property or environment at the next write, markers to stderr. */
    static synchronized void reset() {
        millis = null;
        out = System.err;
    }
}
