package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.data.LoopbackMirrors.Behaviour;

/**
 * Downloads are bounded in bytes (the file's recorded size) and in time (a per-file deadline), leave
 * nothing behind when they fail, clean up what a killed run left, and never destroy a cached file that
 * fails verification. Mirrors on 127.0.0.1 only; the recorded sizes here are the tiny test files' own,
 * so an endless body writes at most a few dozen bytes.
 */
class DownloadBoundsTest {

    private static final String IMAGES = "train-images-idx3-ubyte.gz";

    @TempDir
    Path cache;

    private Map<String, byte[]> files;
    private LoopbackMirrors mirrors;
    /** Every listener event as a line ({@code started URL total}, {@code progress URL bytes}, ...). */
    private final DataSetDownloadTest.Events listener = new DataSetDownloadTest.Events();
    private final List<String> events = listener.lines;

    @BeforeEach
    void serve() throws IOException {
        files = new LinkedHashMap<>();
        files.put(IMAGES, IdxBytes.gzip(IdxBytes.ubyte(new int[] {3, 2, 2}, 0, 1, 2, 3, 250, 251, 252, 253, 9, 8, 7, 6)));
        files.put("train-labels-idx1-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {3}, 4, 5, 6)));
        files.put("t10k-images-idx3-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {1, 2, 2}, 100, 101, 102, 103)));
        files.put("t10k-labels-idx1-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {1}, 7)));
        mirrors = new LoopbackMirrors(files);
    }

    @AfterEach
    void stop() {
        mirrors.close();
    }

    @Test
    void anEndlessBodyIsCutOffAtTheFileSizeAndTheNextMirrorIsTried() throws IOException {
        URI endless = mirrors.mirror("endless", Behaviour.ENDLESS);
        ImageDataSet data = loader(Duration.ofSeconds(20)).load(remote(endless, mirrors.mirror("good", Behaviour.SERVE)));

        assertEquals(3, data.train().count());
        int size = files.get(IMAGES).length;
        String failure = failure(endless);
        assertTrue(failure.startsWith("the body passed the " + size + " bytes " + IMAGES + " has (Content-Length"
                + " absent); cut off after "), failure);
        assertTrue(failure.endsWith(" bytes, nothing kept"), failure);
        long written = events.stream().filter(e -> e.startsWith("progress " + endless))
                .mapToLong(e -> Long.parseLong(e.substring(e.lastIndexOf(' ') + 1))).max().orElse(0);
        assertTrue(written <= size, "wrote " + written + " bytes of an endless body, more than the " + size);
        assertEquals(allFiles(), listing(), "no partial file left");
    }

    @Test
    void aTricklingMirrorIsAbandonedAtTheDeadline() throws IOException {
        URI trickle = mirrors.mirror("trickle", Behaviour.TRICKLE);
        DataSetLoader loader = loader(Duration.ofSeconds(1));
        RemoteDataSet remote = remote(trickle, mirrors.mirror("good", Behaviour.SERVE));

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> loader.load(remote));

        String failure = failure(trickle);
        assertTrue(failure.startsWith("gave up after the download deadline of 1 s for " + IMAGES + " ("), failure);
        assertTrue(failure.endsWith(" bytes received): the mirror is too slow; raise the deadline with"
                + " -Dnn.download.timeout=<seconds or ISO-8601 such as PT20M> or DataSetLoader.Builder.downloadTimeout"),
                failure);
        assertEquals(allFiles(), listing());
    }

    @Test
    void aContentLengthAboveTheFileSizeIsRefusedBeforeReading() throws IOException {
        URI oversized = mirrors.mirror("oversized", Behaviour.OVERSIZED);
        loader(Duration.ofSeconds(20)).load(remote(oversized, mirrors.mirror("good", Behaviour.SERVE)));

        int size = files.get(IMAGES).length;
        assertEquals("Content-Length " + (size + 1000) + " is larger than the " + size + " bytes " + IMAGES + " has;"
                + " refused before reading the body", failure(oversized));
        assertFalse(events.stream().anyMatch(e -> e.startsWith("started " + oversized)), events.toString());
        assertEquals(allFiles(), listing());
    }

    @Test
    void aBodyShorterThanTheFileIsRefusedEvenWhenItMatchesItsContentLength() throws IOException {
        URI lying = mirrors.mirror("lying", Behaviour.SHORT_LENGTH);
        loader(Duration.ofSeconds(20)).load(remote(lying, mirrors.mirror("good", Behaviour.SERVE)));

        int size = files.get(IMAGES).length;
        assertEquals("the body has " + size / 2 + " bytes, but " + IMAGES + " has " + size + "; the mirror serves"
                + " another file", failure(lying));
        assertEquals(allFiles(), listing());
    }

    @Test
    void partialFilesOfAKilledRunAreRemovedButNotLiveOnesNorOthers() throws IOException {
        Path directory = Files.createDirectories(cache.resolve("tiny"));
        Path stale = Files.write(directory.resolve("." + IMAGES + ".123456.part"), new byte[10]);
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));
        Path live = Files.write(directory.resolve(".t10k-labels-idx1-ubyte.gz.42.part"), new byte[10]);
        Path foreign = Files.write(directory.resolve(".notes.txt.1.part"), new byte[10]);
        Files.setLastModifiedTime(foreign, FileTime.from(Instant.now().minus(Duration.ofMinutes(5))));

        loader(Duration.ofSeconds(20)).load(remote(mirrors.mirror("good", Behaviour.SERVE)));

        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live), "a partial file touched within 2 minutes may be another process's download");
        assertTrue(Files.exists(foreign), "only our own naming pattern is removed");
    }

    @Test
    void aCachedFileThatFailsIsReportedWithWhatWasFoundAndMovedAsideNotDeleted() throws IOException {
        Path directory = Files.createDirectories(cache.resolve("tiny"));
        Path placed = Files.write(directory.resolve(IMAGES), "my own copy".getBytes(StandardCharsets.UTF_8));
        byte[] sameSize = files.get("train-labels-idx1-ubyte.gz").clone();
        sameSize[sameSize.length - 1] ^= 1;
        Path damaged = Files.write(directory.resolve("train-labels-idx1-ubyte.gz"), sameSize);

        ImageDataSet data = loader(Duration.ofSeconds(20)).load(remote(mirrors.mirror("good", Behaviour.SERVE)));

        assertEquals(3, data.train().count());
        assertArrayEquals("my own copy".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(directory.resolve(IMAGES + ".rejected")));
        assertArrayEquals(sameSize, Files.readAllBytes(directory.resolve("train-labels-idx1-ubyte.gz.rejected")));
        assertTrue(events.contains("rejected " + placed + " cached file failed verification: " + placed + ": it has 11"
                + " bytes, expected " + files.get(IMAGES).length + " bytes. Moved aside to " + placed + ".rejected"
                + " (delete it once you have looked); downloading the file again"), events.toString());
        assertTrue(events.contains("rejected " + damaged + " cached file failed verification: " + damaged + ": MD5 is "
                + md5(sameSize) + ", expected the published " + md5(files.get("train-labels-idx1-ubyte.gz"))
                + "; the file is damaged or not the genuine one (" + sameSize.length + " bytes). Moved aside to "
                + damaged + ".rejected (delete it once you have looked); downloading the file again"), events.toString());
    }

    @Test
    void withoutAListenerARejectedCachedFileIsReportedOnStderr() throws IOException {
        Path directory = Files.createDirectories(cache.resolve("tiny"));
        Path placed = Files.write(directory.resolve(IMAGES), new byte[3]);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DataSetLoader.builder().cacheDirectory(cache).build().load(remote(mirrors.mirror("good", Behaviour.SERVE)));
        } finally {
            System.setErr(stderr);
        }
        assertEquals("nnjava: cached file failed verification: " + placed + ": it has 3 bytes, expected "
                + files.get(IMAGES).length + " bytes. Moved aside to " + placed + ".rejected (delete it once you have"
                + " looked); downloading the file again" + System.lineSeparator(),
                captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theDeadlinePropertyTakesSecondsOrIsoDurations() {
        assertEquals(DataSetLoader.DEFAULT_DOWNLOAD_TIMEOUT, DataSetLoader.downloadTimeout(null));
        assertEquals(Duration.ofMinutes(5), DataSetLoader.DEFAULT_DOWNLOAD_TIMEOUT);
        assertEquals(Duration.ofSeconds(600), DataSetLoader.downloadTimeout("600"));
        assertEquals(Duration.ofMinutes(20), DataSetLoader.downloadTimeout("PT20M"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSetLoader.downloadTimeout("ten minutes"));
        assertEquals("-Dnn.download.timeout=ten minutes is not a duration; give whole seconds (600) or an ISO-8601"
                + " duration (PT20M)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DataSetLoader.downloadTimeout("0"));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private DataSetLoader loader(Duration deadline) {
        return DataSetLoader.builder().cacheDirectory(cache).listener(listener).downloadTimeout(deadline).build();
    }

    /** The tiny data set, with the MD5 and the exact size of each file the good mirror serves. */
    private RemoteDataSet remote(URI... urls) {
        Map<MnistFile, List<Checksum>> sums = new EnumMap<>(MnistFile.class);
        Map<MnistFile, Long> sizes = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            sums.put(file, List.of(Checksum.md5(md5(files.get(file.gzipName())))));
            sizes.put(file, (long) files.get(file.gzipName()).length);
        }
        return new RemoteDataSet("tiny", List.of(urls), sums, sizes);
    }

    /** The reason the listener was given for {@code mirror}'s failure on the images file. */
    private String failure(URI mirror) {
        String prefix = "failed " + mirror + IMAGES + " ";
        return events.stream().filter(e -> e.startsWith(prefix)).map(e -> e.substring(prefix.length()))
                .findFirst().orElseThrow(() -> new AssertionError("no failure of " + mirror + " in " + events));
    }

    private List<String> allFiles() {
        return files.keySet().stream().sorted().collect(Collectors.toList());
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> paths = Files.list(cache.resolve("tiny"))) {
            return paths.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
