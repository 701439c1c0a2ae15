package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nnjava.io.NumpyFixtures.F4_3;
import static org.nnjava.io.NumpyFixtures.F8_2X3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installed numpy as the oracle: it loads what we save (with {@code allow_pickle=False}) to exactly
 * the arrays we meant, byte for byte what its own {@code np.save} writes, and we load what it saves.
 * Skipped, with the reason, where python3 with numpy is not available.
 */
class NumpyInteropTest {

    private static final String PYTHON = "python3";

    private static String unavailable;

    @TempDir
    Path dir;

    @BeforeAll
    static void findNumpy() {
        try {
            NumpyFixtures.Result result = NumpyFixtures.run(List.of(PYTHON, "-c", "import numpy; print(numpy.__version__)"));
            unavailable = result.exitCode() == 0 ? null
                    : "python3 with numpy not found: 'import numpy' failed: " + NumpyFixtures.lastLine(result.output());
        } catch (IOException e) {
            unavailable = "python3 with numpy not found: cannot run " + PYTHON + ": " + e.getMessage();
        }
    }

    /** The arrays of {@code numpy_interop.py}'s EXPECTED, in its order. */
    static Map<String, NpyArray> expected() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W1", NpyArray.ofFloat64(F8_2X3, 2, 3));
        arrays.put("b1", NpyArray.ofFloat32(F4_3, 3));
        arrays.put("W2", NpyArray.ofFloat32(NumpyFixtures.f4Eighths(24), 2, 3, 4));
        arrays.put("b2", NpyArray.ofFloat64(new double[] {2.5}));
        arrays.put("nan", NpyArray.ofFloat64(new double[] {Double.NaN, Double.NEGATIVE_INFINITY}, 2));
        arrays.put("empty", NpyArray.ofFloat64(new double[0], 0));
        arrays.put("empty2d", NpyArray.ofFloat32(new float[0], 2, 0));
        arrays.put("pad", NpyArray.ofFloat32(NumpyFixtures.f4Quarters(), NumpyFixtures.fullPadShape()));
        double[] sevenths = new double[784 * 50];
        for (int i = 0; i < sevenths.length; i++) {
            sevenths[i] = i / 7.0;
        }
        arrays.put("mnist_W1", NpyArray.ofFloat64(sevenths, 784, 50));
        return arrays;
    }

    @Test
    void numpyLoadsOurCheckpointExactlyWithoutPickles() throws IOException {
        assumeTrue(unavailable == null, unavailable);
        Path file = dir.resolve("ours.npz");
        Npz.saveArrays(file, expected());
        NumpyFixtures.Result result = python("check", file);
        assertEquals("ok", result.output().strip(), "numpy's verdict on " + file);
        assertEquals(0, result.exitCode());
    }

    @Test
    void weLoadExactlyWhatTheInstalledNumpySaves() throws IOException {
        assumeTrue(unavailable == null, unavailable);
        NumpyFixtures.Result result = python("write", dir);
        assertEquals("ok", result.output().strip());
        assertEquals(expected(), Npz.load(dir.resolve("theirs.npz")));
        assertEquals(expected(), Npz.load(dir.resolve("theirs_compressed.npz")));
        assertEquals(List.copyOf(expected().keySet()), List.copyOf(Npz.load(dir.resolve("theirs.npz")).keySet()));
    }

    @Test
    void numpyReadsAFileEntryAsItsBytes() throws IOException {
        assumeTrue(unavailable == null, unavailable);
        Path file = dir.resolve("ours.npz");
        Npz.saveArchive(file, Map.of("W1", NpyArray.ofFloat64(F8_2X3, 2, 3)),
                Map.of("checkpoint.json", "{\"epoch\": 3}".getBytes(StandardCharsets.UTF_8)));
        NumpyFixtures.Result result = NumpyFixtures.run(List.of(PYTHON, "-c", "import sys, numpy as np\n"
                + "f = np.load(sys.argv[1], allow_pickle=False)\n"
                + "print(sorted(f.files), f['checkpoint.json'] == b'{\"epoch\": 3}', f['W1'].shape)", file.toString()));
        assertEquals("['W1', 'checkpoint.json'] True (2, 3)", result.output().strip());
    }

    @Test
    void weReadAFileEntryThatPythonAdded() throws IOException {
        assumeTrue(unavailable == null, unavailable);
        Path file = dir.resolve("theirs.npz");
        NumpyFixtures.Result result = NumpyFixtures.run(List.of(PYTHON, "-c", "import sys, zipfile, numpy as np\n"
                + "np.savez_compressed(sys.argv[1], b=np.array([2.5]))\n"
                + "with zipfile.ZipFile(sys.argv[1], 'a', zipfile.ZIP_DEFLATED) as z:\n"
                + "    z.writestr('meta.json', b'{}' * 100)\n"
                + "print('ok')", file.toString()));
        assertEquals("ok", result.output().strip());
        NpzArchive archive = Npz.loadArchive(file);
        assertEquals(Map.of("b", NpyArray.ofFloat64(new double[] {2.5}, 1)), archive.arrays());
        assertEquals("{}".repeat(100), new String(archive.file("meta.json"), StandardCharsets.UTF_8));
    }

    private static NumpyFixtures.Result python(String mode, Path path) throws IOException {
        String script = new String(NumpyFixtures.bytes("numpy_interop.py"), StandardCharsets.UTF_8);
        return NumpyFixtures.run(List.of(PYTHON, "-c", script, mode, path.toString()));
    }
}
