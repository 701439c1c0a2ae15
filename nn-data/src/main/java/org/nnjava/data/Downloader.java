package org.nnjava.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Downloads one file of a {@link RemoteDataSet} into the cache, trying the mirrors in order until one
 * delivers it intact.
 *
 * <p>Each attempt writes to a temporary file {@code .<name>.<digits>.part} beside the target and renames
 * it into place only after the whole body has arrived and matched every published checksum, so the target
 * is never a partial or wrong file, and a failed attempt leaves nothing behind. A mirror that fails (an
 * HTTP status other than 200, a connect or read timeout, the per-file deadline, a connection error, a
 * {@code Content-Length} or a body larger than the file, a body shorter than its {@code Content-Length}
 * or than the file, a checksum mismatch) is reported to the listener and the next is tried.
 *
 * <p>Bounded: a body is never written past the file's size ({@link RemoteDataSet#maxBytes}), and each
 * attempt is aborted when its deadline passes, however steadily the bytes trickle in. The deadline is
 * checked after every read, and every read waits at most the read timeout, so an attempt ends within
 * the deadline plus one read timeout. (Closing an {@link HttpURLConnection} from another thread does not
 * end a read that is blocked in it, so a watchdog would not tighten this.)
 */
final class Downloader {

    /** A partial file untouched this long belongs to no live download: every live one writes at each read. */
    static final Duration STALE_PART_AGE = Duration.ofMinutes(2);

    private static final String PART_SUFFIX = ".part";

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final Duration deadline;
    private final DownloadListener listener;

