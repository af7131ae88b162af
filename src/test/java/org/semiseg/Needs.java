package org.semiseg;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine (a browser, Debian's PyTorch, git): where it is missing the test is skipped,
 * except under {@code CI=true}, where {@code .ci/run} has installed it and a skip would hide a check that did not run.
 */
public final class Needs {
    private Needs() {
    }

    /** Whether this is a CI run ({@code CI=true}, as CI sets it). */
    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips the test when {@code present} is false, or fails it under CI.
     *
     * @param what what is missing and where it was looked for, e.g. "chromium (SEMISEG_CHROMIUM, or chromium on the PATH)"
     */
    public static void present(boolean present, String what) {
        if (present) {
            return;
        }
        if (ci()) {
            Assertions.fail("no " + what + ": under CI=true a test that needs it fails instead of skipping (.ci/run installs it)");
        }
        Assumptions.abort("no " + what + "; skipped (CI=true makes this a failure)");
    }
}
