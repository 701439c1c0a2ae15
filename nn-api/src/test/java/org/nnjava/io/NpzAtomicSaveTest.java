package org.nnjava.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.internal.AtomicFile;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.reference.ReferenceTensor;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.Tensor;

/** A save replaces the checkpoint whole or not at all, and leaves no temporary file either way. */
class NpzAtomicSaveTest {

    @TempDir
    Path dir;

    @Test
    void aSaveThatFailsHalfWayLeavesThePreviousCheckpointAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.npz");
        Npz.saveArrays(file, Map.of("W1", NpyArray.ofFloat64(new double[] {1, 2}, 2)));
        byte[] previous = Files.readAllBytes(file);
        Map<String, Tensor> params = new LinkedHashMap<>();
        ReferenceBackend backend = new ReferenceBackend(DType.FLOAT64);
        params.put("W1", backend.fromArray(new double[] {3, 4}, 2)); // written before the failure
        params.put("W2", new UnreadableTensor(backend, 2, 2));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Npz.save(file, params));

        assertEquals(UnreadableTensor.FAILURE, e.getMessage());
        assertArrayEquals(previous, Files.readAllBytes(file));
        assertEquals(List.of("model.npz"), listing());
    }

    @Test
    void aWriteErrorLeavesNoFileWhereThereWasNone() throws IOException {
        Path file = dir.resolve("model.npz");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals(List.of(), listing());
    }

    @Test
    void aTargetThatIsADirectoryIsRefusedAndLeftAlone() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.npz"));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> Npz.saveArrays(target, Map.of("W1", NpyArray.ofFloat64(new double[] {1}))));
        assertEquals(target + ": is a directory; give a file name",
                e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals(List.of("model.npz"), listing());
    }

    @Test
    void replacingACheckpointLeavesOnlyTheNewOne() throws IOException {
        Path file = dir.resolve("model.npz");
        Npz.saveArrays(file, Map.of("W1", NpyArray.ofFloat64(new double[] {1})));
        Npz.saveArrays(file, Map.of("W2", NpyArray.ofFloat32(new float[] {2}, 1)));
        assertEquals(Map.of("W2", NpyArray.ofFloat32(new float[] {2}, 1)), Npz.load(file));
        assertEquals(List.of("model.npz"), listing());
    }

    @Test
    void theCheckpointGetsTheUsualPermissionsNotOwnerOnlyOnes() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "needs a file system with POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain")); // what the umask gives any new file
        Path file = dir.resolve("model.npz");
        Npz.saveArrays(file, Map.of("W1", NpyArray.ofFloat64(new double[] {1})));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    /** A tensor whose copies out fail, as a device error would: breaks a save half-way. */
    private static final class UnreadableTensor extends ReferenceTensor {
        static final String FAILURE = "reading fails, as a device error would";

        UnreadableTensor(ReferenceBackend backend, int... dims) {
            super(backend, Shape.of(dims), new double[Shape.of(dims).size()]);
        }

        @Override
        protected void readInto(double[] dst) {
            throw new IllegalStateException(FAILURE);
        }

        @Override
        protected void readInto(float[] dst) {
            throw new IllegalStateException(FAILURE);
        }
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
