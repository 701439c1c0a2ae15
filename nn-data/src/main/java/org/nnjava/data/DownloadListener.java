package org.nnjava.data;

import java.net.URI;
import java.nio.file.Path;

/**
 * Observes downloads, e.g. to draw a progress bar on a terminal. Every method does nothing by default;
 * all are called on the loading thread, so a slow listener slows the download.
 *
 * <p>For one attempt at one mirror, the calls are {@code started}, any number of {@code progress}, then
 * {@code finished} or {@code failed}; or {@code failed} alone when the mirror fails before a body starts
 * (an HTTP error status, a refused connection, a connect timeout). After {@code failed} the next mirror,
 * if any, is tried.
 */
public interface DownloadListener {

    /** A listener that ignores every event. */
    DownloadListener NONE = new DownloadListener() {
    };

    /**
     * The server answered and the body starts.
     *
     * @param totalBytes the body's length from {@code Content-Length}, or -1 if the server did not say
     * @param source the URL being downloaded
     */
    default void started(URI source, long totalBytes) {
    }

    /**
     * {@code bytesRead} bytes of the body have arrived; {@code totalBytes} as in {@link #started}.
     *
     * @param source the URL being downloaded
     * @param bytesRead the bytes of the body received so far
     * @param totalBytes the body's length, or -1 if unknown
     */
    default void progress(URI source, long bytesRead, long totalBytes) {
    }

    /**
     * The file arrived, matched its checksums and is now at {@code file}.
     *
     * @param source the URL it came from
     * @param file where the verified file now is
     */
    default void finished(URI source, Path file) {
    }

    /**
     * This mirror failed (HTTP error, timeout, the per-file deadline, a body or Content-Length larger
     * than the file, a cut body, wrong checksum); nothing of it was kept.
     *
     * @param source the mirror's URL for the file
     * @param reason what went wrong, a sentence
     */
    default void failed(URI source, String reason) {
    }

    /**
     * A file in the cache failed its size or checksum check; {@code reason} says what was found and
     * expected. It was moved aside to {@code <file>.rejected} (never deleted: it may be a copy the user
     * put there) and is downloaded again. Without a listener, the loader prints the reason on stderr.
     *
     * @param file the cached file, now moved aside
     * @param reason what was found and what was expected
     */
    default void cachedFileRejected(Path file, String reason) {
    }
}
