package org.semiseg.model;

/** A weight file does not fit the network; the message is one line naming the file and the offending keys. */
public final class WeightImportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WeightImportException(String message) {
        super(message);
    }

    public WeightImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
