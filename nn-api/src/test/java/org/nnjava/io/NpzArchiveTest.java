package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nnjava.io.NumpyFixtures.F4_3;
import static org.nnjava.io.NumpyFixtures.F8_2X3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Archives with non-array entries (such as checkpoint.json) beside the arrays. */
class NpzArchiveTest {

    private static final byte[] JSON = "{\"epoch\": 3}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    @Test
    void roundTripsArraysAndFilesInOrder() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W1", NpyArray.ofFloat64(F8_2X3, 2, 3));
        arrays.put("b1", NpyArray.ofFloat32(F4_3, 3));
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("checkpoint.json", JSON);
        files.put("notes.txt", new byte[0]);
        Path file = dir.resolve("model.npz");

        Npz.saveArchive(file, arrays, files);
        NpzArchive loaded = Npz.loadArchive(file);

        assertEquals(new NpzArchive(arrays, files), loaded);
        assertEquals(List.of("W1", "b1"), List.copyOf(loaded.arrays().keySet()));
        assertEquals(List.of("checkpoint.json", "notes.txt"), List.copyOf(loaded.files().keySet()));
        assertArrayEquals(JSON, loaded.file("checkpoint.json"));
        assertEquals(List.of("W1.npy", "b1.npy", "checkpoint.json", "notes.txt"), entryNames(file));
    }

    @Test
    void loadReadsTheArraysAndSkipsTheFiles() throws IOException {
        Path file = dir.resolve("model.npz");
        Npz.saveArchive(file, Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3)), Map.of("checkpoint.json", JSON));
        assertEquals(Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3)), Npz.load(file));
    }

    @Test
    void theSameContentGivesTheSameBytes() throws IOException {
        Map<String, NpyArray> arrays = Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3));
        Npz.saveArchive(dir.resolve("one.npz"), arrays, Map.of("checkpoint.json", JSON));
        Npz.saveArchive(dir.resolve("two.npz"), arrays, Map.of("checkpoint.json", JSON));
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.npz")), Files.readAllBytes(dir.resolve("two.npz")));
    }

    @Test
    void filesAreStoredUncompressedWithTheZipEpochAsTime() throws IOException {
        Path file = dir.resolve("model.npz");
        Npz.saveArchive(file, Map.of(), Map.of("checkpoint.json", JSON));
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry("checkpoint.json");
            assertEquals(ZipEntry.STORED, entry.getMethod());
            assertEquals(java.time.LocalDateTime.of(1980, 1, 1, 0, 0), entry.getTimeLocal());
        }
    }

    @Test
    void theArchiveCopiesItsBytesInAndOut() {
        byte[] content = JSON.clone();
        NpzArchive archive = new NpzArchive(Map.of(), Map.of("a.json", content));
        content[0] = 'X';
        archive.files().get("a.json")[1] = 'X';
        archive.file("a.json")[2] = 'X';
        assertArrayEquals(JSON, archive.file("a.json"));
        assertThrows(UnsupportedOperationException.class, () -> archive.files().remove("a.json"));
        assertThrows(UnsupportedOperationException.class, () -> archive.arrays().remove("W1"));
        assertNotEquals(new NpzArchive(Map.of(), Map.of("a.json", new byte[1])), archive);
        assertEquals("NpzArchive[arrays={}, files={a.json=12 bytes}]", archive.toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "checkpoint|file entry name 'checkpoint' needs an extension other than .npy, such as checkpoint.json: numpy reads '<name>.npy' entries as arrays",
        "W1.npy|file entry name 'W1.npy' needs an extension other than .npy, such as checkpoint.json: numpy reads '<name>.npy' entries as arrays",
        "W1.NPY|file entry name 'W1.NPY' needs an extension other than .npy, such as checkpoint.json: numpy reads '<name>.npy' entries as arrays",
        ".json|file entry name '.json' needs an extension other than .npy, such as checkpoint.json: numpy reads '<name>.npy' entries as arrays",
        "notes.|file entry name 'notes.' needs an extension other than .npy, such as checkpoint.json: numpy reads '<name>.npy' entries as arrays",
        "../x.json|file entry name '../x.json' contains '..' (a path traversal); use flat names such as checkpoint.json",
        "dir/x.json|file entry name 'dir/x.json' contains '/' (a directory inside the archive); use flat names such as checkpoint.json",
        "/x.json|file entry name '/x.json' is an absolute path; use flat names such as checkpoint.json",
    })
    void refusesFileNamesThatAreNotFlatOrLookLikeArrays(String name, String message) {
        Path file = dir.resolve("model.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npz.saveArchive(file, Map.of(), Map.of(name, JSON)));
        assertEquals(message, e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesFileContentNumpyWouldReadAsAnArray() {
        byte[] npy = NpyFormat.encode(NpyArray.ofFloat64(new double[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npz.saveArchive(dir.resolve("m.npz"), Map.of(), Map.of("x.bin", npy)));
        assertEquals("file entry 'x.bin' starts with the .npy magic \\x93NUMPY, so numpy would read it as an array;"
                + " save arrays in the arrays map", e.getMessage());
    }

    @Test
    void refusesAFileNamedAsAnArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npz.saveArchive(
                dir.resolve("m.npz"), Map.of("a.json", NpyArray.ofFloat64(new double[] {1})), Map.of("a.json", JSON)));
        assertEquals("file entry 'a.json' has the name of an array; numpy's np.load would list both as 'a.json',"
                + " so rename one", e.getMessage());
    }

    @Test
    void refusesAFileEntryOverTheCapBeforeWriting() {
        byte[] big = new byte[(int) Npz.MAX_FILE_ENTRY_BYTES + 1];
        Path file = dir.resolve("m.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npz.saveArchive(file, Map.of(), Map.of("big.bin", big)));
        assertEquals("file entry 'big.bin' has 16777217 bytes, more than the 16777216 a file entry may hold"
                + " (Npz.MAX_FILE_ENTRY_BYTES); save large data as arrays", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void refusesToLoadAFileEntryOverTheCap() throws IOException {
        Path file = dir.resolve("big.npz");
        // deflated zeros: a few KiB on disk, 16 MiB + 1 declared, within deflate's ratio
        NpzTest.writeZip(file, ZipEntry.DEFLATED, Map.of("big.bin", new byte[(int) Npz.MAX_FILE_ENTRY_BYTES + 1]));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Npz.loadArchive(file));
        assertEquals("checkpoint " + file + ", entry 'big.bin': a file entry of 16777217 bytes, more than the"
                + " 16777216 a non-array entry may hold (Npz.MAX_FILE_ENTRY_BYTES); store large data as arrays"
                + " ('<name>.npy')", e.getMessage());
        assertEquals(e.getMessage(), assertThrows(CheckpointFormatException.class, () -> Npz.load(file)).getMessage());
    }

    @Test
    void fileEntriesCountInTheBudget() throws IOException {
        Path file = dir.resolve("model.npz");
        Npz.saveArchive(file, Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3)), Map.of("checkpoint.json", JSON));
        assertEquals(1, Npz.loadArchive(file, 48 + JSON.length).files().size());
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> Npz.loadArchive(file, 48 + JSON.length - 1));
        assertEquals("checkpoint " + file + ", entry 'checkpoint.json': a file entry of 12 bytes needs 12 bytes; with"
                + " the 48 bytes of the entries before it, that exceeds the byte budget of 59 bytes for one .npz. If"
                + " the file is genuine, load it with Npz.load(file, byteBudget) or Npz.loadArchive(file, byteBudget)"
                + " and a larger budget, or give the JVM more memory (-Xmx; for ./nn, JAVA_OPTS=-Xmx4g), which"
                + " raises the default budget", e.getMessage());
    }

    private static List<String> entryNames(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            return zip.stream().map(ZipEntry::getName).toList();
        }
    }
}
