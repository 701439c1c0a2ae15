package org.nnjava.backend.ejml;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
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

//64 EjmlFloatTensor is generated from this file at build time by the float32 rules in the parent pom
//64 (docs/backends.md): a cast to the element type, redundant here, rounds the SPI's double arguments
//64 to float there; a /*64*/double (the SPI's own) stays double there; these //64 lines are left out.
/**
 * A float64 tensor on a {@link DMatrixRMaj} of {@code dim0} rows over the row-major elements. Views
 * made by {@code reshape} wrap the same {@code double[]}, so writes are shared.
 */
@SuppressWarnings("cast")
final class EjmlDoubleTensor extends EjmlTensor {

    private final DMatrixRMaj matrix;

    /** Takes ownership of {@code data} (length {@code shape.size()}). */
    EjmlDoubleTensor(EjmlBackend backend, Shape shape, double[] data) {
        super(backend, shape);
        this.matrix = DMatrixRMaj.wrap(matrixRows(shape), matrixCols(shape), data);
    }

    /**
     * Another tensor object on {@code source}'s storage and matrix, of its shape. Sharing the
     * {@code DMatrixRMaj} is safe: a matrix of a tensor's own shape is never reshaped by the kernels.
     */
    private EjmlDoubleTensor(EjmlDoubleTensor source) {
        super(source.ejmlBackend(), source.shape());
        this.matrix = source.matrix;
    }

    @Override
    public DType dtype() {
        return DType.FLOAT64;
    }

    private double[] data() {
        return matrix.data;
    }

    /** The elements of another tensor of this class (the caller checked it is one). */
    private static double[] data(AbstractTensor t) {
        return ((EjmlDoubleTensor) t).matrix.data;
    }

    @Override
    protected AbstractTensor newTensor(Shape shape) {
        return new EjmlDoubleTensor(ejmlBackend(), shape, new double[shape.size()]);
    }

    @Override
    protected AbstractTensor view(Shape shape) {
        if (shape.equals(shape())) {
            return new EjmlDoubleTensor(this); // a step arena's handle on this storage: one small object
        }
        return new EjmlDoubleTensor(ejmlBackend(), shape, matrix.data);
    }

    // ---- elementwise ----------------------------------------------------------------------------

    @Override
    protected void binaryKernel(BinaryOp op, AbstractTensor b, Broadcast mode, AbstractTensor out) {
        DoubleKernels.binary(op, mode, data(), data(b), data(out), size(), lastDim());
    }

    @Override
    protected void scalarKernel(ScalarOp op, /*64*/double s, AbstractTensor out) {
        DoubleKernels.withScalar(op, data(), (double) s, data(out), 0, size());
    }

    @Override
    protected void unaryKernel(UnaryOp op, AbstractTensor out) {
        DoubleKernels.unary(op, data(), data(out), size());
    }

    @Override
    protected void compareKernel(CompareOp op, /*64*/double s, AbstractTensor out) {
        DoubleKernels.compare(op, data(), (double) s, data(out), size());
    }

    @Override
    protected void compareKernel(CompareOp op, AbstractTensor b, AbstractTensor out) {
        DoubleKernels.compare(op, data(), data(b), data(out), size());
    }

    @Override
    protected void maskedFillKernel(AbstractTensor mask, /*64*/double value, AbstractTensor out) {
        DoubleKernels.maskedFill(data(), data(mask), (double) value, data(out), size());
    }

    @Override
    protected void reduceKernel(ReduceOp op, int axis, AbstractTensor out) {
        DoubleKernels.reduce(op, data(), ReduceSpan.of(shape(), axis), data(out));
    }

    // ---- matrix operations ----------------------------------------------------------------------

    /**
     * Both operands and {@code out} are 2-D, so their matrices are exactly their shapes and EJML's
     * own reshape of {@code out} to {@code [m, n]} keeps its array. Runs on {@link DoubleGemm}, 4 to 8
     * times faster than EJML on the training step's shapes, unless the product is tiny, a
     * matrix-vector product, or the CPU has no FMA instruction (see {@link #usesOwnGemm}).
     */
    @Override
    protected void matmulKernel(AbstractTensor b, boolean transposeThis, boolean transposeB, AbstractTensor out) {
        DMatrixRMaj a = matrix;
        DMatrixRMaj m = ((EjmlDoubleTensor) b).matrix;
        DMatrixRMaj c = ((EjmlDoubleTensor) out).matrix;
        int k = transposeThis ? a.numRows : a.numCols;
        if (k == 0) {
            Arrays.fill(c.data, 0, c.getNumElements(), 0); // every element is an empty sum
        } else if (c.getNumElements() == 0) {
            return;
        } else if (usesOwnGemm(c.numRows, c.numCols, k)) {
            DoubleGemm.multiply(a.data, transposeThis, m.data, transposeB, c.data, c.numRows, c.numCols, k);
        } else if (threaded(c.numRows, c.numCols, k)) {
            multiplyThreaded(a, m, c, transposeThis, transposeB);
        } else {
            multiply(a, m, c, transposeThis, transposeB);
        }
    }

