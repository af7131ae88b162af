package org.semiseg.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.semiseg.bench.GridResults.Run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A grid's rows: one per method, variant and labeled ratio, with the mean over its finished seeds and its gain over
 * supervised paired by split. Every row is paired with <em>plain</em> supervised (no variant's tag) at the same ratio
 * and seed, the same labeled images: a method, a variant of a method ({@code u2pl [nocontr]}) and a variant of
 * supervised itself ({@code supervised [uniweak]}) alike; plain supervised is the baseline and has no gain.
 */
final class GridSummaries {
    private GridSummaries() {
    }

    /**
     * Mean over the finished seeds of one row (method, variant tag, ratio). {@code gain*}: the row's test mIoU minus
     * plain supervised's on the same split, over the seeds both have finished ({@code gainSeeds}), with the 95 % t
     * interval of its mean ({@code gainCiLow}, {@code gainCiHigh}) and the paired t-test's two-sided p-value
     * ({@code gainP}; all three null with fewer than 2 pairs, see {@link PairedStats}); {@code gap}: plain supervised on
     * every label (mean over its finished seeds) minus plain supervised at this ratio on the same paired splits as the
     * gain (so a row with fewer finished splits than supervised gets its own gap); {@code gapShare}: the gain over that
     * gap, which is the difference of the paired means over the gap.
     *
     * @param tag   the variant's tag; null for a plain row
     * @param label the row's name in tables: {@code METHOD} or {@code METHOD [TAG]}
     */
    public record Summary(String method, String tag, String label, String ratio, List<Long> seeds, int finished,
                          Double testMiouMean, Double testMiouStd, Double valMiouMean, List<Double> classIouMean,
                          Double gainMean, Double gainStd, Integer gainSeeds, Double gainCiLow, Double gainCiHigh,
                          Double gainP, Double gap, Double gapShare,
                          @JsonProperty("wall_s_mean") Double wallSMean, Double dataMs, Double computeMs, Double extraMs,
                          boolean costReliable) {
        Summary withGain(PairedStats gain, Double gap, Double share) {
            return new Summary(method, tag, label, ratio, seeds, finished, testMiouMean, testMiouStd, valMiouMean,
                    classIouMean, gain.mean(), gain.sd(), gain.n(), gain.low(), gain.high(), gain.p(), gap, share,
                    wallSMean, dataMs, computeMs, extraMs, costReliable);
        }
    }

    /** What identifies a row: the runs of one method and variant at one ratio, over the seeds. */
    private record Row(String method, String tag, String ratio) {
        static Row of(Run r) {
            return new Row(r.method(), r.tag(), r.ratio());
        }

        boolean plainSupervised() {
            return method.equals("supervised") && tag == null;
        }
    }

    /** Plain supervised at the same ratio and seed (the same labeled split) as {@code r}; null when the grid has none. */
    static Run baseline(List<Run> runs, Run r) {
        return runs.stream().filter(s -> Row.of(s).plainSupervised() && s.ratio().equals(r.ratio()) && s.seed() == r.seed())
                .findFirst().orElse(null);
    }

    /** The rows in the order their first run appears, each with its paired gain (none for plain supervised). */
    static List<Summary> of(List<Run> runs) {
        Map<Row, List<Run>> rows = new LinkedHashMap<>();
        for (Run r : runs) {
            rows.computeIfAbsent(Row.of(r), k -> new ArrayList<>()).add(r);
        }
        List<Summary> plain = new ArrayList<>();
        rows.forEach((row, group) -> plain.add(means(row, group)));
        // the gap: between plain supervised at a ratio and plain supervised on every label
        Summary upper = plain.stream().filter(s -> isPlainSupervised(s) && isAll(s.ratio())).findFirst().orElse(null);
        List<Summary> out = new ArrayList<>();
        for (Summary s : plain) {
            if (isPlainSupervised(s)) {
                out.add(s);
                continue;
            }
            out.add(withGain(s, rows.get(new Row(s.method(), s.tag(), s.ratio())), runs, upper));
        }
        return out;
    }

    private static boolean isPlainSupervised(Summary s) {
        return new Row(s.method(), s.tag(), s.ratio()).plainSupervised();
    }

    /** One row's means over its finished runs, without the gain. */
    private static Summary means(Row row, List<Run> group) {
        List<Run> done = group.stream().filter(r -> r.status().equals("finished")).toList();
        List<Double> classMean = null;
        if (!done.isEmpty()) {
            int n = done.get(0).testClassIou().size();
            classMean = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                final int cls = c;
                classMean.add(mean(done, r -> r.testClassIou().get(cls) == null ? Double.NaN : r.testClassIou().get(cls)));
            }
        }
        return new Summary(row.method(), row.tag(), GridSpec.Cell.label(row.method(), row.tag()), row.ratio(),
                group.stream().map(Run::seed).toList(), done.size(), mean(done, Run::testMiou), std(done, Run::testMiou),
                mean(done, Run::valMiou), classMean, null, null, null, null, null, null, null, null,
                mean(done, r -> r.wallS() == null ? Double.NaN : r.wallS()),
                mean(done, r -> r.dataMs() == null ? Double.NaN : r.dataMs()),
                mean(done, r -> r.computeMs() == null ? Double.NaN : r.computeMs()),
                mean(done, r -> r.extraMs() == null ? Double.NaN : r.extraMs()),
                done.stream().allMatch(r -> r.costNote() == null));
    }

    /**
     * The row's gain over plain supervised on the same splits (seed by seed, where both finished), and the share of
     * the gap between plain supervised at the ratio, on those same splits, and on every label ({@code upper}) that it
     * closes.
     */
    private static Summary withGain(Summary s, List<Run> group, List<Run> runs, Summary upper) {
        List<Double> gains = new ArrayList<>();
        double lowerSum = 0;
        for (Run r : group) {
            Run b = baseline(runs, r);
            if (r.status().equals("finished") && b != null && b.status().equals("finished")) {
                gains.add(r.testMiou() - b.testMiou());
                lowerSum += b.testMiou();
            }
        }
        if (gains.isEmpty()) {
            return s;
        }
        PairedStats stats = PairedStats.of(gains);
        Double gap = null;
        Double share = null;
        if (upper != null && upper.testMiouMean() != null && !isAll(s.ratio())) {
            gap = upper.testMiouMean() - lowerSum / gains.size();
            share = gap > GAP_EPSILON ? stats.mean() / gap : null;
        }
        return s.withGain(stats, gap, share);
    }

    /** A gap at or below this (in mIoU, 0-1) closes nothing: no share is computed. */
    static final double GAP_EPSILON = 1e-9;

    static boolean isAll(String ratio) {
        return ratio.equals("all") || ratio.equals("1") || ratio.equals("1/1");
    }

    private static Double mean(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).toArray();
        return v.length == 0 ? null : Arrays.stream(v).average().orElseThrow();
    }

    private static Double std(List<Run> runs, ToDoubleFunction<Run> f) {
        if (runs.size() < 2) {
            return null;
        }
        double m = mean(runs, f);
        double ss = runs.stream().mapToDouble(r -> (f.applyAsDouble(r) - m) * (f.applyAsDouble(r) - m)).sum();
        return Math.sqrt(ss / (runs.size() - 1));
    }
}
