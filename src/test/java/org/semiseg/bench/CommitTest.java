package org.semiseg.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.Needs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commit recorded with a grid's results: dirty for changed sources, not for the grid's own rewritten results. */
class CommitTest {
    @TempDir
    Path dir;

    private void git(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args));
    }

    @Test
    void resultsRewrittenByTheGridDoNotMakeTheTreeDirtyButSourcesDo() throws Exception {
        boolean git;
        try {
            git = new ProcessBuilder("git", "--version").start().waitFor() == 0;
        } catch (IOException e) {
            git = false;
        }
        Needs.present(git, "git on the PATH");
        assertNull(Commit.describe(dir, null), "not a repository yet");
        Path results = Files.createDirectories(dir.resolve("bench/results/grid"));
        Files.writeString(results.resolve("results.md"), "old\n");
        Files.writeString(dir.resolve("Source.java"), "class Source {}\n");
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "first");
        String clean = Commit.describe(dir, results);
        assertNotNull(clean);
        assertTrue(clean.matches("[0-9a-f]{10}"), clean);

        Files.writeString(results.resolve("results.md"), "new\n");
        Files.writeString(dir.resolve("untracked.txt"), "x\n");
        assertEquals(clean, Commit.describe(dir, results), "the grid's own results and untracked files");
        assertEquals(clean + "-dirty", Commit.describe(dir, null), "without the exclusion the results count");

        Files.writeString(dir.resolve("Source.java"), "class Source { int changed; }\n");
        assertEquals(clean + "-dirty", Commit.describe(dir, results));
    }
}
