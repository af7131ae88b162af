package org.semiseg.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.semiseg.report.ReportFixtures;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code semiseg report}: rebuilds run and grid reports; bad input is one line naming the file, exit 2. */
class ReportCommandTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final Console console = new Console();

    private int report(Path target) {
        console.reset();
        return Main.execute("report", "--run", target.toString());
    }

    private void assertOneLineError(String... what) {
        console.assertOneLineError(what);
        assertTrue(console.err().startsWith("semiseg: error: "), console.err());
    }


    @Test
    void rebuildsARunReport() throws Exception {
        Path run = ReportFixtures.fakeRun(dir.resolve("run"), ReportFixtures.CLASSES);
        assertEquals(0, report(run));
        assertTrue(console.out().contains("wrote " + run.resolve("report.html")));
        assertTrue(Files.readString(run.resolve("report.html")).contains("<svg class=\"chart\""));
    }

    @Test
    void aGridDirectoryGetsTheGridReport() throws Exception {
        Path grid = ReportFixtures.fakeGrid(dir.resolve("grid"));
        assertEquals(0, report(grid));
        assertTrue(Files.readString(grid.resolve("report.html")).contains("Test mIoU by labeled share"));
    }

    @Test
    void badInputIsOneLineNamingTheFile() throws Exception {
        assertEquals(2, report(dir.resolve("missing")));
        assertOneLineError("run directory", "missing", "does not exist");

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertEquals(2, report(empty));
        assertOneLineError(empty.toString(), "neither metrics.jsonl", "nor results.json");

        Path run = ReportFixtures.fakeRun(dir.resolve("run"), ReportFixtures.CLASSES);
        Files.writeString(run.resolve("metrics.jsonl"), "not json\n{\"iter\": 1, \"loss\": 1}\n");
        assertEquals(2, report(run));
        assertOneLineError(run.resolve("metrics.jsonl").toString(), "line 1");

        Path other = ReportFixtures.fakeRun(dir.resolve("other"), ReportFixtures.CLASSES);
        Files.writeString(other.resolve("report/eval-latest.json"), "{\"classNames\": [\"a\"], ");
        assertEquals(2, report(other));
        assertOneLineError(other.resolve("report/eval-latest.json").toString(), "not valid JSON");

        Path grid = Files.createDirectories(dir.resolve("grid"));
        Files.writeString(grid.resolve("results.json"), "[1, 2]");
        assertEquals(2, report(grid));
        assertOneLineError(grid.resolve("results.json").toString(), "does not hold an object");
    }
}
