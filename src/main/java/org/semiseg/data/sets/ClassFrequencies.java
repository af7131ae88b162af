package org.semiseg.data.sets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.semiseg.loss.ClassBalance;

/**
 * Pixel counts per class over a set of masks, and a table of them with the class-balancing weights of Alonso et al.
 * (Eq. 3): {@code alpha_c = sqrt(f_median / f_c)}, {@code f_c} the share of class c among the non-ignored pixels and
 * {@code f_median} the median over the classes that occur ({@link ClassBalance#weights}, which training uses).
 */
public final class ClassFrequencies {
    private ClassFrequencies() {
    }

    /**
     * Decodes the masks of {@code pairs} (pairs without mask are skipped) on {@code threads} threads.
     *
     * @return pixels per class, then one final slot with the ignored pixels (length = classes + 1)
     * @throws org.semiseg.SemisegException if a mask holds a value outside the class set
     */
    public static long[] count(DatasetLayout layout, List<FilePair> pairs, int ignoreIndex, int threads) {
        DataCheck.requireIgnoreIndex(layout, ignoreIndex);
        int n = layout.classNames().size();
        List<FilePair> labeled = pairs.stream().filter(FilePair::labeled).toList();
        List<long[]> perMask = Parallel.map(labeled, threads, pair -> {
            long[] counts = new long[n + 1];
            for (int v : layout.decodeMask(layout.root().resolve(pair.mask()), ignoreIndex)) {
                counts[v >= 0 && v < n ? v : n]++;
            }
            return counts;
        });
        long[] total = new long[n + 1];
        for (long[] counts : perMask) {
            for (int c = 0; c <= n; c++) {
                total[c] += counts[c];
            }
        }
        return total;
    }

    /**
     * A text table: per class its pixels, frequency (share of non-ignored pixels) and weight; classes without pixels
     * get weight 0 and are marked "absent". A final line gives the ignored pixels when {@code counts} has that slot.
     *
     * @param counts one count per class, optionally followed by the ignored pixels (as from {@link #count})
     */
    public static String table(List<String> classNames, long[] counts) {
        int n = classNames.size();
        if (counts.length != n && counts.length != n + 1) {
            throw new IllegalArgumentException(counts.length + " counts for " + n + " classes (expected " + n + " or " + (n + 1) + ")");
        }
        long[] classCounts = Arrays.copyOf(counts, n);
        long labeled = Arrays.stream(classCounts).sum();
        float[] weights = ClassBalance.weights(classCounts);
        int nameWidth = Math.max("class".length(), classNames.stream().mapToInt(String::length).max().orElse(0));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-" + nameWidth + "s %14s %10s %8s", "class", "pixels", "frequency", "weight"));
        for (int c = 0; c < n; c++) {
            boolean absent = classCounts[c] == 0;
            double frequency = labeled == 0 ? 0 : (double) classCounts[c] / labeled;
            lines.add(String.format(Locale.ROOT, "%-" + nameWidth + "s %14d %10.6f %8.4f%s", classNames.get(c), classCounts[c],
                    frequency, absent ? 0.0 : weights[c], absent ? "  absent" : ""));
        }
        if (counts.length == n + 1) {
            long all = labeled + counts[n];
            lines.add(String.format(Locale.ROOT, "%-" + nameWidth + "s %14d %10s (%.4f of all pixels)", "(ignored)", counts[n], "",
                    all == 0 ? 0.0 : (double) counts[n] / all));
        }
        return String.join("\n", lines) + "\n";
    }
}
