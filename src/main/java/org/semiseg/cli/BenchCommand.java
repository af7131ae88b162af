package org.semiseg.cli;

import org.semiseg.bench.GridResults;
import org.semiseg.bench.GridRunner;
import org.semiseg.bench.GridSpec;
import org.semiseg.io.FolderLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code semiseg bench}: a grid of methods x labeled ratios x split seeds, then one table of results. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Train and evaluate a grid of methods x labeled ratios x split seeds from one YAML file "
                + "(see bench/grids/camvid.yaml); writes results.json and results.md into the grid's out folder.",
                "Finished runs are skipped and interrupted ones resumed, so the same command continues a stopped grid.",
                "One bench per grid folder: a second one started on the same 'out' stops at once (exit 2)."})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "GRID", description = "the grid's YAML file")
    Path grid;

    @Option(names = "--summary-only", description = "train nothing: write the results and the grid's report from the runs so far")
    boolean summaryOnly;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public Integer call() {
        GridSpec spec = GridSpec.read(grid);
        String command = "./semiseg bench " + grid;
        if (summaryOnly) {
            GridResults.write(spec, command);
            System.out.println("results: " + spec.results().resolve("results.md"));
            return 0;
        }
        int failed;
        // a second bench on the same grid (a common slip with background jobs) is refused before it reads a run
        try (FolderLock lock = FolderLock.acquire(spec.out(), "grid folder")) {
            AtomicBoolean stop = new AtomicBoolean();
            TrainCommand.installSignalHandlers(stop);
            failed = new GridRunner(spec, command, System.err, stop::get).run();
        }
        System.out.println("results: " + spec.results().resolve("results.md"));
        if (failed > 0) {
            System.err.println("semiseg: error: " + failed + " run(s) of the grid failed (see their lines above)");
            return 1;
        }
        return 0;
    }
}
