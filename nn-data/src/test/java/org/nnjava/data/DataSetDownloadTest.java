package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnjava.data.LoopbackMirrors.Behaviour;

/** Downloads from mirrors on the loopback interface: verification, caching, and falling back mirror by mirror. */
class DataSetDownloadTest {

    private static final int[] TRAIN_PIXELS = {0, 1, 2, 3, 250, 251, 252, 253, 9, 8, 7, 6};
    private static final int[] TEST_PIXELS = {100, 101, 102, 103};

    @TempDir
    Path cache;

    private Map<String, byte[]> files;
    private LoopbackMirrors mirrors;
    private final Events events = new Events();

    @BeforeEach
    void serve() throws IOException {
        files = new LinkedHashMap<>();
        files.put("train-images-idx3-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {3, 2, 2}, TRAIN_PIXELS)));
        files.put("train-labels-idx1-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {3}, 4, 5, 6)));
        files.put("t10k-images-idx3-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {1, 2, 2}, TEST_PIXELS)));
        files.put("t10k-labels-idx1-ubyte.gz", IdxBytes.gzip(IdxBytes.ubyte(new int[] {1}, 7)));
        mirrors = new LoopbackMirrors(files);
    }

    @AfterEach
    void stop() {
        mirrors.close();
    }

    @Test
    void downloadsVerifiesAndCachesSoThatASecondLoadMakesNoRequest() throws IOException {
        RemoteDataSet remote = remote(mirrors.mirror("good", Behaviour.SERVE));

        ImageDataSet data = loader().load(remote);

        assertEquals("tiny", data.name());
        assertArrayEquals(TRAIN_PIXELS, data.train().images().toIntArray());
        assertEquals(7, data.test().label(0));
        assertEquals(4, mirrors.requests().size());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(cache.resolve("tiny").resolve(file.getKey())));
        }
        assertEquals(allFiles(), listing(), "only the four files, no temporary ones");
        assertTrue(events.lines.contains("started " + remote.mirrors().get(0) + "train-images-idx3-ubyte.gz "
                + files.get("train-images-idx3-ubyte.gz").length), events.lines.toString());
        assertTrue(events.lines.contains("progress " + remote.mirrors().get(0) + "t10k-labels-idx1-ubyte.gz "
                + files.get("t10k-labels-idx1-ubyte.gz").length), events.lines.toString());
        assertEquals(4, events.count("finished"));

        ImageDataSet again = loader().load(remote);

        assertEquals(4, mirrors.requests().size(), "the second load is served from the cache");
        assertArrayEquals(TRAIN_PIXELS, again.train().images().toIntArray());
    }

    @ParameterizedTest
    @EnumSource(names = {"NOT_FOUND", "UNAVAILABLE"})
    void anHttpErrorFallsBackToTheNextMirror(Behaviour behaviour) throws IOException {
        URI failing = mirrors.mirror("failing", behaviour);
        RemoteDataSet remote = remote(failing, mirrors.mirror("good", Behaviour.SERVE));

        ImageDataSet data = loader().load(remote);

        assertArrayEquals(TRAIN_PIXELS, data.train().images().toIntArray());
        String status = behaviour == Behaviour.NOT_FOUND ? "HTTP 404 Not Found" : "HTTP 503 Service Unavailable";
        assertTrue(events.lines.contains("failed " + failing + "train-images-idx3-ubyte.gz " + status), events.lines.toString());
        assertEquals(8, mirrors.requests().size(), "each file asked of both mirrors");
    }

    @Test
    void aBodyCutShortIsRejectedLeavesNothingAndTheNextMirrorIsTried() throws IOException {
        URI cutting = mirrors.mirror("cutting", Behaviour.CUT_SHORT);
        RemoteDataSet remote = remote(cutting, mirrors.mirror("good", Behaviour.SERVE));

        ImageDataSet data = loader().load(remote);

        assertArrayEquals(TRAIN_PIXELS, data.train().images().toIntArray());
        assertEquals(4, events.count("failed " + cutting), events.lines.toString());
        assertEquals(allFiles(), listing());
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            assertArrayEquals(file.getValue(), Files.readAllBytes(cache.resolve("tiny").resolve(file.getKey())));
        }
    }

