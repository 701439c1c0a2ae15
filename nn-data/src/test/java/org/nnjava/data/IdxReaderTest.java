package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** Six values per type, chosen to catch sign, byte-order and width slips, with their type codes. */
    static Stream<Arguments> everyType() {
        Stream<Arguments> types = Stream.of(
                Arguments.of(IdxType.UNSIGNED_BYTE, 0x08, new double[] {0, 1, 127, 128, 255, 7}),
                Arguments.of(IdxType.SIGNED_BYTE, 0x09, new double[] {-128, -1, 0, 1, 127, 5}),
                Arguments.of(IdxType.SHORT, 0x0B, new double[] {-32768, -1, 0, 256, 32767, 300}),
                Arguments.of(IdxType.INT, 0x0C, new double[] {Integer.MIN_VALUE, -1, 0, 65536, Integer.MAX_VALUE, 70000}),
                Arguments.of(IdxType.FLOAT, 0x0D, new double[] {-0.0, 1.5, Float.MAX_VALUE, Float.MIN_VALUE,
                        Double.NEGATIVE_INFINITY, 0.1f}),
                Arguments.of(IdxType.DOUBLE, 0x0E, new double[] {-0.0, 0.1, Double.MAX_VALUE, Double.MIN_VALUE,
                        Double.POSITIVE_INFINITY, -2.5}));
        return types.flatMap(a -> Stream.of(false, true).map(gzip -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], gzip)));
    }

    @ParameterizedTest(name = "{0}, gzip {3}")
    @MethodSource("everyType")
    void readsEveryTypeExactlyFromAFile(IdxType type, int code, double[] values, boolean gzip) throws IOException {
        byte[] plain = IdxBytes.idx(code, new int[] {2, 3}, values);
        Path file = write("values.idx", gzip ? IdxBytes.gzip(plain) : plain);

        IdxArray array = IdxReader.read(file);

        assertEquals(type, array.type());
        assertArrayEquals(new int[] {2, 3}, array.dims());
        assertEquals(2, array.count());
        assertEquals(6, array.size());
        assertArrayEquals(values, array.toDoubleArray()); // bit-exact: -0.0 differs from 0.0 here
        assertEquals(file.toString(), array.source());
    }

    @ParameterizedTest(name = "{0}, gzip {3}")
    @MethodSource("everyType")
    void readsEveryTypeExactlyFromAStream(IdxType type, int code, double[] values, boolean gzip) throws IOException {
        byte[] plain = IdxBytes.idx(code, new int[] {3, 1, 2}, values);

        IdxArray array = IdxReader.read(new ByteArrayInputStream(gzip ? IdxBytes.gzip(plain) : plain), "stream");

        assertEquals(type, array.type());
        assertArrayEquals(new int[] {3, 1, 2}, array.dims());
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], array.get(i), "element " + i);
        }
    }

    @Test
    void integerTypesConvertToIntsAndFloats() throws IOException {
        IdxArray array = read(IdxBytes.idx(0x0C, new int[] {3}, -7, 0, 16_777_217));

        assertArrayEquals(new int[] {-7, 0, 16_777_217}, array.toIntArray());
        assertArrayEquals(new float[] {-7f, 0f, 16_777_216f}, array.toFloatArray()); // 2^24 + 1 rounds to even
    }

    @Test
    void floatingTypesRefuseToBecomeInts() throws IOException {
        IdxArray array = read(IdxBytes.idx(0x0D, new int[] {1}, 0.5));

        IllegalStateException e = assertThrows(IllegalStateException.class, array::toIntArray);
        assertTrue(e.getMessage().contains("0x0D float are not integers"), e.getMessage());
    }

    @Test
    void elementsOutsideTheArrayAreRefused() throws IOException {
        IdxArray array = read(IdxBytes.ubyte(new int[] {2}, 1, 2));

        assertThrows(IndexOutOfBoundsException.class, () -> array.get(2));
        assertThrows(IndexOutOfBoundsException.class, () -> array.get(-1));
    }

    @Test
    void zeroLengthDimensionsGiveAnEmptyArray() throws IOException {
        IdxArray array = read(IdxBytes.ubyte(new int[] {0, 28, 28}));

        assertArrayEquals(new int[] {0, 28, 28}, array.dims());
        assertEquals(0, array.size());
    }

    @Test
    void anEmptyFileIsRefused() throws IOException {
        assertFails(new byte[0], "the file is empty; an IDX file starts with a 4-byte magic number");
    }

    @Test
    void aWrongMagicNumberIsRefused() throws IOException {
        byte[] bytes = IdxBytes.ubyte(new int[] {1}, 5);
        bytes[0] = 0x12;
        bytes[1] = 0x34;

        assertFails(bytes, "wrong magic number 0x12340801: an IDX file starts with two zero bytes");
    }

    @Test
    void aTextFileIsNotMistakenForIdx() throws IOException {
        assertFails("<html>Not Found</html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "wrong magic number 0x3C68746D");
    }

    @Test
    void anUnknownTypeCodeIsRefusedWithTheValidOnes() throws IOException {
        byte[] bytes = IdxBytes.ubyte(new int[] {1}, 5);
        bytes[2] = 0x0A;

        assertFails(bytes, "unknown type code 0x0A in the magic number 0x00000A01; valid codes: 0x08 unsigned byte,"
                + " 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double");
    }

    @Test
    void zeroDimensionsAreRefused() throws IOException {
        assertFails(new byte[] {0, 0, 8, 0, 1}, "the magic number 0x00000800 announces 0 dimensions; an IDX file has at least 1");
    }

    @Test
    void aHeaderCutInTheMagicNumberIsRefused() throws IOException {
        assertFails(new byte[] {0, 0, 8}, "the header is cut short: 3 bytes, expected at least the 4-byte magic number");
    }

    @Test
    void aHeaderCutInTheDimensionsIsRefused() throws IOException {
        byte[] bytes = Arrays.copyOf(IdxBytes.header(0x08, 60000, 28, 28), 9);

        assertFails(bytes, "the header is cut short: the magic number 0x00000803 announces 3 dimensions (12 bytes),"
                + " found 5 bytes of them");
    }

    @Test
    void dataCutShortIsRefused() throws IOException {
        byte[] bytes = Arrays.copyOf(IdxBytes.ubyte(new int[] {2, 3}, 1, 2, 3, 4, 5, 6), 12 + 4); // 12-byte header

        assertFails(bytes, "the data is cut short: dimensions [2, 3] of 0x08 unsigned byte elements need 6 bytes"
                + " after the header, found 4");
    }

    @Test
    void gzippedDataCutShortIsRefused() throws IOException {
        byte[] plain = Arrays.copyOf(IdxBytes.idx(0x0B, new int[] {4}, 1, 2, 3, 4), 8 + 5); // 8-byte header
        Path file = write("short.gz", IdxBytes.gzip(plain));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertEquals(file + " (gzip): the data is cut short: dimensions [4] of 0x0B short elements need 8 bytes after"
                + " the header, found 5; download or copy the file again", e.getMessage());
    }

    @Test
    void aCutGzipStreamIsRefused() throws IOException {
        byte[] gzip = IdxBytes.gzip(IdxBytes.ubyte(new int[] {100}, new int[100]));

        assertFails(Arrays.copyOf(gzip, gzip.length - 5), "the gzip data is corrupt or cut short");
    }

    @Test
    void corruptGzipDataIsRefused() throws IOException {
        byte[] gzip = IdxBytes.gzip(IdxBytes.ubyte(new int[] {100}, new int[100]));
        gzip[12] ^= (byte) 0xFF; // inside the deflate stream, past the 10-byte gzip header

        assertFails(gzip, "the gzip data is corrupt or cut short");
    }

    @Test
    void bytesAfterTheDataAreRefused() throws IOException {
        byte[] bytes = IdxBytes.concat(IdxBytes.ubyte(new int[] {2}, 1, 2), new byte[] {9, 9});

        assertFails(bytes, "bytes follow the data (dimensions [2] of 0x08 unsigned byte elements need 2 bytes after"
                + " the header");
        Path file = write("long.idx", bytes);
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertEquals(file + ": 2 bytes follow the data (dimensions [2] of 0x08 unsigned byte elements need 2 bytes"
                + " after the header, found 4); the file is longer than its header says: damaged, or not an IDX file",
                e.getMessage());
    }

    @Test
    void bytesAfterGzippedDataAreRefused() throws IOException {
        byte[] plain = IdxBytes.concat(IdxBytes.ubyte(new int[] {2}, 1, 2), new byte[] {9});

        assertFails(IdxBytes.gzip(plain), "more bytes follow the data (dimensions [2] of 0x08 unsigned byte elements"
                + " need 2 bytes after the header)");
    }

    @Test
    void dimensionsBeyondAJavaArrayAreRefusedBeforeAllocating() throws IOException {
        assertFails(IdxBytes.header(0x08, 65536, 65536), "the dimensions [65536, 65536] of 0x08 unsigned byte elements"
                + " need more than 2147483639 bytes, the most a Java array holds");
        assertFails(IdxBytes.header(0x0E, 300_000_000L), "the dimensions [300000000] of 0x0E double elements need more"
                + " than 2147483639 bytes");
    }

    @Test
    void dimensionsThatOverflowALongAreRefused() throws IOException {
        assertFails(IdxBytes.header(0x0E, 0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL), "the dimensions [4294967295,"
                + " 4294967295, 4294967295] include 4294967295, more than the 2147483647 a Java array can index");
    }

    @Test
    void aHugeDimensionIsRefusedEvenBesideAZero() throws IOException {
        assertFails(IdxBytes.header(0x08, 0, 0x80000000L), "include 2147483648");
    }

    @Test
    void aGzipStreamClaimingMoreThanItHoldsFailsOnWhatItHolds() throws IOException {
        byte[] plain = IdxBytes.concat(IdxBytes.header(0x08, 2_000_000L), new byte[10]);

        // Reading as the bytes arrive: the claim of 2 MB costs 10 bytes, and the message says what was found.
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(IdxBytes.gzip(plain)), "stream:gz"));
        assertEquals("stream:gz (gzip): the data is cut short: dimensions [2000000] of 0x08 unsigned byte elements"
                + " need 2000000 bytes after the header, found 10; download or copy the file again", e.getMessage());
    }

    @Test
    void aGzipFileClaimingMoreThanItsLengthCanInflateToIsRefusedBeforeReading() throws IOException {
        byte[] gzip = IdxBytes.gzip(IdxBytes.concat(IdxBytes.header(0x08, 2_000_000_000L), new byte[10]));
        Path file = write("claim.idx.gz", gzip);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertEquals(file + " (gzip): dimensions [2000000000] of 0x08 unsigned byte elements need 2000000000 bytes"
                + " after the header, but a gzip file of " + gzip.length + " bytes inflates to at most "
                + 1032L * gzip.length + " bytes (deflate's 1032:1); the header is damaged or the file is cut short:"
                + " download or copy it again", e.getMessage());
    }

    @Test
    void aPlainFileIsCheckedAgainstItsLengthBeforeReading() throws IOException {
        Path file = write("huge-claim.idx", IdxBytes.concat(IdxBytes.header(0x0D, 500_000_000L), new byte[12]));

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));

        assertTrue(e.getMessage().endsWith("need 2000000000 bytes after the header, found 12; download or copy the"
                + " file again"), e.getMessage());
    }

    private IdxArray read(byte[] bytes) throws IOException {
        return IdxReader.read(write("file.idx", bytes));
    }

    /** Both entry points refuse {@code bytes}, naming the source and saying {@code expected}. */
    private void assertFails(byte[] bytes, String expected) throws IOException {
        Path file = write("bad.idx", bytes);
        IdxFormatException fromFile = assertThrows(IdxFormatException.class, () -> IdxReader.read(file));
        assertTrue(fromFile.getMessage().startsWith(file.toString()), fromFile.getMessage());
        assertTrue(fromFile.getMessage().contains(expected), fromFile.getMessage());

        IdxFormatException fromStream = assertThrows(IdxFormatException.class,
                () -> IdxReader.read(new ByteArrayInputStream(bytes), "stream:bad"));
        assertTrue(fromStream.getMessage().startsWith("stream:bad"), fromStream.getMessage());
        assertTrue(fromStream.getMessage().contains(expected), fromStream.getMessage());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
