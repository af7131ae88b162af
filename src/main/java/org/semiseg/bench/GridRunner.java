package org.semiseg.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.eval.EvalReport;
import org.semiseg.eval.EvalResult;
import org.semiseg.io.AtomicFiles;
import org.semiseg.io.FolderLock;
import org.semiseg.train.RunDirectory;
import org.semiseg.train.TrainSetup;
import org.semiseg.train.TrainedModel;
import org.semiseg.train.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs the cells of a {@link GridSpec} one after another, each into an ordinary run directory under the grid's
 * {@code out}: a finished run is skipped, an interrupted one resumed from its last checkpoint, and each finished
 * run's best checkpoint (selected on val) is evaluated on the grid's test split into {@code eval-<split>.json}.
 * After every run the grid's results are written again, so a grid stopped half-way has its table so far. Each cell's
 * run folder is locked ({@link FolderLock}) while the grid trains, evaluates or books it, and the grid folder from the
 * end of the checks to the end of the run (the caller may take it earlier, before the checks read the folder).
 */
public final class GridRunner {
    /** Per-run bookkeeping of the bench beside the run's own files: wall time and labeled-image count. */
    static final String BENCH_JSON = "bench.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final GridSpec grid;
    private final PrintStream log;
    private final BooleanSupplier stopRequested;
    private final String command;

    public GridRunner(GridSpec grid, String command, PrintStream log, BooleanSupplier stopRequested) {
        this.grid = grid;
        this.command = command;
        this.log = log;
        this.stopRequested = stopRequested;
    }

    /**
     * Checks every cell ({@link GridCheck}) before anything trains, then runs every unfinished cell; returns the
     * number of cells whose training failed (diverged).
     */
    public int run() {
        List<GridCheck.Planned> planned = GridCheck.check(grid);
        long todo = planned.stream().filter(p -> !p.state().equals("finished") && !p.state().equals(RECORDED)).count();
        log.println("bench: checked the " + planned.size() + " runs of " + grid.file() + " (configs, methods, data); "
                + todo + " to train");
        int failed = 0;
        List<GridSpec.Cell> cells = grid.cells();
        GridRecorded recorded = GridRecorded.read(grid);
        try (FolderLock gridLock = FolderLock.acquire(grid.out(), "grid folder")) {
            for (int i = 0; i < cells.size(); i++) {
                GridSpec.Cell cell = cells.get(i);
                String tag = "bench: [" + (i + 1) + "/" + cells.size() + "] " + cell.runName();
                RunDirectory run = new RunDirectory(grid.out().resolve(cell.runName()));
                int iterations = grid.configOf(cell).train().iterations();
                GridResults.Run kept = recorded.of(cell, iterations, run.root());
                if (kept != null) {
                    log.println(tag + ": kept as results.json records it (its run folder is gone; keep_recorded): "
                            + grid.testSplit() + " mIoU " + String.format(java.util.Locale.ROOT, "%.2f", 100 * kept.testMiou()));
                    continue;
                }
                try (FolderLock lock = run.lock()) {
                    RunState state = RunState.of(run, iterations);
                    if (state != RunState.FINISHED) {
                        failed += train(cell, run, state, tag) ? 0 : 1;
                    }
                    if (RunState.of(run, iterations) == RunState.FINISHED
                            && !Files.isRegularFile(testEvalFile(run.root(), grid.testSplit()))) {
                        log.println(tag + ": evaluating the best checkpoint on " + grid.testSplit());
                        evaluate(run);
                        log.println(tag + ": " + GridResults.resultLine(grid, cell));
                    } else if (state == RunState.FINISHED) {
                        log.println(tag + ": finished, skipped (" + GridResults.resultLine(grid, cell) + ")");
                    }
                } finally {
                    GridResults.write(grid, command);
                }
            }
        }
        return failed;
    }

    /** A planned cell's state when {@link GridRecorded} keeps its record instead of training it. */
    static final String RECORDED = "recorded";

    /** The file a finished run's test evaluation goes to. */
    static Path testEvalFile(Path runRoot, String split) {
        return runRoot.resolve("eval-" + split + ".json");
    }

    /** Trains (or resumes) one cell; false when the run diverged. Wall time is added to bench.json either way (as it goes). */
    private boolean train(GridSpec.Cell cell, RunDirectory run, RunState state, String tag) {
        boolean resume = state == RunState.PARTIAL;
        Config config = resume ? ConfigLoader.loadResolved(run.config()) : grid.configOf(cell);
        SegmentTime time = new SegmentTime(run.root(), System::nanoTime, SegmentTime.FLUSH_EVERY_NANOS,
                CpuShare.ofThisMachine(System.nanoTime()));
        try (TrainSetup setup = TrainSetup.prepare(config, run, resume, !resume && run.holdsRun())) {
            setup.commit();
            int labeled = setup.data().labeled().size();
            time.labeled(labeled);
            log.println(tag + ": " + (resume ? "resuming at iteration " + setup.startIteration() : "training")
                    + " (" + setup.imagesRead() + ")");
            new Trainer(setup, log, done -> {
                time.tick();
                return stopRequested.getAsBoolean();
            }).run();
            return true;
        } catch (Trainer.Diverged e) {
            log.println(tag + ": failed: " + e.getMessage());
            return false;
        } finally {
            time.close();
        }
    }

