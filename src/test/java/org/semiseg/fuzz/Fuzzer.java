package org.semiseg.fuzz;

import org.semiseg.SemisegException;
import org.semiseg.data.Seeds;
import org.semiseg.io.ImageReadException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A seeded mutation fuzzer for the readers of untrusted files. Input {@code i} of a run with seed {@code s} is a
 * function of {@code (s, i)} alone, so any input is reproduced by its seed and index. Each input is read on a worker
 * thread and must either load or fail with the tool's own error (a {@link SemisegException} or
 * {@link ImageReadException} of one line that names the file); it must not take longer than {@link #TIMEOUT_S}
 * seconds, nor allocate more than its target allows for the file's size (measured on the worker thread). Everything
 * else (another exception, an {@link Error} such as OutOfMemoryError or StackOverflowError, a hang, a huge
 * allocation) is a failure: it is reported with its seed and index, and the input is saved.
 */
final class Fuzzer {
    /** The bound on one input's reading time. */
    static final long TIMEOUT_S = 20;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** One reader under test. */
    interface Target {
        String name();

        /** Valid files to mutate. */
        List<byte[]> seeds();

        /** Whether to mix in text mutations. */
        boolean text();

        /** Writes {@code input} where the reader expects it (below {@code scratch}) and reads it. */
        void read(byte[] input) throws Exception;

        /** Whether the one-line error names the file (or, for a config, the key) at fault. */
        Predicate<String> namesTheFile();

        /** The most bytes reading a file of {@code size} bytes may allocate on the Java heap. */
        long allocationBound(long size);
    }

    /** A failed input: what went wrong, and how to run it again. */
    record Failure(String target, long seed, int index, String problem, Path saved) {
        @Override
        public String toString() {
            return target + " seed " + seed + " input " + index + ": " + problem + " (input saved to " + saved
                    + "; rerun with -Dfuzz.seed=" + seed + " -Dfuzz.only=" + target + ":" + index + ")";
        }
    }

    /** The counts of one target's run. */
    record Report(String target, int tried, int loaded, Map<String, Integer> errors, List<Failure> failures,
                  long millis) {
        String line() {
            return String.format("%-22s %7d inputs %6d loaded %5d distinct errors %3d failures %6.1f s", target, tried,
                    loaded, errors.size(), failures.size(), millis / 1000.0);
        }
    }

    private Fuzzer() {
    }

    /**
     * Reads inputs {@code first .. first + count - 1} of {@code target} (or fewer when {@code budgetMillis} runs out).
     *
     * @param failures where failing inputs are saved
     */
    static Report run(Target target, long seed, int first, int count, long budgetMillis, Path failures) {
        long start = System.currentTimeMillis();
        Map<String, Integer> errors = new TreeMap<>();
        List<Failure> failed = new ArrayList<>();
        int tried = 0;
        int loaded = 0;
        ExecutorService worker = newWorker();
        try {
            for (int i = first; i < first + count && System.currentTimeMillis() - start < budgetMillis; i++) {
                byte[] input = new Mutator(Seeds.mix(seed, i), target.seeds(), target.text()).next();
                tried++;
                Outcome o;
                Future<Outcome> f = worker.submit(() -> readMeasured(target, input));
                try {
                    o = f.get(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    f.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker();  // the stuck thread is a daemon and is left behind
                    o = new Outcome(null, -1, "hang: no answer within " + TIMEOUT_S + " s");
                } catch (InterruptedException | ExecutionException e) {
                    o = new Outcome(e, -1, null);
                }
                String problem = o.problem() != null ? o.problem() : judge(target, o, input.length);
                if (problem != null) {
                    failed.add(new Failure(target.name(), seed, i, problem, save(failures, target.name(), seed, i, input)));
                } else if (o.error() == null) {
                    loaded++;
                } else {
                    errors.merge(normalise(o.error().getMessage()), 1, Integer::sum);
                }
            }
        } finally {
            worker.shutdownNow();
        }
        return new Report(target.name(), tried, loaded, errors, failed, System.currentTimeMillis() - start);
    }

    /** What reading one input did: its error (null when it loaded), the bytes allocated, or a problem of its own. */
    record Outcome(Throwable error, long allocated, String problem) {
    }

    private static Outcome readMeasured(Target target, byte[] input) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Throwable error = null;
        try {
            target.read(input);
        } catch (Throwable t) {
            error = t;
        }
        return new Outcome(error, THREADS.getCurrentThreadAllocatedBytes() - before, null);
    }

    /** Null when the outcome is allowed; otherwise what is wrong with it. */
    static String judge(Target target, Outcome o, long size) {
        Throwable e = o.error();
        if (o.allocated() > target.allocationBound(size)) {
            return "allocated " + (o.allocated() >> 20) + " MiB for a file of " + size + " bytes (bound "
                    + (target.allocationBound(size) >> 20) + " MiB)" + (e == null ? "" : "; then " + describe(e));
        }
        if (e == null) {
            return null;
        }
        if (!(e instanceof SemisegException || e instanceof ImageReadException)) {
            return "crash: " + describe(e);
        }
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.contains("\n") || m.contains("\r")) {
            return "the error is not one line: " + describe(e);
        }
        if (!target.namesTheFile().test(m)) {
            return "the error does not name the file: " + m;
        }
        return null;
    }

    private static String describe(Throwable e) {
        StackTraceElement[] at = e.getStackTrace();
        return e.getClass().getName() + ": " + String.valueOf(e.getMessage()).replace('\n', ' ')
                + (at.length > 0 ? " at " + at[0] : "");
    }

    /** An error message with file paths and numbers blanked, so that errors of one kind count once. */
    static String normalise(String message) {
        String m = String.valueOf(message).replaceAll("/[^ :;,()']*", "<path>").replaceAll("-?\\d+", "N");
        return m.length() > 120 ? m.substring(0, 120) : m;
    }

    private static Path save(Path dir, String target, long seed, int index, byte[] input) {
        Path file = dir.resolve(target + "-seed" + seed + "-input" + index + ".bin");
        try {
            Files.createDirectories(dir);
            Files.write(file, input);
        } catch (IOException e) {
            return Path.of("(not saved: " + e.getMessage() + ")");
        }
        return file;
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-worker");
            t.setDaemon(true);
            return t;
        });
    }
}
