package org.semiseg.io;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {
    /** 50 ms doubling to a 5 s cap: the 8 retries of a faulty step wait 50 + 100 + ... + 3200 + 5000 = 11,350 ms. */
    @Test
    void pausesDoubleUpToFiveSeconds() {
        long[] expected = {50, 100, 200, 400, 800, 1600, 3200, 5000, 5000};
        long total = 0;
        for (int attempt = 0; attempt < expected.length; attempt++) {
            assertEquals(expected[attempt], Backoff.millis(attempt), "attempt " + attempt);
            total += attempt < 8 ? Backoff.millis(attempt) : 0;
        }
        assertEquals(11_350, total);
        assertEquals(5000, Backoff.millis(40), "no overflow for a long run of retries");
    }
}
