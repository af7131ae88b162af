package org.semiseg.fuzz;

import ai.djl.ndarray.NDManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The long fuzz run ({@code bench/fuzz/run.sh}): every target of {@link Targets} for a time budget or a number of
 * inputs, then a table of counts (inputs tried, loaded, distinct errors, failures), the distinct errors of each
 * target, and every failure with its seed and index. Exit status 1 when anything failed.
 *
 * <p>Arguments (key=value): {@code seconds=60} per target, {@code inputs=1000000} per target (whichever ends first),
 * {@code seed=1}, {@code only=NAME[,NAME]}, {@code out=bench/out/fuzz} (scratch files and saved failing inputs).
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = 60;
        int inputs = 1_000_000;
        long seed = 1;
        List<String> only = null;
        Path out = Path.of("bench/out/fuzz");
        for (String a : args) {
            String[] kv = a.split("=", 2);
            switch (kv[0]) {
                case "seconds" -> seconds = Long.parseLong(kv[1]);
                case "inputs" -> inputs = Integer.parseInt(kv[1]);
                case "seed" -> seed = Long.parseLong(kv[1]);
                case "only" -> only = List.of(kv[1].split(","));
                case "out" -> out = Path.of(kv[1]);
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + " (seconds=N inputs=N seed=N only=NAME,NAME out=DIR)");
            }
        }
        Path work = Files.createDirectories(out.resolve("work"));
        List<Fuzzer.Report> reports = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Fuzzer.Target t : Targets.all(work, manager)) {
                if (only != null && !only.contains(t.name())) {
                    continue;
                }
                Fuzzer.Report r = Fuzzer.run(t, seed, 0, inputs, seconds * 1000, out.resolve("failures"));
                System.out.println(r.line());
                reports.add(r);
            }
        }
        int failures = 0;
        System.out.println("\nseed " + seed + "; inputs, distinct errors and failures per target:");
        for (Fuzzer.Report r : reports) {
            System.out.println(r.line());
            failures += r.failures().size();
        }
        for (Fuzzer.Report r : reports) {
            System.out.println("\n" + r.target() + ": distinct errors (count, message with paths and numbers blanked)");
            for (Map.Entry<String, Integer> e : r.errors().entrySet()) {
                System.out.printf("%7d  %s%n", e.getValue(), e.getKey());
            }
            r.failures().forEach(f -> System.out.println("FAILURE " + f));
        }
        System.out.println(failures == 0 ? "\nno failures" : "\n" + failures + " failures");
        System.exit(failures == 0 ? 0 : 1);
    }
}
