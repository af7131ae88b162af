package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.report.GridReport;
import org.semiseg.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code semiseg report}: rebuilds report.html of a run (or of a benchmark grid) from its files, loading no model. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild report.html of a run directory from config.yaml, metrics.jsonl and report/; given a"
                + " grid directory (one holding results.json, from `semiseg bench`), write the grid's report instead.")
public final class ReportCommand implements Callable<Integer> {
    @Option(names = "--run", paramLabel = "DIR", required = true, description = "run directory, or grid directory")
    Path run;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public Integer call() {
        if (!Files.isDirectory(run)) {
            throw new SemisegException("run directory " + run + " does not exist");
        }
        boolean grid = Files.exists(run.resolve(GridReport.RESULTS)) && !Files.exists(run.resolve("metrics.jsonl"));
        if (!grid && !Files.exists(run.resolve("metrics.jsonl"))) {
            throw new SemisegException(run + " holds neither metrics.jsonl (a run directory) nor "
                    + GridReport.RESULTS + " (a grid directory)");
        }
        Path written = grid ? GridReport.write(run) : RunReport.write(run);
        System.out.println("wrote " + written);
        return 0;
    }
}
