package org.semiseg.cli;

import org.semiseg.bench.GridCheck;
import org.semiseg.bench.GridResults;
import org.semiseg.bench.GridRunner;
import org.semiseg.bench.GridSpec;
import org.semiseg.io.FolderLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code semiseg bench}: a grid of methods (and variants) x labeled ratios x split seeds, then one table of results. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Train and evaluate a grid of methods x labeled ratios x split seeds from one YAML file "
                + "(see bench/grids/camvid.yaml); writes results.json, results.md and report.html into the grid's "
                + "results folder (its 'results' key; default: its 'out' folder). Paths in the grid file are relative to it.",
                "Every run's config, method and data are checked before the first one trains. Finished runs are skipped "
                        + "and interrupted ones resumed, so the same command continues a stopped grid.",
                "One bench per grid folder: a second one started on the same 'out' stops at once (exit 2)."})
public final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "GRID", description = "the grid's YAML file")
    Path grid;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a config key of every run, after the grid's own 'set' and a group's 'set' (repeatable),"
                    + " e.g. --set train.iterations=2")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "put the run folders and the results here instead of the"
            + " grid's out and results (e.g. for a short trial with --set train.iterations=20)")
    Path out;

    @Option(names = "--dry-run", description = "train nothing: check every run (config keys, method, data, test split, run"
            + " folders) and list each with its resolved config")
    boolean dryRun;

    @Option(names = "--summary-only", description = "train nothing: write the results and the grid's report from the runs so far")
    boolean summaryOnly;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public Integer call() {
        GridSpec spec = GridSpec.read(grid, overrides);
        StringBuilder command = new StringBuilder("./semiseg bench " + grid);
        overrides.forEach(o -> command.append(" --set ").append(o));
        if (out != null) {
            spec = spec.withOut(out);
            command.append(" --out ").append(out);
        }
        if (dryRun) {
            List<GridCheck.Planned> planned = GridCheck.check(spec);
            System.out.print(GridCheck.describe(spec, planned));
            System.out.println("ok: the " + planned.size() + " runs' configs, methods and data are checked; nothing was"
                    + " trained (--dry-run)");
            return 0;
        }
        if (summaryOnly) {
            GridResults.write(spec, command.toString());
            System.out.println("results: " + spec.results().resolve("results.md"));
            return 0;
        }
        int failed;
        // a second bench on the same grid (a common slip with background jobs) is refused before it reads a run; a grid
        // folder that does not exist yet is locked by the runner once every run is checked, so that a grid refused by
        // its checks leaves no folder behind
        try (FolderLock lock = Files.isDirectory(spec.out()) ? FolderLock.acquire(spec.out(), "grid folder") : null) {
            AtomicBoolean stop = new AtomicBoolean();
            TrainCommand.installSignalHandlers(stop);
            failed = new GridRunner(spec, command.toString(), System.err, stop::get).run();
        }
        List<String> costs = GridResults.costWarnings(spec);
        if (!costs.isEmpty()) {
            System.err.println("semiseg: warning: the step times of " + costs.size() + " run(s) are not reliable, and the"
                    + " cost table says so: " + String.join(" | ", costs));
        }
        System.out.println("results: " + spec.results().resolve("results.md"));
        if (failed > 0) {
            System.err.println("semiseg: error: " + failed + " run(s) of the grid failed (see their lines above)");
            return 1;
        }
        return 0;
    }
}
