package org.semiseg.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import org.semiseg.config.Config;
import org.semiseg.data.Seeds;
import org.semiseg.eval.EvalResult;
import org.semiseg.io.Backoff;
import org.semiseg.io.OutOfSpace;
import org.semiseg.method.Step;
import org.semiseg.method.StepResult;
import org.semiseg.SemisegException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The one training loop. Each iteration: take the prefetched batch, let the method compute its loss terms inside a
 * gradient collector, back-propagate their sum, update with SGD at the poly learning rate; then log, evaluate and
 * checkpoint on schedule. All arrays of a step live in a sub-manager closed at the end of the step.
 */
public final class Trainer {
    private final TrainSetup setup;
    private final PrintStream err;
    private final IntPredicate stopAfter;
    private Map<String, EvalResult> finalResults = Map.of();

    /**
     * @param stopAfter asked after each iteration with the number of iterations done; true stops the run there
     *                  (after writing the last checkpoint), as on SIGINT
     */
    public Trainer(TrainSetup setup, PrintStream err, IntPredicate stopAfter) {
        this.setup = setup;
        this.err = err;
        this.stopAfter = stopAfter;
    }

    /**
     * The final validation result of each domain by name, after {@link #run()} (one, named null, for a run on one
     * dataset).
     */
    public Map<String, EvalResult> finalResults() {
        return finalResults;
    }

    /**
     * Runs from the setup's start iteration to the end (or to a stop request); returns the final validation result
     * (with several domains, the first domain's; {@link #finalResults} has each).
     *
     * @throws OutOfSpace when a checkpoint or metrics write finds the disk full: the run stops there, its last
     *                    complete checkpoint intact, and the message says where {@code --resume} continues from
     */
    public EvalResult run() {
        int[] lastSaved = {setup.resumed() ? setup.startIteration() : -1};
        try {
            return run(lastSaved);
        } catch (OutOfSpace e) {
            throw e.withHint(lastSaved[0] >= 0
                    ? setup.run().last() + " holds iteration " + lastSaved[0] + "; free some space, then continue with --resume"
                    : "no checkpoint was written yet; free some space, then start again with --force");
        }
    }

