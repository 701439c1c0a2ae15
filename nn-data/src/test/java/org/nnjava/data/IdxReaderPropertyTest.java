package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many seeded random cases: random valid IDX files read back exactly; the same files cut at random
 * lengths, mutated, or random bytes, always give an {@link IdxFormatException} (or, for a header that
 * claims gigabytes, a {@link NotEnoughMemoryException}), never another exception.
 */
class IdxReaderPropertyTest {

    private static final int CASES = 400;
    private static final int[] CODES = {0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E};

    @TempDir
    Path dir;

    /** A random valid file: its type code, dims, values (each representable in the type) and bytes. */
    private record Sample(int code, int[] dims, double[] values, byte[] bytes) {
    }

    private static Sample randomSample(Random random) {
        int code = CODES[random.nextInt(CODES.length)];
        int[] dims = new int[1 + random.nextInt(4)];
        int size = 1;
        for (int axis = 0; axis < dims.length; axis++) {
            dims[axis] = random.nextInt(6); // zero-length axes included
            size *= dims[axis];
        }
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = randomValue(code, random);
        }
        byte[] plain = IdxBytes.idx(code, dims, values);
        return new Sample(code, dims, values, random.nextBoolean() ? IdxBytes.gzip(plain) : plain);
    }

    private static double randomValue(int code, Random random) {
        switch (code) {
            case 0x08: return random.nextInt(256);
            case 0x09: return random.nextInt(256) - 128;
            case 0x0B: return (short) random.nextInt();
            case 0x0C: return random.nextInt();
            case 0x0D: return Float.intBitsToFloat(random.nextInt()); // every bit pattern: NaNs, infinities, subnormals
            default: return Double.longBitsToDouble(random.nextLong());
        }
    }

    @Test
    void randomValidFilesReadBackExactly() throws IOException {
        Random random = new Random(20240501);
        for (int c = 0; c < CASES; c++) {
            Sample sample = randomSample(random);
            String what = "case " + c + ": code " + sample.code() + ", dims " + Arrays.toString(sample.dims());

            IdxArray array = random.nextBoolean()
                    ? IdxReader.read(Files.write(dir.resolve("case.idx"), sample.bytes()))
                    : IdxReader.read(new ByteArrayInputStream(sample.bytes()), "case");

            assertEquals(sample.code(), array.type().code(), what);
            assertArrayEquals(sample.dims(), array.dims(), what);
            assertEquals(sample.values().length, array.size(), what);
            for (int i = 0; i < sample.values().length; i++) {
                // compare bit patterns; NaN payloads may be canonicalised on the way to double, so compare NaN as NaN
                double expected = sample.values()[i];
                double actual = array.get(i);
                assertTrue(Double.compare(expected, actual) == 0, what + ", element " + i + ": " + expected + " vs " + actual);
            }
        }
    }

    @Test
    void validFilesCutAtRandomLengthsAlwaysGiveTheFormatError() throws IOException {
        Random random = new Random(7);
        for (int c = 0; c < CASES; c++) {
            Sample sample = randomSample(random);
            int cut = random.nextInt(sample.bytes().length); // strictly shorter than the valid file
            byte[] bytes = Arrays.copyOf(sample.bytes(), cut);
            Path file = Files.write(dir.resolve("cut.idx"), bytes);
            String what = "case " + c + ": " + sample.bytes().length + " bytes cut to " + cut;

            IdxFormatException fromFile = assertThrows(IdxFormatException.class, () -> IdxReader.read(file), what);
            assertTrue(fromFile.getMessage().startsWith(file.toString()), what + ": " + fromFile.getMessage());
            IdxFormatException fromStream = assertThrows(IdxFormatException.class,
                    () -> IdxReader.read(new ByteArrayInputStream(bytes), "cut"), what);
            assertTrue(fromStream.getMessage().startsWith("cut"), what + ": " + fromStream.getMessage());
        }
    }

    @Test
    void plainFilesWithBytesAppendedAlwaysGiveTheFormatError() throws IOException {
        Random random = new Random(11);
        for (int c = 0; c < CASES; c++) {
            Sample sample = randomSample(random);
            byte[] plain = IdxBytes.idx(sample.code(), sample.dims(), sample.values());
            byte[] extra = new byte[1 + random.nextInt(16)];
            random.nextBytes(extra);
            byte[] bytes = IdxBytes.concat(plain, extra);

            IdxFormatException e = assertThrows(IdxFormatException.class,
                    () -> IdxReader.read(new ByteArrayInputStream(bytes), "long"), "case " + c);
            assertTrue(e.getMessage().contains("bytes follow the data"), "case " + c + ": " + e.getMessage());
        }
    }

    @Test
    void randomBytesNeverGiveAnotherException() throws IOException {
        Random random = new Random(13);
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (random.nextBoolean() && bytes.length >= 4) {
                bytes[0] = 0; // a plausible magic number, so that the later checks are reached too
                bytes[1] = 0;
                bytes[2] = (byte) CODES[random.nextInt(CODES.length)];
                bytes[3] = (byte) (1 + random.nextInt(3));
            }
            if (random.nextBoolean()) {
                bytes = IdxBytes.gzip(bytes);
            }
            try {
                IdxReader.read(new ByteArrayInputStream(bytes), "noise");
            } catch (IdxFormatException | NotEnoughMemoryException e) { // a random header may claim gigabytes
                refused++;
            } catch (IOException | RuntimeException e) {
                fail("case " + c + ": " + e + " instead of an IdxFormatException");
            }
        }
        assertTrue(refused > CASES * 9 / 10, refused + " of " + CASES + " random inputs refused");
    }

    @Test
    void mutatedValidFilesLoadOrGiveADocumentedError() throws IOException {
        Random random = new Random(17);
        int refused = 0;
        for (int c = 0; c < CASES; c++) {
            byte[] bytes = mutate(randomSample(random).bytes(), random);
            Path file = Files.write(dir.resolve("mutated.idx"), bytes);
            try {
                if (random.nextBoolean()) {
                    IdxReader.read(file);
                } else {
                    IdxReader.read(new ByteArrayInputStream(bytes), "mutated");
                }
            } catch (IdxFormatException | NotEnoughMemoryException e) {
                refused++;
            } catch (IOException | RuntimeException | Error e) {
                throw new AssertionError("case " + c + ": " + e + " instead of an IdxFormatException for "
                        + Arrays.toString(bytes), e);
            }
        }
        assertTrue(refused > CASES / 2, refused + " of " + CASES + " mutations refused");
    }

    /** 1 to 4 bytes flipped, or 1 to 16 random bytes inserted, anywhere (headers included). */
    private static byte[] mutate(byte[] valid, Random random) {
        if (random.nextBoolean()) {
            byte[] bytes = valid.clone();
            for (int i = 1 + random.nextInt(4); i > 0; i--) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 + random.nextInt(255));
            }
            return bytes;
        }
        int at = random.nextInt(valid.length + 1);
        byte[] inserted = new byte[1 + random.nextInt(16)];
        random.nextBytes(inserted);
        byte[] longer = new byte[valid.length + inserted.length];
        System.arraycopy(valid, 0, longer, 0, at);
        System.arraycopy(inserted, 0, longer, at, inserted.length);
        System.arraycopy(valid, at, longer, at + inserted.length, valid.length - at);
        return longer;
    }
}
