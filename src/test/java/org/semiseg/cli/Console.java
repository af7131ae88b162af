package org.semiseg.cli;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Captures {@code System.out} and {@code System.err} around each test of a command-line test class
 * ({@code @RegisterExtension final Console console = new Console();}) and restores them afterwards.
 */
final class Console implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    /** Runs one command line in process, after forgetting what was printed before it; returns its exit status. */
    int run(String... args) {
        reset();
        return Main.execute(args);
    }

    /** Forgets what was printed so far (before each command a test runs). */
    void reset() {
        out.reset();
        err.reset();
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The error output is exactly one line, without a stack trace, naming each of {@code what}. */
    void assertOneLineError(String... what) {
        String text = err().strip();
        assertFalse(text.contains("\n"), "one line expected, got:\n" + text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), text);
        for (String w : what) {
            assertTrue(text.contains(w), "'" + w + "' not named in: " + text);
        }
    }
}