    private EvalResult run(int[] lastSaved) {
        Config config = setup.config();
        NDManager base = setup.manager();
        List<TrainDomain> domains = setup.domains();
        int iterations = config.train().iterations();
        PolyLr schedule = new PolyLr(config.train().lr(), iterations, config.train().polyPower());
        ParameterStore parameters = new ParameterStore(base, false);
        Progress progress = new Progress(err, iterations, System.console() != null);
        Validation validation = new Validation(setup, parameters, err);
        try (MetricsLog metrics = MetricsLog.open(setup.run().metrics(), setup.resumed() ? setup.startIteration() : -1);
             DomainBatches.All all = DomainBatches.All.of(domains, setup.startIteration())) {
            List<DomainBatches> loaders = all.list();
            // images per second count every domain's labeled batch
            int batch = loaders.stream().mapToInt(DomainBatches::batchSize).sum();
            StepTimer timer = new StepTimer();
            double lastLoss = Double.NaN;
            StepGuard guard = new StepGuard(setup.guardedParameters(), base);
            int maxSkipped = config.train().maxSkippedSteps();
            int skippedInARow = 0;
            for (int it = setup.startIteration(); it < iterations; it++) {
                long t0 = System.nanoTime();
                for (DomainBatches d : loaders) {
                    d.take(it);
                }
                long t1 = System.nanoTime();
                double lr = schedule.at(it);
                int done = it + 1;
                boolean log = done % config.train().logEvery() == 0 || done == iterations;
                Map<String, Object> record = null;
                guard.remember();
                List<MethodState> before = new ArrayList<>();
                domains.forEach(d -> before.add(new MethodState(d.method(), base)));
                String fault = null;
                int retried = 0;
                for (int attempt = 0; ; attempt++) {
                    try (NDManager step = base.newSubManager()) {
                        Engine.getInstance().setRandomSeed((int) Seeds.mix(config.seed(), 0x57E9L, it));
                        // mixed, not alternating: every domain's method runs on its own batch, one backward of the sum
                        List<Step> contexts = new ArrayList<>();
                        List<StepResult> results = new ArrayList<>();
                        StepResult result;
                        NDArray total;
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            for (DomainBatches d : loaders) {
                                Step ctx = d.step(step, parameters, it, iterations);
                                contexts.add(ctx);
                                results.add(d.domain().method().step(ctx));
                            }
                            result = DomainBatches.merge(domains, results);
                            total = result.total();
                            collector.backward(total);
                        }
                        fault = StepGuard.fault(result, setup.optimizer());
                        if (fault == null) {
                            setup.optimizer().step(lr);
                            for (int i = 0; i < domains.size(); i++) {
                                domains.get(i).methodSetup().moveEmaCopies(it, iterations);
                                domains.get(i).method().afterUpdate(contexts.get(i));
                            }
                            skippedInARow = 0;
                            if (log) {
                                record = logRecord(done, lr, total, result);
                                lastLoss = ((Number) record.get("loss")).doubleValue();
                            }
                            break;
                        }
                        // put everything the attempt changed back: gradients, BN statistics, the methods' own state
                        setup.optimizer().zeroGradients();
                        guard.restore();
                        before.forEach(MethodState::restore);
                        if (attempt < config.train().faultRetries()) {
                            retried++;
                            Backoff.pause(attempt);
                            continue;
                        }
                        for (DomainBatches d : loaders) {
                            fault += d.inputs();
                        }
                        skippedInARow++;
                        log = false;
                        break;
                    }
                }
                before.forEach(MethodState::close);
                if (retried > 0 && fault == null) {
                    // on a logged step the note joins its line; otherwise it gets a line of its own
                    if (log) {
                        record.put("retried", retried);
                    } else {
                        Map<String, Object> note = new LinkedHashMap<>();
                        note.put("iter", done);
                        note.put("retried", retried);
                        metrics.write(note);
                    }
                }
                long t2 = System.nanoTime();
                if (fault != null) {
                    progress.breakLine();
                    err.println("semiseg: warning: iteration " + done + ": " + fault + "; step skipped ("
                            + skippedInARow + " in a row, the run stops at " + maxSkipped + ")");
                    Map<String, Object> skipped = new LinkedHashMap<>();
                    skipped.put("iter", done);
                    skipped.put("skipped", fault);
                    metrics.write(skipped);
                    if (skippedInARow >= maxSkipped) {
                        throw new Diverged(done, skippedInARow, fault, setup.run().last());
                    }
                }
                timer.add(t1 - t0, t2 - t1);
                if (log) {
                    record.putAll(timer.drain(batch));
                    metrics.write(record);
                }
                long t3 = System.nanoTime();
                progress.update(done, lastLoss, lr, timer.imagesPerSecond(batch), timer.secondsPerIteration());
                boolean evalDue = config.train().evalEvery() > 0 && done % config.train().evalEvery() == 0 && done < iterations;
                if (evalDue) {
                    progress.breakLine();
                    validation.evaluateAndKeepBest(done, metrics);
                }
                boolean stop = done < iterations && stopAfter.test(done);
                if ((done % config.train().checkpointEvery() == 0 && done < iterations) || stop) {
                    setup.saveCheckpoint(setup.run().last(), done, validation.bestMiou(), validation.bestIteration());
                    lastSaved[0] = done;
                }
                timer.addOther(System.nanoTime() - t3);
                if (stop) {
                    progress.breakLine();
                    throw new TrainingStopped(done);
                }
            }
            EvalResult result = validation.finish(iterations, metrics);
            finalResults = validation.finalResults();
            setup.saveCheckpoint(setup.run().last(), iterations, validation.bestMiou(), validation.bestIteration());
            return result;
        }
    }

    private static Map<String, Object> logRecord(int done, double lr, NDArray total, StepResult result) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("iter", done);
        record.put("lr", lr);
        List<NDArray> scalars = new ArrayList<>();
        scalars.add(total);
        scalars.addAll(result.losses().values());
        scalars.addAll(result.scalars().values());
        float[] values = Scalars.read(scalars);
        record.put("loss", (double) values[0]);
        int i = 1;
        for (String name : result.losses().keySet()) {
            record.put("loss_" + name, (double) values[i++]);
        }
        for (String name : result.scalars().keySet()) {
            record.put(name, (double) values[i++]);
        }
        record.putAll(result.values());
        return record;
    }

    /**
     * Thrown after {@code train.max_skipped_steps} non-finite steps in a row. No checkpoint is written: the last one
     * holds the last good state.
     */
    public static final class Diverged extends SemisegException {
        public Diverged(int iteration, int steps, String fault, java.nio.file.Path last) {
            super("training stopped at iteration " + iteration + ": " + steps + " steps in a row had non-finite values"
                    + " (last: " + fault + "); " + last + " holds the last checkpoint; lower train.lr or check the data,"
                    + " then continue with --resume");
        }
    }

    /** Thrown when a stop was requested: the last checkpoint holds the state after {@code iteration}. */
    public static final class TrainingStopped extends RuntimeException {
        private final int iteration;

        public TrainingStopped(int iteration) {
            super("training stopped after iteration " + iteration + "; checkpoint saved, continue with --resume");
            this.iteration = iteration;
        }

        public int iteration() {
            return iteration;
        }
    }
}
