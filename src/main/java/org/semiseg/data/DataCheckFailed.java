package org.semiseg.data;

import org.semiseg.SemisegException;
import org.semiseg.data.sets.CheckReport;
import org.semiseg.data.sets.DatasetLayout;
import org.semiseg.data.sets.Problem;

/** A data check that found problems; the message names the first, {@link #report()} holds them all. */
public final class DataCheckFailed extends SemisegException {
    private final transient CheckReport report;

    public DataCheckFailed(DatasetLayout layout, CheckReport report) {
        super(message(layout, report));
        this.report = report;
    }

    public CheckReport report() {
        return report;
    }

    private static String message(DatasetLayout layout, CheckReport report) {
        int n = report.problems().size();
        Problem first = report.problems().get(0);
        return "data check of " + layout.name() + " at " + layout.root() + " found " + n + " problem" + (n == 1 ? "" : "s")
                + "; first: " + first.file() + ": " + first.what()
                + (report.hints().isEmpty() ? "" : "; hint: " + report.hints().get(0));
    }
}
