package org.semiseg.cli;

import org.semiseg.SemisegException;
import org.semiseg.data.DataCheckFailed;
import org.semiseg.io.ImageReadException;
import org.semiseg.io.OutOfSpace;
import org.semiseg.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the {@code semiseg} command line. */
@Command(name = "semiseg", mixinStandardHelpOptions = true, version = "semiseg 0.1.0",
        description = "Semi-supervised semantic segmentation on the JVM.",
        subcommands = {TrainCommand.class, EvaluateCommand.class, PredictCommand.class, DataCommand.class,
                BenchCommand.class, ReportCommand.class, WeakCommand.class})
public final class Main implements Runnable {
    /** Exit status of errors caused by input (config, data, files). */
    public static final int EXIT_INPUT = 2;
    /** Exit status of a run stopped after too many non-finite steps in a row. */
    public static final int EXIT_DIVERGED = 3;
    /**
     * Exit status of a run stopped by a full disk: the write that failed left the previous checkpoint intact, and
     * {@code --resume} continues once there is room again.
     */
    public static final int EXIT_NO_SPACE = 4;
    /** Exit status of a run stopped by a signal (after its checkpoint was written). */
    public static final int EXIT_STOPPED = 130;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit status (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // --verbose belongs to the subcommand (train --verbose), not to the top-level command
            boolean verbose = false;
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption("--verbose");
            }
            PrintWriter err = cmd.getErr();
            if (verbose) {
                e.printStackTrace(err);
            }
            if (e instanceof Trainer.TrainingStopped stopped) {
                err.println("semiseg: " + stopped.getMessage());
                return EXIT_STOPPED;
            }
            if (e instanceof OutOfSpace) {
                err.println("semiseg: error: " + oneLine(e.getMessage()));
                return EXIT_NO_SPACE;
            }
            if (e instanceof Trainer.Diverged) {
                err.println("semiseg: error: " + oneLine(e.getMessage()));
                return EXIT_DIVERGED;
            }
            // `data check` prints its whole report; elsewhere the error line (count and first problem) is the message
            if (e instanceof DataCheckFailed failed && (verbose || cmd.getCommandName().equals("check"))) {
                // file names in it may hold control characters, which must not drive the terminal either
                err.println(failed.report().summary().replaceAll("[\\p{Cntrl}&&[^\\n]]", "?"));
            }
            if (e instanceof SemisegException || e instanceof ImageReadException) {
                err.println("semiseg: error: " + oneLine(e.getMessage()));
                return EXIT_INPUT;
            }
            err.println("semiseg: internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage())
                    + (verbose ? "" : " (run with --verbose for details)"));
            return 1;
        });
        return cli.execute(args);
    }

    /** The message on one line, without control characters (a file's bytes quoted in it must not drive the terminal). */
    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("[\\r\\n]+", " ").replaceAll("\\p{Cntrl}", "?").trim();
    }
}
