package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.tensor.Tensor;

/**
 * Archives built to exhaust memory (zip bombs, forged sizes, huge entry counts) fail with a clear
 * {@link CheckpointFormatException} before anything large is allocated. The archives are made here at
 * run time, a few KiB to a few hundred KiB on disk each; none is committed.
 */
class NpzBoundsTest {

    @TempDir
    Path dir;

    @Test
    void refusesTheArrayThatPassesTheBudgetBeforeAllocatingIt() throws IOException {
        Path file = dir.resolve("bomb.npz");
        writeZerosArchive(file, 2, 1_000_000); // two arrays of 8,000,000 bytes each, deflated to ~8 KiB
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Npz.load(file, 10_000_000));
        assertEquals("checkpoint " + file + ", entry 'a1.npy': shape (1000000,) of '<f8' needs 8000000 bytes; with"
                + " the 8000000 bytes of the entries before it, that exceeds the byte budget of 10000000 bytes for"
                + " one .npz. If the file is genuine, load it with Npz.load(file, byteBudget) or"
                + " Npz.loadArchive(file, byteBudget) and a larger budget, or give the JVM more memory (-Xmx; for"
                + " ./nn, JAVA_OPTS=-Xmx4g), which raises the default budget", e.getMessage());
        assertEquals(2, Npz.load(file, 16_000_000).size()); // exactly enough
    }

    @Test
    void theDefaultBudgetIsAtMostHalfTheHeapAndAtMostOneGibibyte() {
        long expected = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 2);
        assertEquals(expected, Npz.defaultByteBudget());
    }

    @Test
    void aZipBombFailsClearlyInASmallHeap() throws Exception {
        // 100,000,000 bytes declared honestly by header and directory, ~100 KiB on disk: with -Xmx64m the
        // default budget (half the heap) refuses it; before the budget this was an OutOfMemoryError.
        Path file = dir.resolve("bomb.npz");
        writeZerosArchive(file, 1, 12_500_000);
        assertTrue(Files.size(file) < 1 << 20, Files.size(file) + " bytes on disk");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), LoadInChild.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        boolean finished = child.waitFor(60, TimeUnit.SECONDS);
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!finished) {
            child.destroyForcibly();
        }
        assertTrue(finished, "the child JVM did not finish within 60 s: " + output);
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertTrue(output.startsWith("org.nnjava.io.CheckpointFormatException: checkpoint " + file
                + ", entry 'a0.npy': shape (12500000,) of '<f8' needs 100000000 bytes; with the 0 bytes of the"
                + " entries before it, that exceeds the byte budget of "), output);
        assertEquals(0, child.exitValue(), output);
    }

    /** Loads the archive named by its argument and prints the exception it gets; run in a small heap. */
    static final class LoadInChild {
        public static void main(String[] args) {
            try {
                Npz.load(Path.of(args[0]));
                System.out.println("loaded");
            } catch (IOException e) {
                System.out.println(e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void refusesADeclaredSizeDeflateCannotReach() throws IOException {
        Path file = dir.resolve("forged.npz");
        NpzTest.writeZip(file, ZipEntry.DEFLATED, Map.of("W1.npy", NpyFormat.encode(NpyArray.ofFloat64(new double[6], 6))));
        long compressed;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            compressed = zip.getEntry("W1.npy").getCompressedSize();
        }
        byte[] bytes = Files.readAllBytes(file);
        int central = NpzTest.indexOf(bytes, new byte[] {'P', 'K', 1, 2});
        NpzTest.putIntLE(bytes, central + 24, 2_000_000_000); // the uncompressed size the directory declares
        Files.write(file, bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Npz.load(file));
        assertEquals("checkpoint " + file + ", entry 'W1.npy': the entry declares 2000000000 bytes inflated from "
                + compressed + " compressed bytes, more than the 1032:1 deflate can reach; its sizes are forged (a"
                + " zip bomb), so the file is refused", e.getMessage());
    }

    @Test
    void refusesMoreEntriesThanTheCapBeforeReadingAny() throws IOException {
        Path file = dir.resolve("many.npz");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i <= Npz.MAX_ENTRIES; i++) {
                zip.putNextEntry(new ZipEntry("a" + i + ".npy"));
                zip.closeEntry();
            }
        }
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Npz.load(file));
        assertEquals("checkpoint " + file + ": the archive has 10001 entries, more than the 10000 an .npz may hold"
                + " here (Npz.MAX_ENTRIES); a checkpoint holds one entry per array, so the file is corrupt or not a"
                + " checkpoint", e.getMessage());
    }

    @Test
    void namesTheEntryAndTheMethodOfAnUnsupportedCompression() throws IOException {
        Path file = dir.resolve("bzip2.npz");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("W0.npy", NpyFormat.encode(NpyArray.ofFloat64(new double[] {1})));
        entries.put("W1.npy", NpyFormat.encode(NpyArray.ofFloat64(new double[] {2})));
        NpzTest.writeZip(file, ZipEntry.STORED, entries);
        byte[] bytes = Files.readAllBytes(file);
        int central = NpzTest.indexOf(bytes, new byte[] {'P', 'K', 1, 2});
        int second = NpzTest.indexOf(bytes, new byte[] {'P', 'K', 1, 2}, central + 4);
        bytes[second + 10] = 12; // the compression method of W1.npy in the central directory: bzip2
        Files.write(file, bytes);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Npz.load(file));
        assertEquals("checkpoint " + file + ": entry 'W1.npy' is compressed with bzip2 (method 12); only stored and"
                + " deflated entries are supported: re-save it with np.savez or np.savez_compressed", e.getMessage());
    }

    @Test
    void aMismatchMessageListsTheFirstTenAndCountsTheRest() throws IOException {
        Path file = dir.resolve("model.npz");
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < 25; i++) {
            arrays.put("a" + i, NpyArray.ofFloat64(new double[] {i}, 1));
        }
        Npz.saveArrays(file, arrays);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> Npz.loadInto(file, Map.<String, Tensor>of()));
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            shown.add("unexpected a" + i + " (file has [1])");
        }
        assertEquals("checkpoint " + file + " does not fit the network (25 mismatches): " + String.join("; ", shown)
                + "; and 15 more. Load a checkpoint saved from a network with the same parameter names and layer"
                + " sizes", e.getMessage());
        assertEquals(25, e.mismatches().size());
    }

    // ---- helpers ----------------------------------------------------------------------------------

    /** Arrays a0, a1, ... each of {@code values} float64 zeros, deflated, streamed: never held in memory. */
    private static void writeZerosArchive(Path file, int arrays, int values) throws IOException {
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + values + ",), }";
        byte[] prefix = NpyFormatTest.npy(1, 0, header, new byte[0]);
        byte[] zeros = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int a = 0; a < arrays; a++) {
                zip.putNextEntry(new ZipEntry("a" + a + ".npy"));
                zip.write(prefix);
                for (long left = 8L * values; left > 0; left -= zeros.length) {
                    zip.write(zeros, 0, (int) Math.min(left, zeros.length));
                }
                zip.closeEntry();
            }
        }
    }
}
