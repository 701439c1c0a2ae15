package org.nnjava.data;

import java.io.IOException;

/**
 * A file whose digest is not the published one: a download that was corrupted or replaced on the way, a
 * damaged cache entry, or an embedded resource that is not the one the build recorded.
 *
 * <p>The message names the file, the digest found and the digest expected. The downloader treats it as
 * the failure of one mirror and tries the next; a cached file that fails is deleted and fetched again.
 */
public class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message the file, the checksum found and the one expected
     */
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
