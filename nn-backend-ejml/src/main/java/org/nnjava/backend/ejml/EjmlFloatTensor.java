package org.nnjava.backend.ejml;

import java.util.Arrays;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.nnjava.spi.AbstractTensor;
import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.CompareOp;
import org.nnjava.spi.ReduceOp;
import org.nnjava.spi.ReduceSpan;
import org.nnjava.spi.ScalarOp;
import org.nnjava.spi.UnaryOp;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;

/**
 * A float32 tensor on a {@link FMatrixRMaj} of {@code dim0} rows over the row-major elements. Views
 * made by {@code reshape} wrap the same {@code float[]}, so writes are shared.
 */
final class EjmlFloatTensor extends EjmlTensor {

    private final FMatrixRMaj matrix;

    /** Takes ownership of {@code data} (length {@code shape.size()}). */
    EjmlFloatTensor(EjmlBackend backend, Shape shape, float[] data) {
        super(backend, shape);
        this.matrix = FMatrixRMaj.wrap(matrixRows(shape), matrixCols(shape), data);
    }

    @Override
    public DType dtype() {
        return DType.FLOAT32;
    }

    private float[] data() {
        return matrix.data;
    }

    /** The elements of another tensor of this class (the caller checked it is one). */
    private static float[] data(AbstractTensor t) {
        return ((EjmlFloatTensor) t).matrix.data;
    }

    @Override
    protected AbstractTensor newTensor(Shape shape) {
        return new EjmlFloatTensor(ejmlBackend(), shape, new float[shape.size()]);
    }

    @Override
    protected AbstractTensor view(Shape shape) {
        return new EjmlFloatTensor(ejmlBackend(), shape, matrix.data);
    }

    // ---- elementwise ----------------------------------------------------------------------------

    @Override
    protected void binaryKernel(BinaryOp op, AbstractTensor b, Broadcast mode, AbstractTensor out) {
        FloatKernels.binary(op, mode, data(), data(b), data(out), size(), lastDim());
    }

    @Override
    protected void scalarKernel(ScalarOp op, double s, AbstractTensor out) {
        FloatKernels.withScalar(op, data(), (float) s, data(out), 0, size());
    }

    @Override
    protected void unaryKernel(UnaryOp op, AbstractTensor out) {
        FloatKernels.unary(op, data(), data(out), size());
    }

    @Override
    protected void compareKernel(CompareOp op, double s, AbstractTensor out) {
        FloatKernels.compare(op, data(), (float) s, data(out), size());
    }

    @Override
    protected void compareKernel(CompareOp op, AbstractTensor b, AbstractTensor out) {
        FloatKernels.compare(op, data(), data(b), data(out), size());
    }

    @Override
    protected void maskedFillKernel(AbstractTensor mask, double value, AbstractTensor out) {
        FloatKernels.maskedFill(data(), data(mask), (float) value, data(out), size());
    }

    @Override
    protected void reduceKernel(ReduceOp op, int axis, AbstractTensor out) {
        FloatKernels.reduce(op, data(), ReduceSpan.of(shape(), axis), data(out));
    }

    // ---- matrix operations ----------------------------------------------------------------------

    /**
     * Both operands and {@code out} are 2-D, so their matrices are exactly their shapes and EJML's
     * own reshape of {@code out} to {@code [m, n]} keeps its array. Runs on {@link FloatGemm}, 4 to 8
     * times faster than EJML on the training step's shapes, unless the product is tiny, a
     * matrix-vector product, or the CPU has no FMA instruction (see {@link #usesOwnGemm}).
     */
    @Override
    protected void matmulKernel(AbstractTensor b, boolean transposeThis, boolean transposeB, AbstractTensor out) {
        FMatrixRMaj a = matrix;
        FMatrixRMaj m = ((EjmlFloatTensor) b).matrix;
        FMatrixRMaj c = ((EjmlFloatTensor) out).matrix;
        int k = transposeThis ? a.numRows : a.numCols;
        if (k == 0) {
            Arrays.fill(c.data, 0, c.getNumElements(), 0f); // every element is an empty sum
        } else if (c.getNumElements() == 0) {
            return;
        } else if (usesOwnGemm(c.numRows, c.numCols, k)) {
            FloatGemm.multiply(a.data, transposeThis, m.data, transposeB, c.data, c.numRows, c.numCols, k);
        } else if (threaded(c.numRows, c.numCols, k)) {
            multiplyThreaded(a, m, c, transposeThis, transposeB);
        } else {
            multiply(a, m, c, transposeThis, transposeB);
        }
    }

    private static void multiply(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c, boolean ta, boolean tb) {
        if (ta && tb) {
            CommonOps_FDRM.multTransAB(a, b, c);
        } else if (ta) {
            CommonOps_FDRM.multTransA(a, b, c);
        } else if (tb) {
            CommonOps_FDRM.multTransB(a, b, c);
        } else {
            CommonOps_FDRM.mult(a, b, c);
        }
    }

    private static void multiplyThreaded(FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c, boolean ta, boolean tb) {
        if (ta && tb) {
            CommonOps_MT_FDRM.multTransAB(a, b, c);
        } else if (ta) {
            CommonOps_MT_FDRM.multTransA(a, b, c);
        } else if (tb) {
            CommonOps_MT_FDRM.multTransB(a, b, c);
        } else {
            CommonOps_MT_FDRM.mult(a, b, c);
        }
    }

    @Override
    protected void transposeKernel(AbstractTensor out) {
        CommonOps_FDRM.transpose(matrix, ((EjmlFloatTensor) out).matrix);
    }

    /** One pass per row over the arrays instead of the reference's five operations and temporaries. */
    @Override
    protected double softmaxCrossEntropyKernel(AbstractTensor labels, AbstractTensor probabilities) {
        int cols = shape().dim(-1);
        return SoftmaxCrossEntropyKernels.of(data(), data(labels), data(probabilities), size() / cols, cols);
    }

    /** Each row is a contiguous block of {@code size / dim0} elements: one arraycopy per row. */
    @Override
    protected void gatherRowsKernel(int[] rows, AbstractTensor out) {
        int block = matrix.numCols;
        float[] dst = data(out);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data(), rows[i] * block, dst, i * block, block);
        }
    }

    // ---- elements and copies --------------------------------------------------------------------

    @Override
    protected double getFlat(int index) {
        return matrix.data[index];
    }

    @Override
    protected void setFlat(int index, double value) {
        matrix.data[index] = (float) value;
    }

    @Override
    protected void addScaledKernel(AbstractTensor b, double alpha) {
        float[] y = data();
        float[] x = data(b);
        float a = (float) alpha;
        int n = size(); // the backing array may be longer than the tensor
        for (int i = 0; i < n; i++) {
            y[i] += a * x[i];
        }
    }

    @Override
    protected void copyFrom(AbstractTensor source) {
        System.arraycopy(data(source), 0, data(), 0, size());
    }

    @Override
    protected void readInto(double[] dst) {
        float[] src = data();
        for (int i = 0; i < dst.length; i++) {
            dst[i] = src[i];
        }
    }

    @Override
    protected void readInto(float[] dst) {
        System.arraycopy(data(), 0, dst, 0, size());
    }

    @Override
    protected void writeFrom(double[] src) {
        float[] dst = data();
        for (int i = 0; i < src.length; i++) {
            dst[i] = (float) src[i];
        }
    }

    @Override
    protected void writeFrom(float[] src) {
        System.arraycopy(src, 0, data(), 0, size());
    }
}
