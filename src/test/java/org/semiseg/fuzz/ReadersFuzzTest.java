package org.semiseg.fuzz;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded, seeded fuzz run over every reader of untrusted files ({@link Targets}): each mutated input loads or
 * gives the tool's one-line error naming the file, within {@link Fuzzer#TIMEOUT_S} seconds and the allocation its
 * file size justifies. {@code -Dfuzz.inputs=N} (default 150 per target) and {@code -Dfuzz.seed=S} (default 1) size
 * and vary the run; {@code -Dfuzz.only=TARGET:INDEX} reads one input again. A longer run: {@code bench/fuzz/run.sh}.
 */
class ReadersFuzzTest {
    @TempDir
    static Path scratch;
    static NDManager manager;
    static List<Fuzzer.Target> targets;

    @BeforeAll
    static void targets() throws IOException {
        manager = NDManager.newBaseManager();
        targets = Targets.all(scratch.resolve("work"), manager);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static List<String> names() {
        return Targets.NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void everyInputLoadsOrGivesTheToolsError(String name) {
        Fuzzer.Target target = targets.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        long seed = Long.getLong("fuzz.seed", 1);
        int first = 0;
        int count = Integer.getInteger("fuzz.inputs", 150);
        String only = System.getProperty("fuzz.only");
        if (only != null) {
            if (!only.startsWith(name + ":")) {
                return;
            }
            first = Integer.parseInt(only.substring(name.length() + 1));
            count = 1;
        }
        Fuzzer.Report r = Fuzzer.run(target, seed, first, count, Long.MAX_VALUE, Path.of("target", "fuzz-failures"));
        System.out.println("fuzz " + r.line());
        String failures = r.failures().stream().map(Fuzzer.Failure::toString).collect(Collectors.joining("\n"));
        assertTrue(r.failures().isEmpty(), r.failures().size() + " failing inputs:\n" + failures);
        if (only == null) {
            // the run reached both sides: inputs that load and inputs that are refused
            assertTrue(r.loaded() > 0 && !r.errors().isEmpty(), "a degenerate run: " + r.line() + " " + r.errors());
        }
    }
}