    Downloader(Duration connectTimeout, Duration readTimeout, Duration deadline, DownloadListener listener) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
        this.listener = listener;
    }

    /**
     * Fetches {@code file} of {@code dataSet} to {@code target}, replacing anything there.
     *
     * @throws DownloadException if every mirror fails; the message lists each with its reason
     * @throws IOException if no temporary file can be created beside {@code target}
     */
    void download(RemoteDataSet dataSet, MnistFile file, Path target) throws IOException {
        List<String> failures = new ArrayList<>();
        for (URI mirror : dataSet.mirrors()) {
            URI url = dataSet.url(mirror, file);
            // Beside the target: a rename is atomic only within one file system.
            Path temp = Files.createTempFile(target.getParent(), "." + file.gzipName() + ".", PART_SUFFIX);
            try {
                ChecksumVerifier verifier = new ChecksumVerifier(dataSet.checksums().get(file));
                fetch(url, temp, verifier, new Limits(dataSet, file));
                verifier.verify("checksum mismatch");
                moveIntoPlace(temp, target);
                listener.finished(url, target);
                return;
            } catch (IOException e) {
                String reason = reason(e);
                failures.add(url + ": " + reason);
                listener.failed(url, reason);
            } finally {
                Files.deleteIfExists(temp); // every path: success (already moved), failure, or a listener's exception
            }
        }
        throw new DownloadException(message(dataSet, file, target.getParent(), failures), failures);
    }

    /**
     * Deletes the partial files a killed run left in {@code directory}: only names of our own pattern
     * ({@code .<file>.gz.<digits>.part} for the four files), only regular files, only those untouched
     * for {@link #STALE_PART_AGE}, so that another process's live download is never removed.
     *
     * @return how many were deleted
     */
    static int removeStalePartials(Path directory) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_PART_AGE);
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, Downloader::isPartialName)) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).compareTo(FileTime.from(cutoff)) < 0
                        && Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static boolean isPartialName(Path entry) {
        String name = entry.getFileName().toString();
        for (MnistFile file : MnistFile.values()) {
            if (Pattern.matches("\\." + Pattern.quote(file.gzipName()) + "\\.[0-9]+" + Pattern.quote(PART_SUFFIX), name)) {
                return true;
            }
        }
        return false;
    }

    /** The bounds of one file's download: its name and size for messages, and the attempt's deadline. */
    private final class Limits {
        final String fileName;
        final long maxBytes;
        final boolean exact;
        final long deadlineNanos = System.nanoTime() + deadline.toNanos();

        Limits(RemoteDataSet dataSet, MnistFile file) {
            this.fileName = file.gzipName();
            this.maxBytes = dataSet.maxBytes(file);
            this.exact = dataSet.sizes().containsKey(file);
        }

        boolean expired() {
            return System.nanoTime() - deadlineNanos > 0;
        }
    }

    /** GETs {@code url} into {@code temp}, feeding every byte to {@code verifier}, within {@code limits}. */
    private void fetch(URI url, Path temp, ChecksumVerifier verifier, Limits limits) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.toURL().openConnection();
        connection.setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()));
        connection.setReadTimeout(Math.toIntExact(readTimeout.toMillis())); // the longest wait for any one read
        connection.setRequestProperty("User-Agent", "nnjava");
        long[] received = {0};
        try {
            receive(url, connection, temp, verifier, limits, received);
        } catch (IOException e) {
            if (limits.expired()) {
                throw pastDeadline(limits, received[0], e);
            }
            throw e;
        } finally {
            connection.disconnect();
        }
    }

    private void receive(URI url, HttpURLConnection connection, Path temp, ChecksumVerifier verifier, Limits limits,
            long[] received) throws IOException {
        int status = connection.getResponseCode();
        if (status != HttpURLConnection.HTTP_OK) {
            throw new IOException("HTTP " + status + (connection.getResponseMessage() == null ? ""
                    : " " + connection.getResponseMessage()));
        }
        long total = connection.getContentLengthLong();
        if (total > limits.maxBytes) {
            throw new IOException("Content-Length " + total + " is larger than the " + limits.maxBytes + " bytes "
                    + limits.fileName + " has" + (limits.exact ? "" : " at most") + "; refused before reading the body");
        }
        listener.started(url, total);
        copy(url, connection, temp, verifier, limits, received);
        if (total >= 0 && received[0] != total) {
            throw new IOException("the body was cut short: " + received[0] + " of " + total + " bytes");
        }
        if (limits.exact && received[0] != limits.maxBytes) {
            throw new IOException("the body has " + received[0] + " bytes, but " + limits.fileName + " has "
                    + limits.maxBytes + "; the mirror serves another file");
        }
    }

    private void copy(URI url, HttpURLConnection connection, Path temp, ChecksumVerifier verifier, Limits limits,
            long[] received) throws IOException {
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(temp)) {
            for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
                if (n > limits.maxBytes - received[0]) { // checked before writing: the file never passes the size
                    throw new IOException("the body passed the " + limits.maxBytes + " bytes " + limits.fileName
                            + " has" + (limits.exact ? "" : " at most") + " (Content-Length "
                            + describe(connection.getContentLengthLong()) + "); cut off after " + received[0]
                            + " bytes, nothing kept");
                }
                out.write(buffer, 0, n);
                verifier.update(buffer, 0, n);
                received[0] += n;
                listener.progress(url, received[0], connection.getContentLengthLong());
                if (limits.expired()) {
                    throw pastDeadline(limits, received[0], null);
                }
            }
        }
    }

    private static String describe(long contentLength) {
        return contentLength < 0 ? "absent" : String.valueOf(contentLength);
    }

    private IOException pastDeadline(Limits limits, long received, IOException cause) {
        return new IOException("gave up after the download deadline of " + DataSetLoader.describe(deadline) + " for "
                + limits.fileName + " (" + received + " bytes received): the mirror is too slow; raise the deadline"
                + " with -D" + DataSetLoader.DOWNLOAD_TIMEOUT_PROPERTY + "=<seconds or ISO-8601 such as PT20M> or"
                + " DataSetLoader.Builder.downloadTimeout", cause);
    }

    /**
     * Not synced to disk first: a file damaged by a crash fails its checksum on the next load and is
     * fetched again, which a cache can afford.
     */
    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String reason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "timed out (" + e.getMessage() + "; connect timeout " + connectTimeout.toMillis()
                    + " ms, read timeout " + readTimeout.toMillis() + " ms)";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage() + " (no network, or no DNS?)";
        }
        if (e instanceof ConnectException || e.getMessage() == null) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return e.getMessage();
    }

    private static String message(RemoteDataSet dataSet, MnistFile file, Path directory, List<String> failures) {
        return "could not download " + file.gzipName() + " of " + dataSet.name() + " from any of its "
                + failures.size() + " mirrors:\n  " + String.join("\n  ", failures)
                + "\nDownload it by hand and put it in " + directory + " (it must match "
                + dataSet.checksums().get(file).stream().map(Checksum::toString).collect(Collectors.joining(" and "))
                + "), or put all four files (plain or .gz) in a directory of your own and load from there"
                + " (DataSetLoader.loadFrom; the nn command's --data DIR).";
    }
}
