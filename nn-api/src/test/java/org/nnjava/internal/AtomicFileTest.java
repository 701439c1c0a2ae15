package org.nnjava.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk names the file it failed to save; stale temporaries of a killed save are removed. */
class AtomicFileTest {

    @TempDir
    Path dir;

    @Test
    void aFullDiskNamesTheTargetAndSaysThePreviousFileIsUnchanged() throws IOException {
        Path target = Files.write(dir.resolve("network.npz"), new byte[] {1, 2, 3});
        IOException e = assertThrows(IOException.class,
                () -> AtomicFile.write(target, out -> out.write(new byte[100_000]), AtomicFileTest::fullAfter1000Bytes));
        assertEquals("cannot save " + target + ": writing failed: No space left on device; the previous network.npz"
                + " is unchanged; free space or choose another directory", e.getMessage());
        assertEquals("No space left on device", e.getCause().getMessage());
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        assertEquals(List.of("network.npz"), listing());
    }

    @Test
    void aFullDiskOnANewFileSaysNoneWasCreated() {
        Path target = dir.resolve("network.npz");
        IOException e = assertThrows(IOException.class,
                () -> AtomicFile.write(target, out -> out.write(new byte[100_000]), AtomicFileTest::fullAfter1000Bytes));
        assertEquals("cannot save " + target + ": writing failed: No space left on device; no file was created; free"
                + " space or choose another directory", e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void removesStaleTemporariesOfThatTargetOnly() throws IOException {
        Path target = dir.resolve("network.npz");
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofMinutes(10)));
        Path stale = Files.write(dir.resolve(".network.npz.3k9xq1z0abcd.tmp"), new byte[5]);
        Files.setLastModifiedTime(stale, old);
        Path fresh = Files.write(dir.resolve(".network.npz.1a2b.tmp"), new byte[5]); // maybe another process's save
        Path otherTarget = Files.write(dir.resolve(".optimizer.npz.3k9xq1z0abcd.tmp"), new byte[5]);
        Files.setLastModifiedTime(otherTarget, old);
        Path notOurs = Files.write(dir.resolve(".network.npz.backup.TMP"), new byte[5]);
        Files.setLastModifiedTime(notOurs, old);

        assertEquals(1, AtomicFile.removeStaleTemporaries(target));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh) && Files.exists(otherTarget) && Files.exists(notOurs));
        assertEquals(0, AtomicFile.removeStaleTemporaries(target));
    }

    @Test
    void neverRemovesTheTemporaryOfASaveInProgress() throws IOException {
        Path target = dir.resolve("network.npz");
        int[] removedDuringSave = {-1};
        AtomicFile.write(target, out -> {
            out.write(1);
            out.flush();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path temp : files.collect(Collectors.toList())) {
                    Files.setLastModifiedTime(temp, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
                }
            }
            removedDuringSave[0] = AtomicFile.removeStaleTemporaries(target);
        });
        assertEquals(0, removedDuringSave[0]);
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(target));
    }

    /** A disk that is full after 1000 bytes, as ENOSPC reports it. */
    private static OutputStream fullAfter1000Bytes(OutputStream out) {
        return new FilterOutputStream(out) {
            private long written;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > 1000) {
                    throw new IOException("No space left on device");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
