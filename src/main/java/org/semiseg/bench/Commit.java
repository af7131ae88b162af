package org.semiseg.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The git commit of a working directory, for the record of what produced a result. */
final class Commit {
    private Commit() {
    }

    /**
     * The abbreviated commit of the working directory {@code dir}, with {@code -dirty} when a tracked file differs from
     * it, changes under {@code ignored} (the grid's own results, which it rewrites after every run) aside; null outside
     * a repository or without git.
     */
    static String describe(Path dir, Path ignored) {
        String commit = git(dir, "describe", "--always", "--abbrev=10");
        if (commit == null || commit.isEmpty() || commit.contains(" ")) {
            return null;
        }
        List<String> status = new ArrayList<>(List.of("status", "--porcelain", "--untracked-files=no", "--", "."));
        Path root = dir.toAbsolutePath().normalize();
        Path skip = ignored == null ? null : ignored.toAbsolutePath().normalize();
        if (skip != null && skip.startsWith(root) && !skip.equals(root)) {
            status.add(":(exclude)" + root.relativize(skip));
        }
        String changes = git(dir, status.toArray(String[]::new));
        return changes == null ? commit : changes.isEmpty() ? commit : commit + "-dirty";
    }

    /** The trimmed output of a git command run in {@code dir}, or null when it fails. */
    private static String git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).directory(dir.toAbsolutePath().toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
