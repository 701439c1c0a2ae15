package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nnjava.io.NumpyFixtures.F4_3;
import static org.nnjava.io.NumpyFixtures.F8_2X3;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/** Saving and loading whole .npz archives: round trips, numpy's archives, and archives to refuse. */
class NpzTest {

    @TempDir
    Path dir;

    private static final String F8_2X3_HEADER = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }";

    @Test
    void roundTripsEveryDtypeAndRankInOrder() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("scalar", NpyArray.ofFloat64(new double[] {Double.NaN}));
        arrays.put("W1", NpyArray.ofFloat64(F8_2X3, 2, 3));
        arrays.put("b1", NpyArray.ofFloat32(F4_3, 3));
        arrays.put("cube", NpyArray.ofFloat32(NumpyFixtures.f4Eighths(24), 2, 3, 4));
        arrays.put("empty", NpyArray.ofFloat64(new double[0], 0));
        arrays.put("empty2d", NpyArray.ofFloat32(new float[0], 2, 0));
        arrays.put("a", NpyArray.ofFloat32(new float[] {Float.NaN, -0f, Float.MIN_VALUE, Float.NEGATIVE_INFINITY}, 4));
        Path file = dir.resolve("model.npz");
        Npz.saveArrays(file, arrays);
        Map<String, NpyArray> loaded = Npz.load(file);
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(loaded.keySet()));
        assertEquals(arrays, loaded);
        assertThrows(UnsupportedOperationException.class, () -> loaded.remove("W1"));
    }

    @Test
    void roundTripsAnEmptyArchive() throws IOException {
        Path file = dir.resolve("none.npz");
        Npz.saveArrays(file, Map.of());
        assertEquals(Map.of(), Npz.load(file));
    }

    @Test
    void savesTensorsInTheirOwnDtype() throws IOException {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("W1", new ReferenceBackend(DType.FLOAT64).fromArray(F8_2X3, 2, 3));
        params.put("b1", new ReferenceBackend(DType.FLOAT32).fromArray(new double[] {0.1, -1.5, 3.4028235e38}, 3));
        Path file = dir.resolve("model.npz");
        Npz.save(file, params);
        assertEquals(Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3), "b1", NpyArray.ofFloat32(F4_3, 3)), Npz.load(file));
    }

    @Test
    void theSameArraysGiveTheSameBytes() throws IOException {
        Map<String, NpyArray> arrays = Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3));
        Npz.saveArrays(dir.resolve("one.npz"), arrays);
        Npz.saveArrays(dir.resolve("two.npz"), arrays);
        assertArrayEquals(Files.readAllBytes(dir.resolve("one.npz")), Files.readAllBytes(dir.resolve("two.npz")));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"checkpoint.npz", "checkpoint_compressed.npz"})
    void readsArchivesWrittenByNumpysSavezAndSavezCompressed(String fixture) throws IOException {
        Map<String, NpyArray> loaded = Npz.load(NumpyFixtures.path(fixture));
        assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(loaded.keySet()));
        assertEquals(NpyArray.ofFloat64(F8_2X3, 2, 3), loaded.get("W1"));
        assertEquals(NpyArray.ofFloat32(F4_3, 3), loaded.get("b1"));
        assertEquals(NpyArray.ofFloat32(NumpyFixtures.f4Eighths(24), 2, 3, 4), loaded.get("W2")); // stored '>f4'
        assertEquals(NpyArray.ofFloat64(new double[] {2.5}), loaded.get("b2"));
    }

    @Test
    void refusesToSaveNamesItWouldRefuseToLoad() {
        Path file = dir.resolve("model.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npz.saveArrays(file, Map.of("../W1", NpyArray.ofFloat64(new double[] {1}))));
        assertEquals("array name '../W1' contains '..' (a path traversal); use flat names such as W1 or b1",
                e.getMessage());
        assertFalse(Files.exists(file));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "../evil.npy|entry name contains '..' (a path traversal); an .npz holds flat names such as 'W1.npy', so the file is refused",
        "/etc/evil.npy|entry name is an absolute path; an .npz holds flat names such as 'W1.npy', so the file is refused",
        "C:\\evil.npy|entry name contains a backslash (a Windows path separator); an .npz holds flat names such as 'W1.npy', so the file is refused",
        "dir/W1.npy|entry name contains '/' (a directory inside the archive); an .npz holds flat names such as 'W1.npy', so the file is refused",
        ".npy|entry is not an array: the entries of an .npz are named '<name>.npy'",
    })
    void refusesEntryNamesOutsideTheArchiveOrNotArrays(String entryName, String problem) throws IOException {
        Path file = dir.resolve("bad.npz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("W0.npy", NpyFormat.encode(NpyArray.ofFloat64(new double[] {1})));
        entries.put(entryName, NpyFormat.encode(NpyArray.ofFloat64(new double[] {1})));
        writeZip(file, ZipEntry.STORED, entries);
        assertEquals("checkpoint " + file + ", entry '" + entryName + "': " + problem, rejection(file));
    }

    @Test
    void refusesDuplicateNames() throws IOException {
        Path file = dir.resolve("dup.npz");
        byte[] array = NpyFormat.encode(NpyArray.ofFloat64(new double[] {1}));
        writeZip(file, ZipEntry.STORED, Map.of("W1.npy", array, "W2.npy", array));
        // ZipOutputStream refuses duplicate names, so rename W2 to W1 in the bytes (same length).
        String latin1 = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        Files.write(file, latin1.replace("W2.npy", "W1.npy").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("checkpoint " + file + ", entry 'W1.npy': the archive has two entries named 'W1.npy'; each"
                + " array name must be unique", rejection(file));
    }

    @Test
    void refusesAFileThatIsNotAZip() throws IOException {
        Path file = dir.resolve("model.npz");
        Files.write(file, NumpyFixtures.bytes("f8_2x3.npy")); // an .npy where an .npz belongs
        String message = rejection(file);
        assertEquals("checkpoint " + file + ": not a zip archive (an .npz file is a zip of .npy arrays, as np.savez"
                + " writes): ", message.substring(0, message.lastIndexOf(": ") + 2));
    }

    @Test
    void refusesAnEntryWhoseDataFailsItsChecksum() throws IOException {
        Path file = dir.resolve("model.npz");
        byte[] array = NpyFormat.encode(NpyArray.ofFloat64(F8_2X3, 2, 3));
        writeZip(file, ZipEntry.STORED, Map.of("W1.npy", array));
        byte[] zip = Files.readAllBytes(file);
        zip[indexOf(zip, array) + array.length - 2] ^= 1; // a bit of the last value: the header stays valid
        Files.write(file, zip);
        assertEquals("checkpoint " + file + ", entry 'W1.npy': CRC-32 mismatch: the entry's data is corrupt",
                rejection(file));
    }

    @Test
    void refusesAZipBombWhoseDirectoryDeclaresTheHeadersSize() throws IOException {
        // 64 MiB of zeros after a header that declares 6 values, deflated to a few KiB; the central
        // directory is then made to claim exactly the size the header needs, so the size check passes
        // and reading stops after the 48 bytes the shape needs plus one.
        byte[] header = NpyFormatTest.npy(1, 0, F8_2X3_HEADER, new byte[0]);
        byte[] bomb = Arrays.copyOf(header, header.length + (64 << 20));
        Path file = dir.resolve("bomb.npz");
        writeZip(file, ZipEntry.DEFLATED, Map.of("W1.npy", bomb));
        byte[] zip = Files.readAllBytes(file);
        int central = indexOf(zip, new byte[] {'P', 'K', 1, 2});
        putIntLE(zip, central + 24, header.length + 48); // uncompressed size in the central directory
        Files.write(file, zip);
        assertEquals("checkpoint " + file + ", entry 'W1.npy': data is longer than the 48 bytes that shape (2, 3)"
                + " of '<f8' needs; the entry is corrupt or its header names the wrong shape", rejection(file));
    }

    @Test
    void refusesAZipBombByItsDeclaredSizeBeforeReadingData() throws IOException {
        byte[] header = NpyFormatTest.npy(1, 0, F8_2X3_HEADER, new byte[0]);
        byte[] bomb = Arrays.copyOf(header, header.length + (64 << 20));
        Path file = dir.resolve("bomb.npz");
        writeZip(file, ZipEntry.DEFLATED, Map.of("W1.npy", bomb));
        assertEquals("checkpoint " + file + ", entry 'W1.npy': data is longer than the 48 bytes that shape (2, 3)"
                + " of '<f8' needs; the entry is corrupt or its header names the wrong shape", rejection(file));
    }

    @Test
    void namesTheEntryInHeaderErrors() throws IOException {
        Path file = dir.resolve("model.npz");
        writeZip(file, ZipEntry.STORED, Map.of("W1.npy", NumpyFixtures.bytes("object.npy")));
        assertEquals("checkpoint " + file + ", entry 'W1.npy': dtype '|O' is an object array, stored as a Python"
                + " pickle, which is never loaded because unpickling can run code; save the array as float64 or"
                + " float32 (a.astype(np.float64))", rejection(file));
    }

    // ---- helpers ----------------------------------------------------------------------------------

    private static String rejection(Path file) {
        return assertThrows(CheckpointFormatException.class, () -> Npz.load(file)).getMessage();
    }

    /** A zip with the given entries, in order, written by the JDK rather than by the code under test. */
    static void writeZip(Path file, int method, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(method);
                if (method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setCrc(crc.getValue());
                    entry.setSize(e.getValue().length);
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

    /** The first index at which {@code needle} occurs in {@code haystack}. */
    static int indexOf(byte[] haystack, byte[] needle) {
        return indexOf(haystack, needle, 0);
    }

    /** The first index at or after {@code from} at which {@code needle} occurs in {@code haystack}. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not found");
    }

    /** Writes {@code value} little-endian at {@code offset}, as zip headers store it. */
    static void putIntLE(byte[] bytes, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
