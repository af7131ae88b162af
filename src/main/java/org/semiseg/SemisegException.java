package org.semiseg;

/**
 * An error caused by the user's input (config, data, files, command line). The command line prints its message as
 * one line, without a stack trace unless {@code --verbose}, and exits non-zero.
 */
public class SemisegException extends RuntimeException {
    public SemisegException(String message) {
        super(message);
    }

    public SemisegException(String message, Throwable cause) {
        super(message, cause);
    }
}
