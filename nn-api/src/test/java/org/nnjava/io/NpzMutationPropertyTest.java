package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded random mutations (byte flips, truncations, insertions) of valid archives, stored and deflated:
 * each either loads or fails with a {@link CheckpointFormatException}; never another exception, never
 * an error, never more memory than a small budget.
 */
class NpzMutationPropertyTest {

    private static final int CASES = 400;
    /** Far above what the valid archives hold, far below the heap: a mutated size cannot allocate much. */
    private static final long BUDGET = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void everyMutationLoadsOrIsAFormatError() throws IOException {
        Random random = new Random(20240611);
        byte[][] originals = {archive(ZipEntry.STORED), archive(ZipEntry.DEFLATED), ours()};
        Path file = dir.resolve("mutated.npz");
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] original = originals[c % originals.length];
            byte[] mutated = mutate(original, random);
            Files.write(file, mutated);
            try {
                if (random.nextBoolean()) {
                    Npz.load(file, BUDGET);
                } else {
                    Npz.loadArchive(file, BUDGET);
                }
            } catch (CheckpointFormatException e) {
                refused++;
                assertEquals(true, e.getMessage().startsWith("checkpoint " + file), e.getMessage());
            } catch (IOException | RuntimeException | Error e) {
                throw new AssertionError("case " + c + ": " + e.getClass().getName() + " instead of a"
                        + " CheckpointFormatException for bytes " + Arrays.toString(mutated), e);
            }
        }
        if (refused < CASES / 2) {
            fail("only " + refused + " of " + CASES + " mutations were refused: the mutations barely reach the checks");
        }
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(3)) {
            case 0: // flip 1 to 4 bytes
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
                }
                return bytes;
            case 1: // cut
                return Arrays.copyOf(bytes, random.nextInt(bytes.length));
            default: // insert 1 to 16 random bytes
                int at = random.nextInt(bytes.length + 1);
                byte[] inserted = new byte[1 + random.nextInt(16)];
                random.nextBytes(inserted);
                byte[] longer = new byte[bytes.length + inserted.length];
                System.arraycopy(bytes, 0, longer, 0, at);
                System.arraycopy(inserted, 0, longer, at, inserted.length);
                System.arraycopy(bytes, at, longer, at + inserted.length, bytes.length - at);
                return longer;
        }
    }

    /** Two small arrays, written by the JDK's zip writer. */
    private byte[] archive(int method) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("W1.npy", NpyFormat.encode(NpyArray.ofFloat64(NumpyFixtures.F8_2X3, 2, 3)));
        entries.put("b1.npy", NpyFormat.encode(NpyArray.ofFloat32(NumpyFixtures.F4_3, 3)));
        Path file = dir.resolve("valid" + method + ".npz");
        NpzTest.writeZip(file, method, entries);
        return Files.readAllBytes(file);
    }

    /** An archive with a file entry, written by {@link Npz#saveArchive}. */
    private byte[] ours() throws IOException {
        Path file = dir.resolve("ours.npz");
        Npz.saveArchive(file, Map.of("W1", NpyArray.ofFloat64(NumpyFixtures.F8_2X3, 2, 3)),
                Map.of("checkpoint.json", "{\"epoch\": 1}".getBytes(StandardCharsets.UTF_8)));
        return Files.readAllBytes(file);
    }
}