    @Test
    void aCutBodyIsReportedAsSuch() throws IOException {
        URI cutting = mirrors.mirror("cutting", Behaviour.CUT_SHORT);

        DownloadException e = assertThrows(DownloadException.class, () -> loader().load(remote(cutting)));

        int length = files.get("train-images-idx3-ubyte.gz").length;
        assertEquals(cutting + "train-images-idx3-ubyte.gz: the body was cut short: " + length / 2 + " of " + length
                + " bytes", e.failures().get(0));
        assertEquals(List.of(), listing());
    }

    @Test
    void aWrongChecksumIsRejectedLeavesNothingAndTheNextMirrorIsTried() throws IOException {
        URI wrong = mirrors.mirror("wrong", Behaviour.WRONG_BYTES);
        RemoteDataSet remote = remote(wrong, mirrors.mirror("good", Behaviour.SERVE));

        ImageDataSet data = loader().load(remote);

        assertArrayEquals(TRAIN_PIXELS, data.train().images().toIntArray());
        String failure = events.lines.stream().filter(l -> l.startsWith("failed " + wrong + "train-images")).findFirst()
                .orElseThrow();
        assertTrue(failure.startsWith("failed " + wrong + "train-images-idx3-ubyte.gz checksum mismatch: MD5 is ")
                && failure.endsWith(", expected the published " + md5(files.get("train-images-idx3-ubyte.gz"))
                        + "; the file is damaged or not the genuine one"), failure);
        assertEquals(allFiles(), listing());
    }

    @Test
    void aStalledMirrorTimesOutAndTheNextIsTried() throws IOException {
        URI stalled = mirrors.mirror("stalled", Behaviour.STALL);
        RemoteDataSet remote = remote(stalled, mirrors.mirror("good", Behaviour.SERVE));
        DataSetLoader loader = DataSetLoader.builder().cacheDirectory(cache).listener(events)
                .readTimeout(Duration.ofMillis(200)).build();

        ImageDataSet data = loader.load(remote);

        assertArrayEquals(TRAIN_PIXELS, data.train().images().toIntArray());
        String failure = events.lines.stream().filter(l -> l.startsWith("failed " + stalled)).findFirst().orElseThrow();
        assertTrue(failure.contains("timed out") && failure.contains("read timeout 200 ms"), failure);
        assertEquals(allFiles(), listing());
    }

    @Test
    void aCorruptedCachedFileIsDetectedAndReplaced() throws IOException {
        RemoteDataSet remote = remote(mirrors.mirror("good", Behaviour.SERVE));
        loader().load(remote);
        Path labels = cache.resolve("tiny").resolve("train-labels-idx1-ubyte.gz");
        byte[] damaged = Files.readAllBytes(labels);
        damaged[damaged.length - 1] ^= 0x40;
        Files.write(labels, damaged);

        ImageDataSet data = loader().load(remote);

        assertEquals(5, mirrors.requests().size(), "only the damaged file is fetched again");
        assertEquals("/good/train-labels-idx1-ubyte.gz", mirrors.requests().get(4));
        assertArrayEquals(files.get("train-labels-idx1-ubyte.gz"), Files.readAllBytes(labels));
        assertEquals(6, data.train().label(2));
        assertTrue(events.lines.stream().anyMatch(l -> l.startsWith("rejected " + labels + " cached file failed"
                + " verification: " + labels + ": MD5 is ")),
                events.lines.toString());
    }

