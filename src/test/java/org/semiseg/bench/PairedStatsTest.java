package org.semiseg.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The t interval and p-value against values worked out by hand. The t quantiles are those of a printed table
 * (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2, "Critical Values of the Student's t Distribution",
 * upper-tail probability 0.025, i.e. t(0.975, ν)): t(0.975, 1) = 12.706, t(0.975, 2) = 4.303, t(0.975, 4) = 2.776;
 * and for the check of the 5-split p-value, t(0.90, 4) = 1.533 and t(0.95, 4) = 2.132. The p-values use the closed forms of the t
 * distribution's CDF for 2 and 4 degrees of freedom (with θ = atan(t/√ν)):
 * ν = 2: p = 1 − t/√(t² + 2); ν = 4: p = 1 − sin θ · (1 + cos² θ / 2).
 */
class PairedStatsTest {
    /** Two decimals of mIoU points are what the tables show; the printed quantiles carry 4 digits. */
    private static final double TABLE = 2e-3;

    /**
     * memory-bank's paired gains on CamVid 1/8 (issue 23): +4.20, +0.59, +5.34 mIoU points.
     * mean = 10.13 / 3 = 3.37667; deviations +0.82333, −2.78667, +1.96333; squares 0.67788 + 7.76551 + 3.85468 =
     * 12.29807; sd = √(12.29807 / 2) = 2.47972; se = 2.47972 / √3 = 1.43167; t = 3.37667 / 1.43167 = 2.35855.
     * Interval: 3.37667 ± 4.303 · 1.43167 = 3.37667 ± 6.16048 = [−2.78381, +9.53715] (the "−2.8 to +9.5").
     * p = 1 − 2.35855 / √(2.35855² + 2) = 1 − 2.35855 / 2.75005 = 1 − 0.85764 = 0.14236 (the "p ≈ 0.14").
     */
    @Test
    void threeSplitsOfMemoryBankOnCamVid() {
        PairedStats s = PairedStats.of(List.of(4.20, 0.59, 5.34));
        assertEquals(3, s.n());
        assertEquals(3.37667, s.mean(), 1e-5);
        assertEquals(2.47972, s.sd(), 1e-5);
        assertEquals(4.303, s.tQuantile(), 1e-3);
        assertEquals(-2.78381, s.low(), TABLE);
        assertEquals(9.53715, s.high(), TABLE);
        assertEquals(0.14236, s.p(), 1e-4);
    }

    /**
     * Five splits: +2.0, −1.0, +3.0, +0.5, +1.5. mean = 6 / 5 = 1.2; deviations +0.8, −2.2, +1.8, −0.7, +0.3; squares
     * 0.64 + 4.84 + 3.24 + 0.49 + 0.09 = 9.30; sd = √(9.30 / 4) = √2.325 = 1.52480; se = 1.52480 / √5 = 0.68191;
     * t = 1.2 / 0.68191 = 1.75977. Interval: 1.2 ± 2.776 · 0.68191 = 1.2 ± 1.89298 = [−0.69298, +3.09298].
     * p: t/2 = 0.87988, sin θ = 0.87988 / √(1 + 0.77419) = 0.66058, cos² θ = 1 / 1.77419 = 0.56364;
     * p = 1 − 0.66058 · (1 + 0.28182) = 1 − 0.84674 = 0.15326. (The table agrees: t(0.90, 4) = 1.533 < 1.760 <
     * t(0.95, 4) = 2.132, so 0.1 < p < 0.2.)
     */
    @Test
    void fiveSplits() {
        PairedStats s = PairedStats.of(List.of(2.0, -1.0, 3.0, 0.5, 1.5));
        assertEquals(5, s.n());
        assertEquals(1.2, s.mean(), 1e-12);
        assertEquals(1.52480, s.sd(), 1e-5);
        assertEquals(2.776, s.tQuantile(), 1e-3);
        assertEquals(-0.69298, s.low(), TABLE);
        assertEquals(3.09298, s.high(), TABLE);
        assertEquals(0.15326, s.p(), 1e-4);
    }

    /** The interval is symmetric about the mean and a difference of sign flips only the sign. */
    @Test
    void negatedDifferencesMirrorTheInterval() {
        PairedStats a = PairedStats.of(List.of(4.20, 0.59, 5.34));
        PairedStats b = PairedStats.of(List.of(-4.20, -0.59, -5.34));
        assertEquals(-a.mean(), b.mean(), 1e-12);
        assertEquals(-a.high(), b.low(), 1e-12);
        assertEquals(a.p(), b.p(), 1e-12);
    }

    @Test
    void fewerThanTwoPairsHaveNoIntervalNorP() {
        PairedStats one = PairedStats.of(List.of(0.03));
        assertEquals(1, one.n());
        assertEquals(0.03, one.mean(), 1e-12);
        assertNull(one.sd());
        assertNull(one.low());
        assertNull(one.high());
        assertNull(one.p());
        PairedStats none = PairedStats.of(List.of());
        assertEquals(0, none.n());
        assertNull(none.mean());
        assertNull(none.p());
    }

    /**
     * Two pairs: +1 and +3, mean 2, sd √2, se 1, t = 2 with 1 degree of freedom (the Cauchy distribution):
     * t(0.975, 1) = 12.706, p = 1 − (2/π)·atan(2) = 0.29517.
     */
    @Test
    void twoPairsUseOneDegreeOfFreedom() {
        PairedStats s = PairedStats.of(List.of(1.0, 3.0));
        assertEquals(12.706, s.tQuantile(), 1e-3);
        assertEquals(2 - 12.706, s.low(), 1e-3);
        assertEquals(2 + 12.706, s.high(), 1e-3);
        assertEquals(1 - 2 / Math.PI * Math.atan(2), s.p(), 1e-9);
    }

    @Test
    void equalDifferencesGiveAZeroWidthInterval() {
        PairedStats s = PairedStats.of(List.of(0.02, 0.02, 0.02));
        assertEquals(0.02, s.low(), 1e-12);
        assertEquals(0.02, s.high(), 1e-12);
        assertEquals(0.0, s.p());
        assertEquals(1.0, PairedStats.of(List.of(0.0, 0.0)).p());
    }

    /** p as the tables print it: two values on either side of 5 % must not both read 0.050. */
    @Test
    void pValuesNearTheFivePercentLevelKeepAFourthDecimal() {
        assertEquals("0.0496", PairedStats.format(0.0496));
        assertEquals("0.0504", PairedStats.format(0.0504));
        assertEquals("0.04996", PairedStats.format(0.04996));
        assertEquals("0.05004", PairedStats.format(0.05004));
        assertEquals("0.142", PairedStats.format(0.14236));
        assertEquals("0.059", PairedStats.format(0.0594));
        assertEquals("< 0.001", PairedStats.format(0.0004));
    }
}
