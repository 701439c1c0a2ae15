package org.nnjava.data;

import java.io.IOException;

/**
 * A file that is not a valid IDX file: an empty file, a wrong magic number, an unknown type code, no
 * dimensions, a header or data shorter than announced, bytes after the data, dimensions too large for a
 * Java array, or gzip data that is corrupt or cut short.
 *
 * <p>The message names the file, what was expected and what was found. Nothing is loaded from a file
 * that fails: the reader never returns part of the data. It is an {@link IOException} (checked) because a
 * bad file is input from outside the program that a caller should expect and report.
 */
public class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the source, the offset or field, and what is wrong
     */
    public IdxFormatException(String message) {
        super(message);
    }

    /**
     * An exception with the given message and cause.
     *
     * @param message the source, the offset or field, and what is wrong
     * @param cause the lower-level failure, such as a {@code ZipException} of a broken gzip stream
     */
    public IdxFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
