package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The installed python3's {@code pickle} and NumPy as the oracle: {@code pickle_fixtures.py} pickles
 * a dict of arrays at each protocol 2 to 5 (float32 and float64, C and Fortran order, big-endian, 0-d
 * to 4-d, empty, strided, NumPy scalars, an MNIST-sized {@code W1}), as a dict and an OrderedDict, under
 * both NumPy module names, and writes the same values' IEEE bits as text, which this test parses on
 * its own: the expected values never come from the reader. Skipped, with the reason, where python3
 * with NumPy is not available.
 */
class PicklesNumpyTest {

    private static final String PYTHON = "python3";

    @TempDir
    static Path dir;

    private static String unavailable;

    @BeforeAll
    static void writeFixtures() throws IOException {
        Path script = dir.resolve("pickle_fixtures.py");
        Files.write(script, NumpyFixtures.bytes("pickle_fixtures.py"));
        try {
            NumpyFixtures.Result result = NumpyFixtures.run(List.of(PYTHON, script.toString(), dir.toString()));
            unavailable = result.exitCode() == 0 && result.output().strip().endsWith("ok") ? null
                    : "python3 with numpy could not write the pickles: " + NumpyFixtures.lastLine(result.output());
        } catch (IOException e) {
            unavailable = "python3 with numpy not found: cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /** The arrays of expected.txt, in its order (the script's dict order). */
    private static Map<String, NpyArray> expected() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.US_ASCII)) {
            String[] fields = line.split(" ", -1);
            int[] dims = fields[2].isEmpty() ? new int[0]
                    : Arrays.stream(fields[2].split(",")).mapToInt(Integer::parseInt).toArray();
            String bits = fields[3];
            if (fields[1].equals("f8")) {
                double[] values = new double[bits.length() / 16];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Double.longBitsToDouble(Long.parseUnsignedLong(bits.substring(16 * i, 16 * i + 16), 16));
                }
                arrays.put(fields[0], NpyArray.ofFloat64(values, dims));
            } else {
                float[] values = new float[bits.length() / 8];
                for (int i = 0; i < values.length; i++) {
                    values[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(bits.substring(8 * i, 8 * i + 8), 16));
                }
                arrays.put(fields[0], NpyArray.ofFloat32(values, dims));
            }
        }
        return arrays;
    }

    private static void assertSameArraysInOrder(Map<String, NpyArray> expected, Map<String, NpyArray> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((name, array) -> assertEquals(array, actual.get(name), name));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void readsEveryArrayExactlyAsNumpyPickledIt(int protocol) throws IOException {
        assumeTrue(unavailable == null, unavailable);
        Map<String, NpyArray> arrays = Pickles.load(dir.resolve("dict_p" + protocol + ".pkl"));
        assertSameArraysInOrder(expected(), arrays);
        assertEquals(List.of(784, 50), toList(arrays.get("mnist_W1").shape().dims()));
        assertEquals(0, arrays.get("zero_d").shape().rank());
        assertEquals(4, arrays.get("four_d").shape().rank());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void readsAnOrderedDictInItsOrder(int protocol) throws IOException {
        assumeTrue(unavailable == null, unavailable);
        Map<String, NpyArray> reversed = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(expected().keySet());
        Collections.reverse(names);
        Map<String, NpyArray> expected = expected();
        names.forEach(name -> reversed.put(name, expected.get(name)));
        assertSameArraysInOrder(reversed, Pickles.load(dir.resolve("ordered_p" + protocol + ".pkl")));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void readsTheOtherNumpyModuleName(int protocol) throws IOException {
        assumeTrue(unavailable == null, unavailable);
        List<String> status = Files.readAllLines(dir.resolve("status.txt"));
        String other = status.contains("native numpy._core") ? "numpy.core." : "numpy._core.";
        Path file = dir.resolve("other_p" + protocol + ".pkl");
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(other + "multiarray") || text.contains(other + "numeric"), "no " + other + " in " + file);
        assertTrue(!text.contains(other.equals("numpy.core.") ? "numpy._core." : "numpy.core."), file + " still has the native name");
        assertSameArraysInOrder(expected(), Pickles.load(file));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void refusesWhatNumpyPicklesButIsNotAFloatArray(int protocol) {
        assumeTrue(unavailable == null, unavailable);
        assertRefused("object_p" + protocol + ".pkl", "numpy.dtype('O8') is an object dtype");
        assertRefused("int_p" + protocol + ".pkl", "numpy.dtype('i8') is an integer dtype");
        assertRefused("list_p" + protocol + ".pkl", "the pickle holds a list");
        assertRefused("nested_p" + protocol + ".pkl", "the value of 'layer1' is a dict");
        assertRefused("system_p" + protocol + ".pkl", "global posix.system is not allowed", "may be unsafe");
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4, 5})
    void everyTruncationAndTrailingBytesAreRefused(int protocol) throws IOException {
        assumeTrue(unavailable == null, unavailable);
        byte[] valid = Files.readAllBytes(dir.resolve("small_p" + protocol + ".pkl"));
        assertEquals(2, Pickles.read(valid, "pickle small", 1 << 20).size());
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int length = 0; length < valid.length; length++) {
                byte[] prefix = Arrays.copyOf(valid, length);
                assertThrows(CheckpointFormatException.class, () -> Pickles.read(prefix, "pickle cut", 1 << 20),
                        "prefix of " + length + " bytes");
            }
        });
        byte[] trailing = Arrays.copyOf(valid, valid.length + 1);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> Pickles.read(trailing, "pickle long", 1 << 20));
        assertTrue(e.getMessage().contains("1 bytes follow the STOP opcode"), e.getMessage());
    }

    private static void assertRefused(String name, String... parts) {
        Path file = dir.resolve(name);
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> Pickles.load(file));
        assertTrue(e.getMessage().startsWith("pickle " + file + ": "), e.getMessage());
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' missing from: " + e.getMessage());
        }
    }

    private static List<Integer> toList(int[] dims) {
        return Arrays.stream(dims).boxed().toList();
    }
}
