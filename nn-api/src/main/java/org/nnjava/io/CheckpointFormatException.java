package org.nnjava.io;

import java.io.IOException;

/**
 * A checkpoint file that is not a valid {@code .npz} of float arrays, or that this library refuses to read:
 * not a zip, an entry name outside the archive, a malformed or oversized {@code .npy} header, an object
 * (pickle) array, an unsupported dtype, Fortran order, data shorter or longer than the shape needs.
 *
 * <p>The message names the file, the entry, what was found and what to do. It is an {@link IOException}
 * (checked) because, like a missing or unreadable file, it is a problem with input from outside the
 * program that a caller should expect and report, not a bug in the caller.
 */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the file, the entry and what is wrong
     */
    public CheckpointFormatException(String message) {
        super(message);
    }

    /**
     * An exception with the given message and cause.
     *
     * @param message the file, the entry and what is wrong
     * @param cause the lower-level failure, such as a {@code ZipException}
     */
    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
