package org.semiseg.data.sets;

/**
 * Something wrong with one file of a dataset, found while listing or checking it.
 *
 * @param file the file, relative to the dataset root ({@code '/'} separators) or absolute
 * @param what a short phrase, e.g. {@code no mask for this image (expected trainannot/0001TP_006690.png)}
 */
public record Problem(String file, String what) {
    public Problem {
        if (file == null || what == null) {
            throw new IllegalArgumentException("a problem needs a file and a description");
        }
    }

    /** {@code file: what}, one line. */
    @Override
    public String toString() {
        return file + ": " + what;
    }
}
