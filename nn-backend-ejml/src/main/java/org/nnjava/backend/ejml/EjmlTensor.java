package org.nnjava.backend.ejml;

import org.nnjava.spi.AbstractTensor;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Shape;

/**
 * What both EJML tensor classes share: the backend, and how a shape of any rank maps onto EJML's
 * rank-2 matrices ({@code dim0} rows, the product of the remaining dimensions as columns).
 */
abstract class EjmlTensor extends AbstractTensor {

    /**
     * Multiply-adds ({@code m * n * k}) from which a product that stays on EJML (see
     * {@link #usesOwnGemm}) runs on EJML's concurrent kernels. Well below a million, handing work to
     * threads costs about what it saves. The backend's own kernel has its own threshold
     * ({@link GemmWorkers#PARALLEL_WORK}).
     */
    static final long THREADED_MATMUL_WORK = 1_000_000L;

    private final EjmlBackend backend;

    EjmlTensor(EjmlBackend backend, Shape shape) {
        super(shape);
        this.backend = backend;
    }

    @Override
    public final Backend backend() {
        return backend;
    }

    final EjmlBackend ejmlBackend() {
        return backend;
    }

    /** The matrix rows a shape is stored as: {@code dim0}, or 1 for a scalar. */
    static int matrixRows(Shape shape) {
        return shape.rank() == 0 ? 1 : shape.dim(0);
    }

    /**
     * The matrix columns: the product of the dimensions after the first (not {@code size / rows},
     * which fails for a zero {@code dim0}), so a 2-D tensor's matrix is exactly {@code [m, n]}.
     */
    static int matrixCols(Shape shape) {
        int cols = 1;
        for (int axis = 1; axis < shape.rank(); axis++) {
            cols *= shape.dim(axis);
        }
        return cols;
    }

    /** The length of the rows that a row or column broadcast walks: the last dimension. */
    final int lastDim() {
        return shape().rank() == 0 ? 1 : shape().dim(-1);
    }

    /**
     * Multiply-adds ({@code m * n * k}) below which a product stays on EJML's kernels. Measured, the
     * pure-Java kernel wins from about 10x10x10 on; products this small take a microsecond either way,
     * and keeping them away from that kernel keeps their short loops out of the profile from which
     * C2 picks its vector width.
     */
    static final long OWN_GEMM_WORK = 4096L;

    /**
     * Whether an {@code [m, k] x [k, n]} product runs on this backend's own kernel ({@link DoubleGemm},
     * or the {@code FloatGemm} generated from it) rather than EJML's: when it is not tiny, is not a matrix-vector product (the
     * kernel packs a whole operand to compute blocks of three rows, which a single row cannot repay),
     * and {@code Math.fma} is an instruction here.
     */
    static boolean usesOwnGemm(int m, int n, int k) {
        return (long) m * n * k >= OWN_GEMM_WORK && Math.min(m, n) >= 2 && FmaSupport.isIntrinsic();
    }

    /** Whether an {@code [m, k] x [k, n]} product is big enough for threads to pay. */
    static boolean threaded(int m, int n, int k) {
        return (long) m * n * k >= THREADED_MATMUL_WORK;
    }

    // The copies between a tensor's array and the caller's, one per pair of element types, so that
    // readInto and writeFrom have one text for both tensor classes: within a type, a bulk copy.

    /** {@code dst[i] = src[i]} for {@code i < n}. */
    static void copy(double[] src, double[] dst, int n) {
        System.arraycopy(src, 0, dst, 0, n);
    }

    /** {@code dst[i] = src[i]} for {@code i < n}. */
    static void copy(float[] src, float[] dst, int n) {
        System.arraycopy(src, 0, dst, 0, n);
    }

    /** {@code dst[i] = src[i]} for {@code i < n}, exactly. */
    static void copy(float[] src, double[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = src[i];
        }
    }

    /** {@code dst[i] = (float) src[i]} for {@code i < n}: rounded to nearest. */
    static void copy(double[] src, float[] dst, int n) {
        for (int i = 0; i < n; i++) {
            dst[i] = (float) src[i];
        }
    }

    /**
     * {@code a}'s bits where {@code keep} is all ones, {@code fill}'s where it is 0: the branch-free select of
     * the masked-fill kernels (here, outside the generated sources, because a float32 value makes the round
     * trip through {@code double} exactly).
     *
     * @param a the element
     * @param keep -1 to keep {@code a}, 0 to take {@code fill}
     * @param fill the raw bits of the fill value as a {@code double}
     * @return the selected value
     */
    static double selectBits(double a, long keep, long fill) {
        return Double.longBitsToDouble((Double.doubleToRawLongBits(a) & keep) | (fill & ~keep));
    }
}
