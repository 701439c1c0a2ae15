package org.nnjava.internal;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Replaces a file all at once: the new content goes to a temporary file in the target's directory, is
 * flushed to the disk, and is then renamed over the target. A reader, or a crash at any moment, sees
 * either the old file or the complete new one, never a partial file; on failure the temporary file is
 * deleted and the old file is left as it was. Internal: used by checkpoints and the application's outputs.
 */
public final class AtomicFile {

    /** Writes the content; must not close the stream it is given. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A temporary file untouched this long belongs to no live save: see {@link #removeStaleTemporaries}. */
    public static final Duration STALE_TEMPORARY_AGE = Duration.ofMinutes(1);

    private static final String TEMP_SUFFIX = ".tmp";

    /** The temporary files this process is writing now, which {@link #removeStaleTemporaries} never deletes. */
    private static final Set<Path> ACTIVE = ConcurrentHashMap.newKeySet();

    private AtomicFile() {
    }

    /**
     * Writes {@code content} to {@code target}, replacing any existing file.
     *
     * @throws FileSystemException if {@code target} is a directory (nothing is written)
     * @throws IOException if writing, syncing or renaming fails; {@code target} is then unchanged and no
     *     temporary file is left. A failure of the disk (such as "No space left on device") is wrapped
     *     in an {@code IOException} whose message names {@code target} and says that the previous file
     *     is unchanged (or that none was created); the original is its cause. An exception thrown by
     *     {@code content} itself is rethrown as it is.
     */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, UnaryOperator.identity());
    }

    /** {@link #write(Path, Content)} with the file's stream wrapped by {@code disk}: a seam to simulate a full disk. */
    static void write(Path target, Content content, UnaryOperator<OutputStream> disk) throws IOException {
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(absolute.toString(), null,
                    "is a directory; give a file name");
        }
        boolean existed = Files.exists(absolute);
        // In the target's directory, as a rename is atomic only within one file system. Not
        // Files.createTempFile, which makes the file owner-only (0600): the checkpoint should get the
        // same permissions as any file the user creates, so CREATE_NEW with a random name instead.
        // CREATE_NEW never opens an existing file or follows a link planted at that name; should the
        // name be taken, the save fails without touching it (hence outside the try that deletes).
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + TEMP_SUFFIX);
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw diskFailure(absolute, existed, "cannot create a temporary file beside it", e);
        }
        ACTIVE.add(temp);
        try {
            writeAndMove(channel, temp, absolute, existed, content, disk);
        } catch (Throwable failure) { // any failure, so that no temporary file is left behind
            deleteQuietly(temp, failure);
            throw failure;
        } finally {
            ACTIVE.remove(temp);
        }
        syncDirectory(absolute.getParent());
    }

    private static void writeAndMove(FileChannel channel, Path temp, Path target, boolean existed, Content content,
            UnaryOperator<OutputStream> disk) throws IOException {
        try (channel; OutputStream out = new BufferedOutputStream(
                new DiskStream(disk.apply(Channels.newOutputStream(channel)), target, existed))) {
            content.writeTo(out);
            out.flush();
            force(channel, target, existed);
        }
        try {
            move(temp, target);
        } catch (IOException e) {
            throw diskFailure(target, existed, "cannot rename the temporary file over it", e);
        }
    }

    /**
     * Deletes temporary files that earlier saves of {@code target} left behind when their process was
     * killed: names of exactly {@code target}'s pattern ({@code .<name>.<random>.tmp}) in its directory,
     * regular files only, none that this process is writing now, and none modified in the last
     * {@link #STALE_TEMPORARY_AGE} (a save in another process writes continuously). Call it before saving.
     *
     * @return how many files were deleted
     * @throws IOException if the directory cannot be listed or a stale file cannot be deleted
     */
    public static int removeStaleTemporaries(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Pattern pattern = Pattern.compile("\\." + Pattern.quote(absolute.getFileName().toString())
                + "\\.[0-9a-z]{1,13}" + Pattern.quote(TEMP_SUFFIX));
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMPORARY_AGE));
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
                entry -> pattern.matcher(entry.getFileName().toString()).matches())) {
            for (Path entry : entries) {
                if (!ACTIVE.contains(entry) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(entry, LinkOption.NOFOLLOW_LINKS).compareTo(cutoff) < 0
                        && Files.deleteIfExists(entry)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    private static void force(FileChannel channel, Path target, boolean existed) throws IOException {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw diskFailure(target, existed, "cannot sync it to the disk", e);
        }
    }

    /** The failure of the disk, naming the target and saying what became of it. */
    static IOException diskFailure(Path target, boolean existed, String what, IOException cause) {
        return new IOException("cannot save " + target + ": " + what + ": " + cause.getMessage()
                + (existed ? "; the previous " + target.getFileName() + " is unchanged"
                        : "; no file was created") + "; free space or choose another directory", cause);
    }

    /** The file's stream, whose failures are the disk's: wrapped to name the target. */
    private static final class DiskStream extends FilterOutputStream {
        private final Path target;
        private final boolean existed;

        DiskStream(OutputStream out, Path target, boolean existed) {
            super(out);
            this.target = target;
            this.existed = existed;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                throw diskFailure(target, existed, "writing failed", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                throw diskFailure(target, existed, "writing failed", e);
            }
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            // Only where the file system cannot rename atomically: still never a partial target file,
            // though a crash during the move may leave the temporary file behind.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp, Throwable failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Makes the rename itself durable, as the rename lives in the directory. Best effort: supported on
     * Linux and macOS; elsewhere (Windows cannot open a directory this way) the rename is still atomic.
     */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not durable against a power cut on this platform; the file content itself is synced.
        }
    }
}
