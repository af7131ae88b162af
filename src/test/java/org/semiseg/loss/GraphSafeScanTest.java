package org.semiseg.loss;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The {@link GraphSafe} rule, checked on the training code: no DJL scalar overload ({@code x.mul(2f)},
 * {@code x.div(n)}, ...) in the method and loss sources unless the line says why the array never carries a gradient
 * ({@code // graph-safe: <reason>}). See {@link ScalarOverloadScanner} for what the scan sees and misses.
 */
class GraphSafeScanTest {

    /** Folders scanned, all subpackages included; relative to the project root (Maven's working directory). */
    static final List<String> SCANNED = List.of(
            "src/main/java/org/semiseg/method",
            "src/main/java/org/semiseg/loss",
            "src/main/java/org/semiseg/weak");

    /** Hits accepted for now, as {@code file: .method(argument)} (no line number); empty since the port. */
    static final Set<String> PENDING = Set.of();

    @Test
    void trainingCodeUsesNoScalarOverloads() throws IOException {
        List<Path> roots = SCANNED.stream().map(Path::of).toList();
        for (Path root : roots) {
            assertTrue(Files.isDirectory(root), "scanned folder missing: " + root.toAbsolutePath());
        }
        List<ScalarOverloadScanner.Hit> all = ScalarOverloadScanner.scanTrees(roots);
        Set<String> seen = all.stream().map(GraphSafeScanTest::key).collect(Collectors.toSet());
        Set<String> stale = new TreeSet<>(PENDING);
        stale.removeAll(seen);
        assertTrue(stale.isEmpty(), "PENDING entries no longer found, delete them: " + stale);
        List<ScalarOverloadScanner.Hit> hits = all.stream().filter(h -> !PENDING.contains(key(h))).toList();
        assertTrue(hits.isEmpty(), hits.size() + " scalar overload(s); use GraphSafe.scale/divide/power, or add "
                + "'// graph-safe: <reason>' where the array never carries a gradient:\n"
                + hits.stream().map(Object::toString).collect(Collectors.joining("\n")));
    }

    /** DJL's NDArrays.concat returns a detached copy of a one-array list: the training code calls GraphSafe.concat. */
    @Test
    void trainingCodeConcatenatesThroughGraphSafe() throws IOException {
        List<String> hits = new java.util.ArrayList<>();
        for (String root : SCANNED) {
            try (java.util.stream.Stream<Path> files = Files.walk(Path.of(root))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    if (file.getFileName().toString().equals("GraphSafe.java")) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (lines.get(i).contains("NDArrays.concat(")) {
                            hits.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertTrue(hits.isEmpty(), "use GraphSafe.concat instead:\n" + String.join("\n", hits));
    }

    private static String key(ScalarOverloadScanner.Hit hit) {
        return hit.file().replace('\\', '/') + ": ." + hit.method() + "(" + hit.argument() + ")";
    }
}