    /**
     * One training segment's wall time, added to the run's bench.json as the segment goes (every
     * {@link #FLUSH_EVERY_NANOS}) and at its end, so that a process killed outright (SIGKILL, a machine restart)
     * loses at most the last interval instead of the whole segment. The segment counts once. Other processes' share
     * of the CPU ({@link CpuShare}) is added the same way.
     */
    static final class SegmentTime {
        static final long FLUSH_EVERY_NANOS = 60_000_000_000L;
        private final Path runRoot;
        private final LongSupplier nanos;
        private final long flushEvery;
        private final CpuShare cpu;
        private long flushedAt;
        private boolean counted;
        private Integer labeled;
        private String machine = MachineName.ofThisMachine();

        SegmentTime(Path runRoot, LongSupplier nanos, long flushEvery) {
            this(runRoot, nanos, flushEvery, new CpuShare(() -> -1, () -> -1, nanos.getAsLong()));
        }

        SegmentTime(Path runRoot, LongSupplier nanos, long flushEvery, CpuShare cpu) {
            this.runRoot = runRoot;
            this.nanos = nanos;
            this.flushEvery = flushEvery;
            this.cpu = cpu;
            this.flushedAt = nanos.getAsLong();
        }

        void labeled(int images) {
            labeled = images;
        }

        /** The machine this segment trains on (default: this one, {@link MachineName}). */
        void machine(String name) {
            machine = name;
        }

        /** Called after each iteration: writes the time so far once an interval has passed. */
        void tick() {
            long now = nanos.getAsLong();
            cpu.tick(now);
            if (now - flushedAt >= flushEvery) {
                flush();
            }
        }

        /** The segment's end: writes the rest. */
        void close() {
            flush();
        }

        private void flush() {
            long now = nanos.getAsLong();
            if (addWallTime(runRoot, (now - flushedAt) / 1e9, labeled, !counted, cpu.drain(), machine)) {
                counted = true;
                flushedAt = now;
            }
        }
    }

    private void evaluate(RunDirectory run) {
        try (TrainedModel model = TrainedModel.fromRun(run.root(), List.of())) {
            EvalResult result = model.evaluate(grid.testSplit());
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("checkpoint", run.root().relativize(model.checkpoint()).toString());
            EvalReport.writeJson(testEvalFile(run.root(), grid.testSplit()), result, extra);

        } catch (IOException e) {
            org.semiseg.io.OutOfSpace.ifFull(e, testEvalFile(run.root(), grid.testSplit()));
            throw new SemisegException("cannot write " + testEvalFile(run.root(), grid.testSplit()) + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean addWallTime(Path runRoot, double seconds, Integer labeled, boolean newSegment, double[] cpu,
                                       String machine) {
        Path file = runRoot.resolve(BENCH_JSON);
        if (!Files.isDirectory(runRoot)) {
            return false;  // the start failed before the folder existed
        }
        try {
            Map<String, Object> m = Files.isRegularFile(file) ? JSON.readValue(file.toFile(), Map.class) : new LinkedHashMap<>();
            double before = m.get("wall_s") instanceof Number n ? n.doubleValue() : 0;
            m.put("wall_s", before + seconds);
            m.put("segments", (m.get("segments") instanceof Number n ? n.intValue() : 0) + (newSegment ? 1 : 0));
            if (labeled != null) {
                m.put("labeled_images", labeled);
            }
            // every machine a segment trained on, in order (MachineName)
            List<Object> machines = m.get("machines") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
            if (!machines.contains(machine)) {
                machines.add(machine);
            }
            m.put("machines", machines);
            if (cpu[1] > 0) {
                // other processes' CPU share: the sum and count of the samples, and their mean over every segment
                double sum = (m.get("other_cpu_sum") instanceof Number n ? n.doubleValue() : 0) + cpu[0];
                int count = (m.get("cpu_samples") instanceof Number n ? n.intValue() : 0) + (int) cpu[1];
                m.put("other_cpu_sum", sum);
                m.put("cpu_samples", count);
                m.put("other_cpu", sum / count);
            }
            AtomicFiles.writeString(file, JSON.writeValueAsString(m));
            return true;
        } catch (IOException e) {
            org.semiseg.io.OutOfSpace.ifFull(e, file);
            throw new SemisegException("cannot update " + file + ": " + e.getMessage());
        }
    }

    /** How far a cell's run directory is. */
    enum RunState {
        /** Nothing there yet (or a start that never wrote a checkpoint). */
        NEW,
        /** A last checkpoint before the final iteration: resume it. */
        PARTIAL,
        /** Trained to the end and validated at its final iteration. */
        FINISHED;

        static RunState of(RunDirectory run, int iterations) {
            if (GridResults.lastEvalIteration(run.metrics()) >= iterations && Files.isRegularFile(run.evalJson())) {
                return FINISHED;
            }
            return Files.isRegularFile(run.last().resolve("state.json")) ? PARTIAL : NEW;
        }
    }
}
