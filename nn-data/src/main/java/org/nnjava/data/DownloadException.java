package org.nnjava.data;

import java.io.IOException;
import java.util.List;

/**
 * No mirror delivered a file intact. The message lists each URL tried with its reason (HTTP status,
 * timeout, connection error, cut body, checksum mismatch) and says where to put the file by hand.
 */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * One {@code "URL: reason"} line per mirror, in the order tried.
     */
    private final List<String> failures;

    /**
     * A download that failed on every mirror.
     *
     * @param message what failed and where to put the file by hand
     * @param failures one {@code "URL: reason"} line per mirror, in the order tried; copied
     */
    public DownloadException(String message, List<String> failures) {
        super(message);
        this.failures = List.copyOf(failures);
    }

    /**
     * One {@code "URL: reason"} line per mirror, in the order tried.
     *
     * @return an unmodifiable list, one line per mirror
     */
    public List<String> failures() {
        return failures;
    }
}
