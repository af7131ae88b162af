package org.semiseg.bench;

import org.apache.commons.math3.distribution.TDistribution;

import java.util.List;

/**
 * Statistics of paired differences (a method's test mIoU minus supervised's, or one method's minus another's, split by
 * split): their mean, the 95 % confidence interval from Student's t distribution over the splits, and the two-sided
 * p-value of the paired t-test (the null hypothesis: the mean difference is 0). With fewer than 2 differences there
 * is no standard deviation, so no interval and no p-value (null).
 *
 * <p>{@code sd} is the sample standard deviation (n − 1 in its denominator), {@code se = sd / √n}, {@code t = mean /
 * se} with n − 1 degrees of freedom; the interval is {@code mean ± t(0.975, n − 1) · se} and {@code p = 2 · P(T ≤
 * −|t|)}. Differences that are all equal ({@code sd = 0}) give a zero-width interval and p = 0 (or 1 when they are all
 * 0): the limits of the formulas. The t distribution is commons-math3's {@link TDistribution}.
 *
 * @param n         the number of pairs (splits)
 * @param mean      the mean difference; null when n = 0
 * @param sd        the sample standard deviation of the differences; null when n &lt; 2
 * @param tQuantile t(0.975, n − 1), the half-width of the interval in standard errors; null when n &lt; 2
 * @param low       the interval's lower end; null when n &lt; 2
 * @param high      the interval's upper end; null when n &lt; 2
 * @param p         the two-sided p-value of the paired t-test; null when n &lt; 2
 */
public record PairedStats(int n, Double mean, Double sd, Double tQuantile, Double low, Double high, Double p) {
    /** The confidence level of the intervals. */
    public static final double LEVEL = 0.95;

    /**
     * How the statistics are made, said once in results.md, results.json ({@code statistics}) and the grid page.
     */
    public static final String RULE = "Paired by split: a row's mIoU on the test split minus plain supervised's on the "
            + "same labeled split (the same seed; for a compared pair, A's minus B's), over the n splits both have finished. Mean "
            + "difference with its 95 % confidence interval from Student's t distribution, mean \u00b1 t(0.975, n\u22121) "
            + "\u00b7 sd/\u221an (sd the sample standard deviation of the differences, n\u22121 in its denominator), and "
            + "the two-sided p-value of the paired t-test (null hypothesis: mean difference 0); n < 2 gives neither. "
            + "No correction for multiple comparisons: with several rows one p below 0.05 may come by chance. "
            + "With few splits the interval is wide, and it assumes the differences are roughly normal.";

    /** The statistics of {@code differences}, in their own unit (fractions of mIoU here). */
    public static PairedStats of(List<Double> differences) {
        int n = differences.size();
        if (n == 0) {
            return new PairedStats(0, null, null, null, null, null, null);
        }
        double mean = differences.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        if (n < 2) {
            return new PairedStats(n, mean, null, null, null, null, null);
        }
        double ss = differences.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum();
        double sd = Math.sqrt(ss / (n - 1));
        double se = sd / Math.sqrt(n);
        // no random generator: only the distribution's functions are used
        TDistribution t = new TDistribution(null, n - 1);
        double q = t.inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
        double p;
        if (se > 0) {
            p = Math.min(1, 2 * t.cumulativeProbability(-Math.abs(mean / se)));
        } else {
            p = mean == 0 ? 1 : 0;
        }
        return new PairedStats(n, mean, sd, q, mean - q * se, mean + q * se, p);
    }

    /**
     * A p-value as the tables print it: 3 decimals, "< 0.001" below that, and as many more (up to 8) as it takes where
     * 3 would print 0.050 (0.0496 and 0.0504, or 0.04996 and 0.05004, fall on either side of the 5 % level).
     */
    public static String format(double p) {
        if (p < 0.001) {
            return "< 0.001";
        }
        String text = String.format(java.util.Locale.ROOT, "%.3f", p);
        for (int digits = 4; text.matches("0\\.050*") && p != 0.05 && digits <= 8; digits++) {
            text = String.format(java.util.Locale.ROOT, "%." + digits + "f", p);
        }
        return text;
    }
}
