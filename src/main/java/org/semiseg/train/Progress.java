package org.semiseg.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress bar on stderr: iteration, loss, learning rate, images/s and ETA. On a terminal it redraws one line;
 * otherwise (logs, CI) it prints a line at every tenth of the run.
 */
public final class Progress {
    private static final int BAR = 24;
    private final PrintStream err;
    private final int total;
    private final boolean terminal;
    private int lastPrintedTenth = -1;

    public Progress(PrintStream err, int total, boolean terminal) {
        this.err = err;
        this.total = total;
        this.terminal = terminal;
    }

    public void update(int done, double loss, double lr, double imagesPerSecond, double secondsPerIteration) {
        int tenth = (int) (10L * done / total);
        if (!terminal && tenth == lastPrintedTenth && done != total) {
            return;
        }
        lastPrintedTenth = tenth;
        int filled = (int) ((long) BAR * done / total);
        String line = String.format(Locale.ROOT, "[%s%s] %d/%d loss %s lr %.2e %.1f img/s ETA %s",
                "#".repeat(filled), ".".repeat(BAR - filled), done, total, Double.isNaN(loss) ? "-" : String.format(Locale.ROOT, "%.4f", loss), lr, imagesPerSecond,
                duration((total - done) * secondsPerIteration));
        if (terminal) {
            err.print("\r" + line + "  ");
            if (done == total) {
                err.println();
            }
        } else {
            err.println(line);
        }
        err.flush();
    }

    /** Ends the current bar line so that other output starts on a fresh line. */
    public void breakLine() {
        if (terminal) {
            err.println();
        }
    }

    static String duration(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
