package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.UnreadableFileException;

/**
 * IDX headers that claim more than the heap holds are refused before anything is allocated, with the
 * memory needed and how to give the JVM more; paths that are not regular files are refused without
 * blocking. Large inputs are generated here at run time (a few hundred KiB on disk), never committed.
 */
class IdxBoundsTest {

    @TempDir
    Path dir;

    @Test
    void theMemoryMessageSaysWhatIsNeededAndHowToGiveMore() {
        NotEnoughMemoryException e = HeapCheck.notEnough(19_051_200_000L, 1L << 30, 4L << 30, "train.gz (gzip)",
                "the dimensions [2700000, 28, 28] of 0x08 unsigned byte elements (2116800000 bytes of data, then"
                        + " 16934400000 as a double[] for a tensor)");
        // 4 GiB - 1 GiB in use + 17.74 GiB needed: 20.74, rounded up to 21 and one more for headroom.
        assertEquals("train.gz (gzip): the dimensions [2700000, 28, 28] of 0x08 unsigned byte elements (2116800000"
                + " bytes of data, then 16934400000 as a double[] for a tensor) need 19051200000 bytes of memory,"
                + " but this JVM has only 1073741824 bytes free of its maximum heap of 4294967296 bytes. If the file"
                + " is genuine, give the JVM more memory: java -Xmx22g, or for ./nn JAVA_OPTS=-Xmx22g ./nn ...;"
                + " otherwise its header is damaged: download or copy the file again", e.getMessage());
        assertEquals(19_051_200_000L, e.neededBytes());
        assertEquals(1L << 30, e.availableBytes());
    }

    @Test
    void aStreamWhoseHeaderClaimsMoreThanTheHeapIsRefusedBeforeReadingData() {
        long needed = 2_700_000L * 28 * 28 * (1 + IdxReader.CONVERSION_BYTES_PER_ELEMENT);
        assumeTrue(needed > HeapCheck.available(), "this JVM's heap could hold " + needed + " bytes");
        byte[] gzip = IdxBytes.gzip(IdxBytes.header(0x08, 2_700_000, 28, 28)); // the header alone, no data
        NotEnoughMemoryException e = assertThrows(NotEnoughMemoryException.class,
                () -> IdxReader.read(new ByteArrayInputStream(gzip), "stream:images"));
        assertTrue(e.getMessage().startsWith("stream:images (gzip): the dimensions [2700000, 28, 28] of 0x08 unsigned"
                + " byte elements (2116800000 bytes of data, then 16934400000 as a double[] for a tensor) need"
                + " 19051200000 bytes of memory, but this JVM has only "), e.getMessage());
        assertTrue(e.getMessage().contains("JAVA_OPTS=-Xmx"), e.getMessage());
    }

    @Test
    void aGzipFileOfRealDataBeyondTheHeapFailsClearlyInASmallHeap() throws Exception {
        // 100,000 images of zeros: 78 MB inflated, ~80 KiB on disk. In a 64 MiB heap this was an
        // OutOfMemoryError while reading; now the header is checked against the heap first.
        Path file = dir.resolve("train-images-idx3-ubyte.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(IdxBytes.header(0x08, 100_000, 28, 28));
            byte[] zeros = new byte[1 << 20];
            for (long left = 100_000L * 28 * 28; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(left, zeros.length));
            }
        }
        assertTrue(Files.size(file) < 1 << 20, Files.size(file) + " bytes on disk");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), ReadInChild.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        boolean finished = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            child.destroyForcibly();
        }
        assertTrue(finished, "the child JVM did not finish within 60 s: " + output);
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertTrue(output.startsWith("org.nnjava.data.NotEnoughMemoryException: " + file + " (gzip): the dimensions"
                + " [100000, 28, 28] of 0x08 unsigned byte elements (78400000 bytes of data, then 627200000 as a"
                + " double[] for a tensor) need 705600000 bytes of memory, but this JVM has only "), output);
        assertEquals(0, child.exitValue(), output);
    }

    /** Reads the IDX file named by its argument and prints the exception it gets; run in a small heap. */
    static final class ReadInChild {
        public static void main(String[] args) {
            try {
                IdxReader.read(Path.of(args[0]));
                System.out.println("read");
            } catch (IOException e) {
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aDirectoryWhereAnIdxFileBelongsIsRefused() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("train-images-idx3-ubyte.gz"));
        UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> IdxReader.read(directory));
        assertEquals("IDX file " + directory + " is a directory; give the path of a file", e.getMessage());

        UnreadableFileException fromLoader = assertThrows(UnreadableFileException.class,
                () -> DataSetLoader.builder().cacheDirectory(dir.resolve("cache")).build().loadFrom("mine", dir));
        assertEquals("data set file " + directory + " is a directory; give the path of a file", fromLoader.getMessage());
    }

    @Test
    void aFifoWhereAnIdxFileBelongsIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("train-images-idx3-ubyte");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo is not available: " + e.getMessage());
            return;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        UnreadableFileException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UnreadableFileException.class, () -> IdxReader.read(fifo)));
        assertEquals("IDX file " + fifo + " is not a regular file but a FIFO, socket or device, which could block or"
                + " never end; give the path of a regular file", e.getMessage());
        UnreadableFileException fromLoader = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(UnreadableFileException.class, () -> DataSetLoader.builder()
                        .cacheDirectory(dir.resolve("cache")).build().loadFrom("mine", dir)));
        assertTrue(fromLoader.getMessage().startsWith("data set file " + fifo + " is not a regular file"),
                fromLoader.getMessage());
    }
}
