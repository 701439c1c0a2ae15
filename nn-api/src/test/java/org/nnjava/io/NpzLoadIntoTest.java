package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.nnjava.io.NumpyFixtures.F8_2X3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/** Loading a checkpoint into a network's tensors: all or nothing, every mismatch reported at once. */
class NpzLoadIntoTest {

    @TempDir
    Path dir;

    @Test
    void copiesEveryArrayIntoItsTensorConvertingDtypes() throws IOException {
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("W1", new ReferenceBackend(DType.FLOAT64).fromArray(new double[6], 2, 3));
        params.put("W2", new ReferenceBackend(DType.FLOAT32).fromArray(new double[6], 2, 3));
        params.put("b2", new ReferenceBackend(DType.FLOAT64).fromArray(new double[3], 3));
        Path file = dir.resolve("model.npz");
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("b2", NpyArray.ofFloat32(new float[] {0.1f, -1.5f, 2f}, 3)); // file order differs: no matter
        arrays.put("W1", NpyArray.ofFloat64(F8_2X3, 2, 3));
        arrays.put("W2", NpyArray.ofFloat64(F8_2X3, 2, 3));
        Npz.saveArrays(file, arrays);

        Npz.loadInto(file, params);

        assertArrayEquals(F8_2X3, params.get("W1").toDoubleArray());
        assertArrayEquals(new float[] {0.1f, -2.5f, 1f / 3f, -0f, 0f, Float.POSITIVE_INFINITY},
                params.get("W2").toFloatArray()); // float64 rounded to float32; 5e-324 underflows to 0
        assertArrayEquals(new double[] {0.1f, -1.5, 2}, params.get("b2").toDoubleArray()); // float32 widened exactly
    }

    @Test
    void reportsEveryMismatchInOneMessageAndModifiesNothing() throws IOException {
        Path file = dir.resolve("model.npz");
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("W1", NpyArray.ofFloat64(new double[12], 3, 4));
        arrays.put("b1", NpyArray.ofFloat64(new double[] {7, 7, 7}, 3));
        arrays.put("W9", NpyArray.ofFloat64(new double[2], 2));
        Npz.saveArrays(file, arrays);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("W1", new ReferenceBackend(DType.FLOAT64).fromArray(new double[6], 3, 2));
        params.put("b1", new ReferenceBackend(DType.FLOAT64).fromArray(new double[] {1, 2, 3}, 3));
        params.put("W2", new ReferenceBackend(DType.FLOAT64).fromArray(new double[4], 2, 2));

        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class, () -> Npz.loadInto(file, params));

        assertEquals("checkpoint " + file + " does not fit the network (3 mismatches): W1: file has [3, 4], network"
                + " has [3, 2]; missing W2 (network has [2, 2]); unexpected W9 (file has [2]). Load a checkpoint"
                + " saved from a network with the same parameter names and layer sizes", e.getMessage());
        assertEquals(List.of("W1: file has [3, 4], network has [3, 2]", "missing W2 (network has [2, 2])",
                "unexpected W9 (file has [2])"), e.mismatches());
        assertArrayEquals(new double[] {1, 2, 3}, params.get("b1").toDoubleArray()); // b1 fitted, yet untouched
    }

    @Test
    void aBrokenFileIsAFormatErrorNotAMismatch() throws IOException {
        Path file = dir.resolve("model.npz");
        Files.writeString(file, "not a zip");
        Map<String, Tensor> params = Map.of("W1", new ReferenceBackend(DType.FLOAT64).fromArray(new double[1], 1));
        assertThrows(CheckpointFormatException.class, () -> Npz.loadInto(file, params));
    }
}