    private static void multiply(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, boolean ta, boolean tb) {
        if (ta && tb) {
            CommonOps_DDRM.multTransAB(a, b, c);
        } else if (ta) {
            CommonOps_DDRM.multTransA(a, b, c);
        } else if (tb) {
            CommonOps_DDRM.multTransB(a, b, c);
        } else {
            CommonOps_DDRM.mult(a, b, c);
        }
    }

    private static void multiplyThreaded(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, boolean ta, boolean tb) {
        if (ta && tb) {
            CommonOps_MT_DDRM.multTransAB(a, b, c);
        } else if (ta) {
            CommonOps_MT_DDRM.multTransA(a, b, c);
        } else if (tb) {
            CommonOps_MT_DDRM.multTransB(a, b, c);
        } else {
            CommonOps_MT_DDRM.mult(a, b, c);
        }
    }

    @Override
    protected void transposeKernel(AbstractTensor out) {
        CommonOps_DDRM.transpose(matrix, ((EjmlDoubleTensor) out).matrix);
    }

    /** One pass per row over the arrays instead of the reference's five operations and temporaries. */
    @Override
    protected /*64*/double softmaxCrossEntropyKernel(AbstractTensor labels, AbstractTensor probabilities) {
        int cols = shape().dim(-1);
        return DoubleKernels.softmaxCrossEntropy(data(), data(labels), data(probabilities), size() / cols, cols);
    }

    /** Each row is a contiguous block of {@code size / dim0} elements: one arraycopy per row. */
    @Override
    protected void gatherRowsKernel(int[] rows, AbstractTensor out) {
        int block = matrix.numCols;
        double[] dst = data(out);
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data(), rows[i] * block, dst, i * block, block);
        }
    }

    // ---- convolution and pooling ----------------------------------------------------------------

    /** Straight from the backing array into the columns, one run per window row (no double[] copies). */
    @Override
    protected void im2colKernel(int fh, int fw, int stride, int pad, AbstractTensor out) {
        int[] d = shape().dims();
        DoubleKernels.im2col(data(), d[0], d[1], d[2], d[3], fh, fw, stride, pad, data(out));
    }

    @Override
    protected void col2imKernel(int fh, int fw, int stride, int pad, AbstractTensor out) {
        int[] d = out.shape().dims();
        DoubleKernels.col2im(data(), d[0], d[1], d[2], d[3], fh, fw, stride, pad, data(out));
    }

    /** A batch of tiled 2-D transposes where the permutation is one (both of Convolution's), else the default. */
    @Override
    protected void permuteKernel(int[] axes, AbstractTensor out) {
        int[] plan = transposePlan(shape().dims(), axes);
        if (plan == null) {
            super.permuteKernel(axes, out);
        } else {
            DoubleKernels.transposeBatch(data(), plan[0], plan[1], plan[2], data(out));
        }
    }

    @Override
    protected void maxPoolKernel(int ph, int pw, int stride, int pad, AbstractTensor max, AbstractTensor argMax) {
        int[] d = shape().dims();
        DoubleKernels.maxPool(data(), d[0] * d[1], d[2], d[3], ph, pw, stride, pad, data(max), data(argMax));
    }

    @Override
    protected int maxPoolBackwardKernel(AbstractTensor argMax, AbstractTensor out) {
        Shape in = out.shape();
        return DoubleKernels.maxPoolBackward(data(), data(argMax), in.dim(0) * in.dim(1),
                shape().dim(2) * shape().dim(3), in.dim(2) * in.dim(3), data(out));
    }

    // ---- elements and copies --------------------------------------------------------------------

    @Override
    protected /*64*/double getFlat(int index) {
        return matrix.data[index];
    }

    @Override
    protected void setFlat(int index, /*64*/double value) {
        matrix.data[index] = (double) value;
    }

    @Override
    protected void addScaledKernel(AbstractTensor b, /*64*/double alpha) {
        double[] y = data();
        double[] x = data(b);
        double a = (double) alpha;
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
    protected void readInto(/*64*/double[] dst) {
        copy(data(), dst, size());
    }

    @Override
    protected void readInto(float[] dst) {
        copy(data(), dst, size());
    }

    @Override
    protected void writeFrom(/*64*/double[] src) {
        copy(src, data(), size());
    }

    @Override
    protected void writeFrom(float[] src) {
        copy(src, data(), size());
    }
}
