package org.semiseg.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.semiseg.SemisegException;
import org.semiseg.bench.GridResults.Run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One pair of rows a grid compares directly, from the grid file's top-level {@code compare}: a list of pairs of row
 * labels as the results show them ({@code METHOD}, or {@code METHOD [TAG]} for a variant, quoted in YAML):
 *
 * <pre>
 * compare: [[memory-bank, classmix], ["u2pl [nocontr]", u2pl]]
 * </pre>
 *
 * <p>Each pair is compared at every labeled ratio both rows have: A's test mIoU minus B's, split by split (the same
 * ratio and seed), with the statistics of {@link PairedStats}. A label that is no row of the grid, a row compared with
 * itself, a pair listed twice (either way round) and two rows that share no split are refused when the grid file is
 * read, before anything trains.
 */
public record GridCompare(String a, String b) {
    /**
     * A pair's result at one ratio: A − B by split.
     *
     * @param seeds       the seeds (splits) both rows have finished, in the grid's order
     * @param differences A's test mIoU minus B's on each of those splits (fractions)
     * @param pairs       their number; the statistics below are null with fewer than 2 ({@link PairedStats})
     */
    public record Comparison(String a, String b, String ratio, List<Long> seeds, List<Double> differences, int pairs,
                             Double diffMean, Double diffStd, Double ciLow, Double ciHigh, Double p) {
    }

    /** Reads {@code compare} (null or absent: none) against the labels of the grid's runs. */
    static List<GridCompare> read(Path file, JsonNode node, List<GridSpec.Cell> cells) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        String where = "grid file " + file + ": compare";
        String syntax = "a list of pairs of row labels, e.g. compare: [[memory-bank, classmix], [\"u2pl [nocontr]\", u2pl]]";
        if (!node.isArray()) {
            throw new SemisegException(where + " must be " + syntax);
        }
        Set<String> labels = new LinkedHashSet<>();
        cells.forEach(c -> labels.add(c.label()));
        List<GridCompare> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode pair = node.get(i);
            String at = where + "[" + i + "]";
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isValueNode() || !pair.get(1).isValueNode()
                    || pair.get(0).asText().isBlank() || pair.get(1).asText().isBlank()) {
                throw new SemisegException(at + " must be a pair of row labels [A, B] (got " + pair + "); the whole key is "
                        + syntax + " (a label with a tag needs quotes)");
            }
            GridCompare c = new GridCompare(pair.get(0).asText().trim(), pair.get(1).asText().trim());
            for (String label : List.of(c.a, c.b)) {
                if (!labels.contains(label)) {
                    throw new SemisegException(at + ": '" + label + "' is no row of the grid (its rows: "
                            + String.join(", ", labels) + ")");
                }
            }
            if (c.a.equals(c.b)) {
                throw new SemisegException(at + ": compares '" + c.a + "' with itself");
            }
            for (GridCompare before : out) {
                if (before.equals(c) || before.equals(new GridCompare(c.b, c.a))) {
                    throw new SemisegException(at + ": " + c.a + " and " + c.b + " are already compared in compare["
                            + out.indexOf(before) + "]");
                }
            }
            boolean shared = cells.stream().anyMatch(x -> x.label().equals(c.a) && cells.stream()
                    .anyMatch(y -> y.label().equals(c.b) && y.ratio().equals(x.ratio()) && y.seed() == x.seed()));
            if (!shared) {
                throw new SemisegException(at + ": '" + c.a + "' and '" + c.b + "' share no split (labeled ratio and seed),"
                        + " so there is nothing to pair");
            }
            out.add(c);
        }
        return List.copyOf(out);
    }

    /** Every pair at every ratio both rows have, in the order of the pairs, then of the ratios in the runs. */
    static List<Comparison> of(List<GridCompare> pairs, List<Run> runs) {
        List<Comparison> out = new ArrayList<>();
        for (GridCompare pair : pairs) {
            Set<String> ratios = new LinkedHashSet<>();
            for (Run r : runs) {
                if (r.label().equals(pair.a) && runs.stream().anyMatch(o -> o.label().equals(pair.b)
                        && o.ratio().equals(r.ratio()))) {
                    ratios.add(r.ratio());
                }
            }
            for (String ratio : ratios) {
                out.add(pair.at(ratio, runs));
            }
        }
        return out;
    }

    private Comparison at(String ratio, List<Run> runs) {
        List<Long> seeds = new ArrayList<>();
        List<Double> differences = new ArrayList<>();
        for (Run r : runs) {
            if (!r.label().equals(a) || !r.ratio().equals(ratio) || !r.status().equals("finished")) {
                continue;
            }
            for (Run o : runs) {
                if (o.label().equals(b) && o.ratio().equals(ratio) && o.seed() == r.seed() && o.status().equals("finished")) {
                    seeds.add(r.seed());
                    differences.add(r.testMiou() - o.testMiou());
                    break;
                }
            }
        }
        PairedStats s = PairedStats.of(differences);
        return new Comparison(a, b, ratio, seeds, differences, s.n(), s.mean(), s.sd(), s.low(), s.high(), s.p());
    }
}
