package org.semiseg.data.sets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DataCheck} found.
 *
 * @param imagesPerSplit  number of images per split, in the order checked
 * @param labeledPerSplit number of those with a mask
 * @param problems        every problem, listing problems first, in a deterministic order
 * @param hints           suggestions for fixing them (e.g. name patterns under which unpaired files would pair)
 */
public record CheckReport(Map<String, Integer> imagesPerSplit, Map<String, Integer> labeledPerSplit, List<Problem> problems,
                          List<String> hints) {
    /** How many problems {@link #summary()} lists before "... and N more". */
    public static final int SHOWN = 50;

    public CheckReport {
        imagesPerSplit = Collections.unmodifiableMap(new LinkedHashMap<>(imagesPerSplit));
        labeledPerSplit = Collections.unmodifiableMap(new LinkedHashMap<>(labeledPerSplit));
        problems = List.copyOf(problems);
        hints = List.copyOf(hints);
    }

    /** A report without hints. */
    public CheckReport(Map<String, Integer> imagesPerSplit, Map<String, Integer> labeledPerSplit, List<Problem> problems) {
        this(imagesPerSplit, labeledPerSplit, problems, List.of());
    }

    /** Whether no problem was found. */
    public boolean ok() {
        return problems.isEmpty();
    }

    /** Images per split, then the first {@value #SHOWN} problems as {@code "  FILE: what"}, one per line, then the hints. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Integer> split : imagesPerSplit.entrySet()) {
            text.append(split.getKey()).append(": ").append(split.getValue()).append(split.getValue() == 1 ? " image" : " images")
                    .append(", ").append(labeledPerSplit.getOrDefault(split.getKey(), 0)).append(" with masks\n");
        }
        if (problems.isEmpty()) {
            return text.append("no problems found\n").toString();
        }
        text.append(problems.size()).append(problems.size() == 1 ? " problem:\n" : " problems:\n");
        for (Problem problem : problems.subList(0, Math.min(SHOWN, problems.size()))) {
            text.append("  ").append(problem.file()).append(": ").append(problem.what()).append('\n');
        }
        if (problems.size() > SHOWN) {
            text.append("  ... and ").append(problems.size() - SHOWN).append(" more\n");
        }
        for (String hint : hints) {
            text.append("hint: ").append(hint).append('\n');
        }
        return text.toString();
    }
}
