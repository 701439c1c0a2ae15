package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.UnreadableFileException.Problem;

/** Each way a path can fail to be a readable regular file gets its own message, without blocking. */
class RegularFilesTest {

    @TempDir
    Path dir;

    @Test
    void acceptsARegularFileAndALinkToOne() throws IOException {
        Path file = Files.writeString(dir.resolve("model.npz"), "x");
        assertDoesNotThrow(() -> RegularFiles.requireReadableRegularFile(file, "checkpoint"));
        Path link = Files.createSymbolicLink(dir.resolve("link.npz"), file);
        assertDoesNotThrow(() -> RegularFiles.requireReadableRegularFile(link, "checkpoint"));
    }

    @Test
    void aMissingFile() {
        Path file = dir.resolve("model.npz");
        assertRefused(file, Problem.MISSING, "checkpoint " + file + " does not exist; check the path");
    }

    @Test
    void aDirectory() {
        assertRefused(dir, Problem.DIRECTORY, "checkpoint " + dir + " is a directory; give the path of a file");
    }

    @Test
    void aDanglingLink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("model.npz"), dir.resolve("gone.npz"));
        assertRefused(link, Problem.DANGLING_LINK, "checkpoint " + link + " is a symbolic link to '"
                + dir.resolve("gone.npz") + "', which does not exist; fix or remove the link");
    }

    @Test
    void aLinkLoop() throws IOException {
        Path a = dir.resolve("a.npz");
        Path b = dir.resolve("b.npz");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> RegularFiles.requireReadableRegularFile(a, "checkpoint"));
        assertEquals(Problem.LINK_LOOP, e.problem());
        assertEquals("checkpoint " + a + " is a symbolic link that cannot be resolved (", e.getMessage().substring(0,
                e.getMessage().indexOf('(') + 1));
        assertEquals("): the links form a loop or are nested too deep; point it at a file",
                e.getMessage().substring(e.getMessage().lastIndexOf(')')));
    }

    @Test
    void aFifoIsRefusedWithoutBlockingEvenThroughNpzLoad() throws Exception {
        Path fifo = dir.resolve("model.npz");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        String message = "checkpoint " + fifo + " is not a regular file but a FIFO, socket or device, which could"
                + " block or never end; give the path of a regular file";
        assertRefused(fifo, Problem.NOT_REGULAR, message);
        UnreadableFileException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UnreadableFileException.class, () -> Npz.load(fifo)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aDevice() {
        Path device = Path.of("/dev/zero");
        assumeTrue(Files.exists(device), "needs /dev/zero");
        assertRefused(device, Problem.NOT_REGULAR, "checkpoint /dev/zero is not a regular file but a FIFO, socket"
                + " or device, which could block or never end; give the path of a regular file");
    }

    @Test
    void aFileWithoutReadPermission() throws IOException {
        Path file = Files.writeString(dir.resolve("model.npz"), "x");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "needs POSIX permissions");
        }
        assumeTrue(!Files.isReadable(file), "this user reads files without read permission (root)");
        assertRefused(file, Problem.ACCESS_DENIED, "checkpoint " + file + " cannot be read: permission denied;"
                + " grant read permission (chmod u+r) or run as its owner");
    }

    private static void assertRefused(Path file, Problem problem, String message) {
        UnreadableFileException e = assertThrows(UnreadableFileException.class,
                () -> RegularFiles.requireReadableRegularFile(file, "checkpoint"));
        assertEquals(message, e.getMessage());
        assertEquals(problem, e.problem());
        assertEquals(file.toString(), e.getFile());
    }
}
