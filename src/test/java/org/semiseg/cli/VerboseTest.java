package org.semiseg.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An error is one line; {@code --verbose} on the subcommand adds the stack trace. */
class VerboseTest {
    @RegisterExtension
    final Console console = new Console();

    @Test
    void verboseOnTheSubcommandPrintsTheStackTrace() {
        assertEquals(Main.EXIT_INPUT, Main.execute("train", "--config", "/nonexistent/x.yaml"));
        console.assertOneLineError("x.yaml");
        console.reset();
        assertEquals(Main.EXIT_INPUT, Main.execute("train", "--verbose", "--config", "/nonexistent/x.yaml"));
        assertTrue(console.err().contains("\tat org.semiseg."), console.err());
        assertTrue(console.err().strip().endsWith("semiseg: error: config file /nonexistent/x.yaml does not exist"),
                console.err());
    }
}
