package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.config.Config;
import org.semiseg.config.ConfigLoader;
import org.semiseg.eval.EvalReport;
import org.semiseg.eval.EvalResult;
import org.semiseg.train.RunDirectory;
import org.semiseg.train.TrainSetup;
import org.semiseg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code semiseg train}: trains a model and prints the validation IoU table. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (without --config: the built-in demo). Ends with the per-class IoU table on the validation split.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/<config name>)")
    Path out;

    @Option(names = "--resume", description = "continue the run in --out from its last checkpoint (config from its config.yaml; --set may change it)")
    boolean resume;

    @Option(names = "--force", description = "replace a run that already exists in --out")
    boolean force;

    @Override
    public Integer call() {
        RunDirectory run = new RunDirectory(out != null ? out : Path.of("runs", configName(common.config)));
        Config config = loadConfig(run);
        AtomicBoolean stop = new AtomicBoolean();
        installSignalHandlers(stop);
        try (TrainSetup setup = TrainSetup.prepare(config, run, resume, force)) {
            setup.commit();
            System.err.println((resume ? "resuming " + run.root() + " at iteration " + setup.startIteration()
                    : "training into " + run.root()) + " (" + setup.imagesRead() + ")");
            Trainer trainer = new Trainer(setup, System.err, done -> stop.get());
            EvalResult result = trainer.run();
            if (trainer.finalResults().size() > 1) {
                trainer.finalResults().forEach((domain, r) -> {
                    System.out.println("domain " + domain + ":");
                    System.out.println(EvalReport.table(r));
                });
            } else {
                System.out.println(EvalReport.table(result));
            }
            System.out.println("run directory: " + run.root());
            return 0;
        }
    }

    private Config loadConfig(RunDirectory run) {
        if (!resume) {
            return ConfigLoader.load(common.config, common.allOverrides());
        }
        if (common.config != null) {
            throw new SemisegException("--resume reads the run's own config.yaml; change keys with --set instead of --config");
        }
        if (!Files.isRegularFile(run.config())) {
            throw new SemisegException("cannot resume: " + run.config() + " does not exist");
        }
        return ConfigLoader.load(run.config(), common.allOverrides());
    }

    static String configName(Path config) {
        if (config == null) {
            return "demo";
        }
        String name = config.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** SIGINT / SIGTERM: finish the step, write the checkpoint, exit; a second signal exits at once. */
    static void installSignalHandlers(AtomicBoolean stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stop.getAndSet(true)) {
                        Runtime.getRuntime().halt(Main.EXIT_STOPPED);
                    }
                    System.err.println("\nsemiseg: stopping after this step (signal " + signal.getName()
                            + "); send it again to exit at once");
                });
            } catch (IllegalArgumentException e) {
                // the signal is not available on this platform
            }
        }
    }
}
