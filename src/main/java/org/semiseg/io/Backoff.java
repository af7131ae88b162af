package org.semiseg.io;

/**
 * The pause before computing a faulty step or batch again: 50 ms, doubling with each attempt up to 5 s (8 retries
 * wait about 11 s in all). Faults on the development machine came in bursts of about a second at first and of
 * 10-30 s later (README, "Known issues"); work computed again at once often fell in the same burst.
 */
public final class Backoff {
    private Backoff() {
    }

    /** The pause before retry {@code attempt} (0 for the first) in milliseconds. */
    public static long millis(int attempt) {
        return Math.min(5000L, 50L << Math.min(Math.max(attempt, 0), 10));
    }

    /** Sleeps {@link #millis}; an interrupt ends the pause and stays set. */
    public static void pause(int attempt) {
        try {
            Thread.sleep(millis(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
