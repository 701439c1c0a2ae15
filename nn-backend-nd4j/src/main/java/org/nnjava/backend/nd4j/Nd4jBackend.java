package org.nnjava.backend.nd4j;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.nnjava.spi.AbstractBackend;
import org.nnjava.spi.AbstractTensor;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;

/**
 * Creates {@link Nd4jTensor}s of one dtype. Every array is created with an explicit ND4J data type and
 * in C (row-major) order, never from ND4J's global defaults ({@code Nd4j.setDefaultDataTypes}), which
 * another library in the same JVM may have changed.
 */
final class Nd4jBackend extends AbstractBackend {

    static final String NAME = "nd4j";

    private final DataType dataType;

    Nd4jBackend(DType dtype) {
        super(NAME, dtype);
        this.dataType = dtype == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** The ND4J data type of every array of this backend. */
    DataType dataType() {
        return dataType;
    }

    /** A zero-filled tensor. */
    Nd4jTensor zerosTensor(Shape shape) {
        return new Nd4jTensor(this, shape, zerosArray(shape.dims()));
    }

    /**
     * A zero-filled C-order array of this backend's data type.
     *
     * <p>{@code Nd4j.create} costs 5-30 µs and about 2.3 KB of Java heap per array. Part of that is
     * JavaCPP's off-heap accounting: each array registers two deallocators, and each registration reads
     * {@code /proc/self/statm} (about 1.1 µs) to enforce {@code org.bytedeco.javacpp.maxPhysicalBytes};
     * with that property at 0 a 10-element array took 3-4 µs instead of 9.4. It is not set here: it is
     * the only check that makes JavaCPP force a GC when off-heap memory grows (its {@code maxBytes} does
     * not see ND4J's buffers: 80 MB of arrays added 320 bytes to {@code Pointer.totalBytes()}), and the
     * training step, whose layers reuse their buffers, creates no arrays at all.
     */
    INDArray zerosArray(int... dims) {
        return Nd4j.create(dataType, longs(dims), 'c');
    }

    /**
     * Initialises ND4J (loading its native library), allocates tiny arrays, runs one native ND4J op and
     * one OpenBLAS call on them, so that the library, its ops and the BLAS the kernels call directly
     * (through its own JNI library) are known to work. Called only by {@link Nd4jProbe}, which catches
     * whatever this throws (typically a wrapped {@link UnsatisfiedLinkError}).
     */
    static void runOneNativeOp() {
        INDArray probe = Nd4j.create(DataType.DOUBLE, new long[] {2}, 'c');
        // After Nd4j has initialised its backend, which NativeOpsHolder needs.
        configureThreads();
        probe.addi(1.0);
        if (probe.getDouble(1) != 1.0) {
            throw new IllegalStateException("a native add returned " + probe.getDouble(1) + " for 0 + 1");
        }
        INDArray product = Nd4j.create(DataType.DOUBLE, new long[] {1}, 'c');
        DoubleBuffer ones = probe.data().asNioDouble();
        Nd4jDoubleKernels.gemm(ones, false, 2, ones, true, 2, product.data().asNioDouble(), 1, 1, 2);
        if (product.getDouble(0) != 2.0) {
            throw new IllegalStateException("OpenBLAS's dgemm returned " + product.getDouble(0) + " for [1, 1] · [1, 1]");
        }
    }

    /** The system property that sets the native thread count (OpenMP and BLAS); 1 by default. */
    static final String THREADS_PROPERTY = "nn.nd4j.threads";

    /**
     * Sets the native thread count before any real work. ND4J otherwise starts one OpenMP thread per
     * core for every op; on the small matrices of a training step (100 x 784 x 50) the threads cost
     * far more than they save: measured on 2 cores, a TwoLayerNet gradient took 70 ms with ND4J's
     * default threading and 2.7 ms with one thread (maskedFill 14 ms vs 0.5 ms, matmul 0.9 vs 0.3 ms).
     * {@code -Dnn.nd4j.threads=N} chooses another count for large matrices.
     */
    private static void configureThreads() {
        int threads = Integer.getInteger(THREADS_PROPERTY, 1);
        if (threads < 1) {
            throw new IllegalArgumentException("-D" + THREADS_PROPERTY + "=" + threads + ": use a positive thread count");
        }
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
        // ND4J sets OpenBLAS's count through openblas_nolapack.blas_set_num_threads: the same library
        // the kernels call directly, where 2 threads made dgemm 2-3x slower on the step's shapes.
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    @Override
    protected AbstractTensor create(Shape shape) {
        return zerosTensor(shape);
    }

    @Override
    protected AbstractTensor wrap(Shape shape, double[] data) {
        long[] dims = longs(shape.dims());
        return new Nd4jTensor(this, shape, Nd4j.create(data, dims, Nd4j.getStrides(dims, 'c'), 'c', DataType.DOUBLE));
    }

    @Override
    protected AbstractTensor wrap(Shape shape, float[] data) {
        long[] dims = longs(shape.dims());
        return new Nd4jTensor(this, shape, Nd4j.create(data, dims, Nd4j.getStrides(dims, 'c'), 'c', DataType.FLOAT));
    }

    /**
     * ND4J's shapes are {@code long[]}. Always pass them as an array: a call such as
     * {@code reshape('c', 6)} binds to {@code reshape(long, long)} and reads {@code 'c'} as a dimension of 99.
     */
    static long[] longs(int... dims) {
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i];
        }
        return out;
    }
}
