package org.nnjava.io;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static java.nio.ByteOrder.LITTLE_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nnjava.io.PickleBytes.NUMPY1;
import static org.nnjava.io.PickleBytes.NUMPY2;
import static org.nnjava.io.PickleBytes.f4;
import static org.nnjava.io.PickleBytes.f8;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Valid pickles written by hand, opcode by opcode as NumPy and CPython write them, so that these run
 * without python3: both NumPy module names, each protocol's form of an array, Python 2's str, Fortran
 * order, byte orders, scalars, OrderedDict; and the file-level checks and the byte budget.
 */
class PicklesTest {

    private static final double[] ONE_TO_SIX = {1, 2, 3, 4, 5, 6};

    @TempDir
    Path dir;

    private static Map<String, NpyArray> read(byte[] pickle) throws CheckpointFormatException {
        return Pickles.read(pickle, "pickle test.pkl", Long.MAX_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {NUMPY1, NUMPY2})
    void readsAnArrayUnderEitherNumpyModuleName(String numpy) throws IOException {
        byte[] pickle = PickleBytes.protocol(2).emptyDict().unicode("W")
                .array(numpy, new int[] {2, 3}, "f8", "<", false, f8(LITTLE_ENDIAN, ONE_TO_SIX)).setItem()
                .stop().bytes();
        assertEquals(Map.of("W", NpyArray.ofFloat64(ONE_TO_SIX, 2, 3)), read(pickle));
    }

    @Test
    void convertsBigEndianAndFortranOrderToRowMajor() throws IOException {
        // [[1, 2, 3], [4, 5, 6]] in column-major order is 1 4 2 5 3 6.
        byte[] pickle = PickleBytes.protocol(3).emptyDict()
                .item("f8", new int[] {2, 3}, "f8", ">", true, f8(BIG_ENDIAN, 1, 4, 2, 5, 3, 6))
                .item("f4", new int[] {2, 3}, "f4", "<", true, f4(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6))
                .stop().bytes();
        Map<String, NpyArray> arrays = read(pickle);
        assertEquals(NpyArray.ofFloat64(ONE_TO_SIX, 2, 3), arrays.get("f8"));
        assertEquals(NpyArray.ofFloat32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), arrays.get("f4"));
    }

