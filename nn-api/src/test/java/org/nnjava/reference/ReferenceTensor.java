package org.nnjava.reference;

import org.nnjava.spi.AbstractTensor;
import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.CompareOp;
import org.nnjava.spi.ReduceOp;
import org.nnjava.spi.ReduceSpan;
import org.nnjava.spi.ScalarOp;
import org.nnjava.spi.UnaryOp;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;

/**
 * A tensor on a row-major {@code double[]}, shared with the views {@code reshape} makes. Only the
 * kernels {@link AbstractTensor} requires, each the simplest loop: every argument arrives checked and
 * every result allocated. Results are computed in double and stored through {@link #put}, which rounds
 * them to float for a float32 tensor; for {@code + - * /} and {@code sqrt} that is exactly the float
 * operation, and sums and products are at least as accurate as a float accumulator.
 *
 * <p>Elementwise kernels read element {@code i} of every operand before writing element {@code i} of
 * {@code out}, so {@code out} may be {@code this} or {@code b}, as the kernel contract requires.
 */
public class ReferenceTensor extends AbstractTensor {

    private final ReferenceBackend backend;
    private final double[] data;

    /** A tensor of {@code backend} on {@code data} (length {@code shape.size()}), which it keeps. */
    protected ReferenceTensor(ReferenceBackend backend, Shape shape, double[] data) {
        super(shape);
        this.backend = backend;
        this.data = data;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public DType dtype() {
        return backend.dtype();
    }

    /** Stores {@code value} at {@code index} in this tensor's precision. */
    private void put(int index, double value) {
        data[index] = dtype() == DType.FLOAT32 ? (float) value : value;
    }

    private static ReferenceTensor of(AbstractTensor t) {
        return (ReferenceTensor) t;
    }

    @Override
    protected AbstractTensor newTensor(Shape shape) {
        return backend.tensor(shape, new double[shape.size()]);
    }

    @Override
    protected AbstractTensor view(Shape shape) {
        return new ReferenceTensor(backend, shape, data);
    }

    // ---- elementwise ----------------------------------------------------------------------------

    private static double apply(ScalarOp op, double x, double s) {
        return switch (op) {
            case ADD -> x + s;
            case SUB -> x - s;
            case MUL -> x * s;
            case DIV -> x / s;
            case RSUB -> s - x;
            case RDIV -> s / x;
            case MAX -> Math.max(x, s); // NaN if either is NaN
        };
    }

    @Override
    protected void binaryKernel(BinaryOp op, AbstractTensor b, Broadcast mode, AbstractTensor out) {
        double[] y = of(b).data;
        int cols = shape().rank() == 0 ? 1 : shape().dim(-1);
        for (int i = 0; i < size(); i++) {
            double yi = switch (mode) {
                case SAME -> y[i];
                case SCALAR -> y[0];
                case ROW -> y[i % cols];
                case COLUMN -> y[i / cols];
            };
            of(out).put(i, apply(op.scalarForm(), data[i], yi));
        }
    }

    @Override
    protected void scalarKernel(ScalarOp op, double s, AbstractTensor out) {
        for (int i = 0; i < size(); i++) {
            of(out).put(i, apply(op, data[i], s));
        }
    }

    @Override
    protected void unaryKernel(UnaryOp op, AbstractTensor out) {
        for (int i = 0; i < size(); i++) {
            double x = data[i];
            of(out).put(i, switch (op) {
                case EXP -> Math.exp(x);
                case LOG -> Math.log(x);
                case SQRT -> Math.sqrt(x);
                case NEG -> -x;
            });
        }
    }

    private static boolean holds(CompareOp op, double x, double y) {
        return switch (op) { // every comparison with NaN is false
            case GT -> x > y;
            case GE -> x >= y;
            case LT -> x < y;
            case LE -> x <= y;
            case EQ -> x == y;
        };
    }

    @Override
    protected void compareKernel(CompareOp op, double s, AbstractTensor out) {
        for (int i = 0; i < size(); i++) {
            of(out).put(i, holds(op, data[i], s) ? 1 : 0);
        }
    }

    @Override
    protected void compareKernel(CompareOp op, AbstractTensor b, AbstractTensor out) {
        for (int i = 0; i < size(); i++) {
            of(out).put(i, holds(op, data[i], of(b).data[i]) ? 1 : 0);
        }
    }

    @Override
    protected void maskedFillKernel(AbstractTensor mask, double value, AbstractTensor out) {
        for (int i = 0; i < size(); i++) {
            of(out).put(i, of(mask).data[i] != 0 ? value : data[i]);
        }
    }

    // ---- matrices and reductions ----------------------------------------------------------------

    /** {@code out[r, c] = Σ_j op(this)[r, j] · op(b)[j, c]}; an empty sum is 0. */
    @Override
    protected void matmulKernel(AbstractTensor b, boolean transposeThis, boolean transposeB, AbstractTensor out) {
        int m = out.shape().dim(0);
        int n = out.shape().dim(1);
        int k = shape().dim(transposeThis ? 0 : 1);
        int lda = shape().dim(1);
        int ldb = b.shape().dim(1);
        double[] y = of(b).data;
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < n; c++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += data[transposeThis ? j * lda + r : r * lda + j] * y[transposeB ? c * ldb + j : j * ldb + c];
                }
                of(out).put(r * n + c, sum);
            }
        }
    }

    @Override
    protected void transposeKernel(AbstractTensor out) {
        int rows = shape().dim(0);
        int cols = shape().dim(1);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                of(out).data[c * rows + r] = data[r * cols + c];
            }
        }
    }

    @Override
    protected void reduceKernel(ReduceOp op, int axis, AbstractTensor out) {
        ReduceSpan span = ReduceSpan.of(shape(), axis);
        for (int o = 0; o < span.outer(); o++) {
            for (int i = 0; i < span.inner(); i++) {
                of(out).put(o * span.inner() + i, reduce(op, span.start(o, i), span.length(), span.inner()));
            }
        }
    }

    /** {@code op} over {@code data[start + j * stride]}, {@code j < length}; MAX and ARGMAX take the first NaN as NumPy does. */
    private double reduce(ReduceOp op, int start, int length, int stride) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int argmax = 0;
        for (int j = 0; j < length; j++) {
            double v = data[start + j * stride];
            sum += v;
            if (v > max || Double.isNaN(v) && !Double.isNaN(max)) {
                max = v;
                argmax = j;
            }
        }
        return switch (op) {
            case SUM -> sum;
            case MEAN -> sum / length;
            case MAX -> max;
            case ARGMAX -> argmax;
        };
    }

    @Override
    protected void gatherRowsKernel(int[] rows, AbstractTensor out) {
        int block = rows.length == 0 ? 0 : out.size() / rows.length;
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(data, rows[i] * block, of(out).data, i * block, block);
        }
    }

    // ---- elements and copies --------------------------------------------------------------------

    @Override
    protected double getFlat(int index) {
        return data[index];
    }

    @Override
    protected void setFlat(int index, double value) {
        put(index, value);
    }

    @Override
    protected void copyFrom(AbstractTensor source) {
        System.arraycopy(of(source).data, 0, data, 0, size());
    }

    @Override
    protected void readInto(double[] dst) {
        System.arraycopy(data, 0, dst, 0, size());
    }

    @Override
    protected void readInto(float[] dst) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) data[i];
        }
    }

    @Override
    protected void writeFrom(double[] src) {
        for (int i = 0; i < src.length; i++) {
            put(i, src[i]);
        }
    }

    @Override
    protected void writeFrom(float[] src) {
        for (int i = 0; i < src.length; i++) {
            data[i] = src[i];
        }
    }
}