    @Test
    void whenEveryMirrorFailsOneErrorListsThemAllAndSaysWhereToPutTheFile() throws IOException {
        URI missing = mirrors.mirror("missing", Behaviour.NOT_FOUND);
        URI busy = mirrors.mirror("busy", Behaviour.UNAVAILABLE);
        URI wrong = mirrors.mirror("wrong", Behaviour.WRONG_BYTES);
        URI refusing = LoopbackMirrors.refusingMirror();
        RemoteDataSet remote = remote(missing, busy, wrong, refusing);

        DownloadException e = assertThrows(DownloadException.class, () -> loader().load(remote));

        String file = "train-images-idx3-ubyte.gz";
        List<String> failures = e.failures();
        assertEquals(4, failures.size());
        assertEquals(missing + file + ": HTTP 404 Not Found", failures.get(0));
        assertEquals(busy + file + ": HTTP 503 Service Unavailable", failures.get(1));
        assertTrue(failures.get(2).startsWith(wrong + file + ": checksum mismatch: MD5 is "), failures.get(2));
        assertTrue(failures.get(3).startsWith(refusing + file + ": ConnectException"), failures.get(3));
        String message = e.getMessage();
        assertTrue(message.startsWith("could not download " + file + " of tiny from any of its 4 mirrors:\n  "
                + String.join("\n  ", failures) + "\n"), message);
        assertTrue(message.contains("Download it by hand and put it in " + cache.resolve("tiny") + " (it must match MD5 "
                + md5(files.get(file)) + ")"), message);
        assertTrue(message.contains("--data DIR"), message);
        assertEquals(List.of(), listing(), "nothing left in the cache");
    }

    @Test
    void everyListedChecksumMustMatch() throws IOException {
        URI good = mirrors.mirror("good", Behaviour.SERVE);
        Map<MnistFile, List<Checksum>> sums = checksums();
        sums.put(MnistFile.TRAIN_IMAGES, List.of(sums.get(MnistFile.TRAIN_IMAGES).get(0),
                Checksum.sha256("00000000000000000000000000000000000000000000000000000000000000ff")));
        RemoteDataSet remote = new RemoteDataSet("tiny", List.of(good), sums);

        DownloadException e = assertThrows(DownloadException.class, () -> loader().load(remote));

        assertTrue(e.failures().get(0).contains("SHA-256 is " + sha256(files.get("train-images-idx3-ubyte.gz"))
                + ", expected the published 00000000000000000000000000000000000000000000000000000000000000ff"),
                e.failures().get(0));
    }

    private DataSetLoader loader() {
        return DataSetLoader.builder().cacheDirectory(cache).listener(events).build();
    }

    private RemoteDataSet remote(URI... urls) {
        return new RemoteDataSet("tiny", List.of(urls), checksums());
    }

    /** The oracle: MD5 of the bytes the good mirror serves, computed here with the JDK. */
    private Map<MnistFile, List<Checksum>> checksums() {
        Map<MnistFile, List<Checksum>> sums = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            sums.put(file, List.of(Checksum.md5(md5(files.get(file.gzipName())))));
        }
        return sums;
    }

    /** The four file names, sorted as {@link #listing()} sorts. */
    private List<String> allFiles() {
        return files.keySet().stream().sorted().collect(Collectors.toList());
    }

    /** The names in the data set's cache directory, sorted. */
    private List<String> listing() throws IOException {
        Path dir = cache.resolve("tiny");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String md5(byte[] bytes) {
        return digest("MD5", bytes);
    }

    private static String sha256(byte[] bytes) {
        return digest("SHA-256", bytes);
    }

    private static String digest(String algorithm, byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Records listener events as lines: {@code started URL total}, {@code progress URL bytes}, ... */
    static final class Events implements DownloadListener {
        final List<String> lines = new ArrayList<>();

        @Override
        public void started(URI source, long totalBytes) {
            lines.add("started " + source + " " + totalBytes);
        }

        @Override
        public void progress(URI source, long bytesRead, long totalBytes) {
            lines.add("progress " + source + " " + bytesRead);
        }

        @Override
        public void finished(URI source, Path file) {
            lines.add("finished " + source + " " + file);
        }

        @Override
        public void failed(URI source, String reason) {
            lines.add("failed " + source + " " + reason);
        }

        @Override
        public void cachedFileRejected(Path file, String reason) {
            lines.add("rejected " + file + " " + reason);
        }

        long count(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }
}