    @Test
    void fortranOrderInThreeDimensionsMatchesAnIndependentIndexFormula() throws IOException {
        int[] shape = {2, 3, 4};
        double[] columnMajor = new double[24];
        double[] rowMajor = new double[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    double value = 100 * i + 10 * j + k;
                    rowMajor[(i * 3 + j) * 4 + k] = value;
                    columnMajor[i + 2 * (j + 3 * k)] = value;
                }
            }
        }
        byte[] pickle = PickleBytes.protocol(3).emptyDict()
                .item("x", shape, "f8", "<", true, f8(LITTLE_ENDIAN, columnMajor)).stop().bytes();
        assertEquals(NpyArray.ofFloat64(rowMajor, shape), read(pickle).get("x"));
    }

    @Test
    void readsZeroDimensionalAndEmptyArrays() throws IOException {
        byte[] pickle = PickleBytes.protocol(3).emptyDict()
                .item("scalar", new int[0], "f8", "<", false, f8(LITTLE_ENDIAN, 2.5))
                .item("empty", new int[] {0, 3}, "f4", "<", false, new byte[0])
                .stop().bytes();
        Map<String, NpyArray> arrays = read(pickle);
        assertEquals(NpyArray.ofFloat64(new double[] {2.5}), arrays.get("scalar"));
        assertEquals(NpyArray.ofFloat32(new float[0], 0, 3), arrays.get("empty"));
    }

    @Test
    void readsProtocolFivesFrombufferAndNumpyScalars() throws IOException {
        byte[] data = f8(LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6);
        // [[1, 2, 3], [4, 5, 6]] in column-major order, then a big-endian float32 scalar.
        byte[] pickle = PickleBytes.protocol(5).emptyDict().shortUnicode("W")
                .stackGlobal(NUMPY1 + ".numeric", "_frombuffer")
                .mark().op(0x96).u64(data.length).raw(data).dtype("f8", "<").intTuple(2, 3).shortUnicode("F")
                .tuple().reduce().setItem()
                .shortUnicode("s").stackGlobal(NUMPY2 + ".multiarray", "scalar")
                .dtype("f4", ">").bytes(f4(BIG_ENDIAN, -0.75f)).tuple2().reduce().setItem()
                .stop().bytes();
        Map<String, NpyArray> arrays = read(pickle);
        assertEquals(NpyArray.ofFloat64(ONE_TO_SIX, 2, 3), arrays.get("W"));
        assertEquals(NpyArray.ofFloat32(new float[] {-0.75f}), arrays.get("s"));
    }

    @Test
    void readsProtocolTwosBytesAsLatin1TextAndItsEmptyBytes() throws IOException {
        byte[] data = f8(LITTLE_ENDIAN, 0.1, -2.5);
        String latin1 = new String(data, StandardCharsets.ISO_8859_1);
        byte[] pickle = PickleBytes.protocol(2).emptyDict().unicode("W")
                .global(NUMPY2 + ".multiarray", "_reconstruct").global("numpy", "ndarray").int1(0).tuple1()
                .global("_codecs", "encode").unicode("b").unicode("latin1").tuple2().reduce().tuple3().reduce()
                .mark().int1(1).intTuple(2).dtype("f8", "<").bool(false)
                .global("_codecs", "encode").unicode(latin1).unicode("latin1").tuple2().reduce()
                .tuple().build().setItem().stop().bytes();
        Map<String, NpyArray> arrays = read(pickle);
        assertEquals(NpyArray.ofFloat64(new double[] {0.1, -2.5}, 2), arrays.get("W"));

        byte[] empty = PickleBytes.protocol(2).emptyDict().unicode("e")
                .global(NUMPY2 + ".multiarray", "_reconstruct").global("numpy", "ndarray").int1(0).tuple1()
                .bytes(new byte[] {'b'}).tuple3().reduce()
                .mark().int1(1).intTuple(0).dtype("f4", "<").bool(false)
                .global("__builtin__", "bytes").emptyTuple().reduce().tuple().build().setItem().stop().bytes();
        assertEquals(Map.of("e", NpyArray.ofFloat32(new float[0], 0)), read(empty));
    }

    @Test
    void readsPython2sStrAsLatin1() throws IOException {
        byte[] data = f4(LITTLE_ENDIAN, 1.5f, -3f);
        byte[] pickle = PickleBytes.protocol(2).emptyDict().shortString("W".getBytes(StandardCharsets.US_ASCII))
                .global(NUMPY1 + ".multiarray", "_reconstruct").global("numpy", "ndarray").int1(0).tuple1()
                .shortString(new byte[] {'b'}).tuple3().reduce()
                .mark().int1(1).intTuple(2)
                .global("numpy", "dtype").shortString("f4".getBytes(StandardCharsets.US_ASCII)).int1(0).int1(1)
                .tuple3().reduce()
                .mark().int1(3).shortString(new byte[] {'<'}).none().none().none().int4(-1).int4(-1).int1(0)
                .tuple().build()
                .int1(0).shortString(data).tuple().build().setItem().stop().bytes();
        assertEquals(Map.of("W", NpyArray.ofFloat32(new float[] {1.5f, -3f}, 2)), read(pickle));
    }

    @Test
    void keepsTheDictsOrderAndReadsOrderedDicts() throws IOException {
        byte[] one = f8(LITTLE_ENDIAN, 1);
        byte[] plain = PickleBytes.protocol(3).emptyDict()
                .item("z", new int[] {1}, "f8", "<", false, one)
                .item("a", new int[] {1}, "f8", "<", false, one).stop().bytes();
        assertEquals(List.of("z", "a"), List.copyOf(read(plain).keySet()));

        byte[] ordered = PickleBytes.protocol(3).global("collections", "OrderedDict").emptyTuple().reduce()
                .mark().unicode("z").array(NUMPY2, new int[] {1}, "f8", "<", false, one)
                .unicode("a").array(NUMPY2, new int[] {1}, "f8", "<", false, one).setItems().stop().bytes();
        assertEquals(List.of("z", "a"), List.copyOf(read(ordered).keySet()));

        byte[] python2 = PickleBytes.protocol(2).global("collections", "OrderedDict")
                .emptyList().mark()
                .emptyList().unicode("z").op('a').array(NUMPY1, new int[] {1}, "f8", "<", false, one).op('a')
                .op('e').tuple1().reduce().stop().bytes();
        assertEquals(List.of("z"), List.copyOf(read(python2).keySet()));
    }

    @Test
    void loadsAFileThroughTheRegularFileCheck() throws IOException {
        Path file = dir.resolve("sample_weight.pkl");
        Files.write(file, PickleBytes.smallValid());
        assertEquals(Map.of("W", NpyArray.ofFloat64(ONE_TO_SIX, 2, 3)), Pickles.load(file));
        assertEquals(Map.of("W", NpyArray.ofFloat64(ONE_TO_SIX, 2, 3)), Pickles.load(file, 1000));

        UnreadableFileException directory = assertThrows(UnreadableFileException.class, () -> Pickles.load(dir));
        assertEquals(UnreadableFileException.Problem.DIRECTORY, directory.problem());
        assertTrue(directory.getMessage().startsWith("pickle " + dir), directory.getMessage());
        assertThrows(UnreadableFileException.class, () -> Pickles.load(dir.resolve("missing.pkl")));
        assertThrows(IllegalArgumentException.class, () -> Pickles.load(file, -1));
    }

    @Test
    void refusesADeviceBeforeOpeningIt() {
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.exists(zero), "no /dev/zero on this system");
        UnreadableFileException e = assertThrows(UnreadableFileException.class, () -> Pickles.load(zero));
        assertEquals(UnreadableFileException.Problem.NOT_REGULAR, e.problem());
    }

    @Test
    void aFileLargerThanTheBudgetIsRefusedBeforeItIsRead() throws IOException {
        Path file = dir.resolve("huge.pkl");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(1L << 30); // a GiB of holes: reading it would take time and memory
        }
        CheckpointFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(CheckpointFormatException.class, () -> Pickles.load(file, 1 << 20)));
        assertTrue(e.getMessage().contains("the file's 1073741824 bytes needs 1073741824 bytes")
                && e.getMessage().contains("byte budget of 1048576"), e.getMessage());

        Path small = dir.resolve("small.pkl");
        Files.write(small, PickleBytes.smallValid());
        CheckpointFormatException tight = assertThrows(CheckpointFormatException.class,
                () -> Pickles.load(small, Files.size(small) - 1));
        assertTrue(tight.getMessage().contains("byte budget"), tight.getMessage());
    }

    @Test
    void theArraysClaimTheBudgetTooEvenWhenTheyShareOneMemoizedBuffer() throws IOException {
        byte[] small = PickleBytes.smallValid();
        // The file itself fits; its 48 bytes of array data do not.
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> Pickles.read(small, "pickle t", small.length + 47));
        assertTrue(e.getMessage().contains("BUILD at byte") && e.getMessage().contains("an array of shape (2, 3)")
                && e.getMessage().contains("byte budget"), e.getMessage());

        // 1000 arrays rebuilt from one memoized 8 KB buffer: 8 MB claimed, the file is 100 KB.
        PickleBytes many = PickleBytes.protocol(3).emptyDict().bytes(new byte[8192]).op('q').u8(0).op('0')
                .mark();
        for (int i = 0; i < 1000; i++) {
            many.unicode("a" + i).global(NUMPY2 + ".multiarray", "_reconstruct").global("numpy", "ndarray")
                    .int1(0).tuple1().bytes(new byte[] {'b'}).tuple3().reduce()
                    .mark().int1(1).intTuple(1024).dtype("f8", "<").bool(false).op('h').u8(0).tuple().build();
        }
        byte[] amplified = many.setItems().stop().bytes();
        assertEquals(1000, Pickles.read(amplified, "pickle t", Long.MAX_VALUE).size());
        CheckpointFormatException bomb = assertThrows(CheckpointFormatException.class,
                () -> Pickles.read(amplified, "pickle t", 4L << 20));
        assertTrue(bomb.getMessage().contains("byte budget of 4194304"), bomb.getMessage());
    }

    @Test
    void theDefaultBudgetIsNpzs() {
        assertEquals(Npz.defaultByteBudget(), Pickles.defaultByteBudget());
    }

    @Test
    void theResultIsUnmodifiable() throws IOException {
        Map<String, NpyArray> arrays = read(PickleBytes.smallValid());
        assertThrows(UnsupportedOperationException.class, () -> arrays.put("x", NpyArray.ofFloat64(new double[1], 1)));
    }
}
