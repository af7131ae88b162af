package org.semiseg.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** An image or mask file that cannot be read; the message is one line naming the file and what is wrong. */
public final class ImageReadException extends UncheckedIOException {
    private final transient Path path;

    /** @param problem what is wrong, e.g. "not a PNG or JPEG image" */
    public ImageReadException(Path path, String problem) {
        this(path, problem, null);
    }

    public ImageReadException(Path path, String problem, Throwable cause) {
        super("cannot decode " + path + ": " + problem, cause instanceof IOException io ? io : new IOException(problem, cause));
        this.path = path;
    }

    /** The file that could not be read. */
    public Path path() {
        return path;
    }
}
