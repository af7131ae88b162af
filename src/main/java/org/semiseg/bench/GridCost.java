package org.semiseg.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The step-time columns of a grid's results: each method's extra cost over supervised on the same split, and when
 * those figures are not to be trusted.
 */
final class GridCost {
    private GridCost() {
    }

    /**
     * Other processes' mean share of the machine's CPU while a run trained above which its step times count as not
     * comparable (a quarter of the machine: on 2 cores, one other busy thread is half).
     */
    public static final double SHARED_CPU = 0.25;
    /** Log intervals with step times (the first, which holds the native library's warm-up, not counted) below which a run is too short to time. */
    public static final int MIN_TIMED_INTERVALS = 3;

    /** The method's own extra work per step: its compute time minus supervised's at the same ratio and seed. */
    static List<GridResults.Run> withExtra(List<GridResults.Run> runs) {
        List<GridResults.Run> out = new ArrayList<>();
        for (GridResults.Run r : runs) {
            GridResults.Run s = GridSummaries.baseline(runs, r);
            boolean timed = s != null && s.computeMs() != null && r.computeMs() != null;
            out.add(r.withExtraMs(timed ? r.computeMs() - s.computeMs() : null));
        }
        return out;
    }

    /**
     * Flags step times that are not comparable: a run that shared the machine (other processes' mean CPU share above
     * {@link #SHARED_CPU}, sampled while it trained), one timed over fewer than {@link #MIN_TIMED_INTERVALS} log
     * intervals, an extra cost measured against a supervised baseline with either problem, and a negative extra cost
     * (the method's step cannot be cheaper than supervised's on the same split: one of the two was slowed).
     */
    static List<GridResults.Run> withCostNotes(List<GridResults.Run> runs) {
        List<GridResults.Run> out = new ArrayList<>();
        for (GridResults.Run r : runs) {
            if (r.computeMs() == null) {
                out.add(r);
                continue;
            }
            List<String> notes = new ArrayList<>(ownProblems(r));
            GridResults.Run b = GridSummaries.baseline(runs, r);
            if (b != null && b != r && b.computeMs() != null && !ownProblems(b).isEmpty()) {
                notes.add("its supervised baseline " + b.name() + ": " + String.join("; ", ownProblems(b)));
            }
            if (r.extraMs() != null && r.extraMs() < 0) {
                notes.add(String.format(Locale.ROOT, "negative extra cost (%.0f ms/step): it cannot be cheaper"
                        + " than supervised on the same split, so one of the two was slowed by other work", r.extraMs()));
            }
            out.add(notes.isEmpty() ? r : r.withCostNote(String.join("; ", notes)));
        }
        return out;
    }

    static List<String> ownProblems(GridResults.Run r) {
        List<String> notes = new ArrayList<>();
        if (r.otherCpu() != null && r.otherCpu() > SHARED_CPU) {
            notes.add(String.format(Locale.ROOT, "shared the machine (other processes used %.0f %% of its CPU"
                    + " while it trained)", 100 * r.otherCpu()));
        }
        if (r.timedIntervals() != null && r.timedIntervals() < MIN_TIMED_INTERVALS) {
            notes.add("too short to time (" + r.timedIntervals() + " timed log interval" + (r.timedIntervals() == 1 ? "" : "s") + ")");
        }
        return notes;
    }

}
