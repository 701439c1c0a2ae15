package org.nnjava.spi;

import java.util.Arrays;
import org.nnjava.internal.TensorFormat;
import org.nnjava.tensor.IncompatibleTensorsException;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.ReferenceOps;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;
import org.nnjava.tensor.TensorIndexException;

/**
 * The base of every backend's tensor. It owns the shape, validates every argument and allocates the
 * results, so that all backends accept and reject exactly the same calls with the same messages; the
 * backend supplies only the kernels below, which are called with operands already checked.
 *
 * <p>Kernel contract: operands are of this class's backend and dtype; {@code out} has the result's
 * shape. Elementwise kernels ({@code binary}, {@code scalar}, {@code unary}, {@code compare},
 * {@code maskedFill}) must work when {@code out} is {@code this} or is {@code b} (in-place forms and
 * the {@code out} forms); {@code softmaxCrossEntropy} gets a {@code probabilities} distinct from both. {@code matmul},
 * {@code reduce}, {@code transpose} and {@code gatherRows} never get an {@code out} that aliases an
 * input.
 */
public abstract class AbstractTensor implements Tensor {

    private final Shape shape;

    /**
     * A tensor of the given shape; the subclass holds the storage.
     *
     * @param shape the dimensions (a {@link Shape} is immutable, so it is kept as given)
     */
    protected AbstractTensor(Shape shape) {
        this.shape = shape;
    }

    @Override
    public final Shape shape() {
        return shape;
    }

    // ---- kernels a backend implements -----------------------------------------------------------

    /**
     * A new zero-filled tensor of this backend and dtype.
     *
     * @param shape the dimensions of the new tensor
     * @return a new tensor of this class, backend and dtype, its elements all 0
     */
    protected abstract AbstractTensor newTensor(Shape shape);

    /**
     * A tensor of another shape (same size) sharing this tensor's storage.
     *
     * @param shape a shape of this tensor's size
     * @return a tensor whose elements are this tensor's: writes to either are seen by both
     */
    protected abstract AbstractTensor view(Shape shape);

    /**
     * {@code out = this op b}, with {@code b} laid out as {@code mode} says (see {@link Broadcast}).
     *
     * @param op the operation
     * @param b the right operand, of this backend and dtype
     * @param mode how {@code b}'s elements map onto this tensor's
     * @param out a tensor of this shape; may be {@code this} or {@code b}
     */
    protected abstract void binaryKernel(BinaryOp op, AbstractTensor b, Broadcast mode, AbstractTensor out);

    /**
     * {@code this += alpha · b}, same shapes; {@code b} may be {@code this}. The default allocates a
     * temporary; a backend overrides it with a fused loop or its BLAS axpy.
     *
     * @param b a tensor of this shape
     * @param alpha the factor applied to {@code b}
     */
    protected void addScaledKernel(AbstractTensor b, double alpha) {
        AbstractTensor scaled = newTensor(shape);
        b.scalarKernel(ScalarOp.MUL, alpha, scaled);
        binaryKernel(BinaryOp.ADD, scaled, Broadcast.SAME, this);
    }

    /**
     * {@code out = this op s} (see {@link ScalarOp} for the operand order).
     *
     * @param op the operation
     * @param s the scalar operand
     * @param out a tensor of this shape; may be {@code this}
     */
    protected abstract void scalarKernel(ScalarOp op, double s, AbstractTensor out);

    /**
     * {@code out = f(this)}.
     *
     * @param op the function
     * @param out a tensor of this shape; may be {@code this}
     */
    protected abstract void unaryKernel(UnaryOp op, AbstractTensor out);

    /**
     * {@code out = op(this) · op(b)} for 2-D operands whose shapes are already checked.
     *
     * @param b the right factor, 2-D
     * @param transposeThis whether the left factor is {@code thisᵀ}
     * @param transposeB whether the right factor is {@code bᵀ}
     * @param out the {@code [m, n]} result, neither {@code this} nor {@code b}; every element is overwritten
     */
    protected abstract void matmulKernel(AbstractTensor b, boolean transposeThis, boolean transposeB,
            AbstractTensor out);

    /**
     * Reduces along {@code axis} (already normalised), or over everything when {@code axis} is -1.
     *
     * @param op the reduction
     * @param axis the axis in {@code 0 .. rank - 1}, or -1 for every element (see {@link ReduceSpan})
     * @param out a tensor of this shape without {@code axis} (rank 0 for -1)
     */
    protected abstract void reduceKernel(ReduceOp op, int axis, AbstractTensor out);

    /**
     * {@code out = (this op s) ? 1 : 0}.
     *
     * @param op the comparison
     * @param s the value compared with
     * @param out a tensor of this shape; may be {@code this}
     */
    protected abstract void compareKernel(CompareOp op, double s, AbstractTensor out);

    /**
     * {@code out = (this op b) ? 1 : 0}, elementwise, same shapes.
     *
     * @param op the comparison
     * @param b a tensor of this shape
     * @param out a tensor of this shape; may be {@code this} or {@code b}
     */
    protected abstract void compareKernel(CompareOp op, AbstractTensor b, AbstractTensor out);

    /**
     * {@code out[i] = mask[i] != 0 ? value : this[i]}.
     *
     * @param mask a tensor of this shape
     * @param value the value written where {@code mask} is non-zero
     * @param out a tensor of this shape; may be {@code this} or {@code mask}
     */
    protected abstract void maskedFillKernel(AbstractTensor mask, double value, AbstractTensor out);

    /**
     * {@code out = thisᵀ} for a 2-D tensor.
     *
     * @param out a tensor of this tensor's shape reversed, not {@code this}
     */
    protected abstract void transposeKernel(AbstractTensor out);

    /**
     * {@code out[i, ...] = this[rows[i], ...]}; indices already checked (the array is the caller's: read it, keep no reference).
     *
     * @param rows indices into axis 0, each already checked to be in range
     * @param out a tensor of this shape with {@code rows.length} as its first dimension, not {@code this}
     */
    protected abstract void gatherRowsKernel(int[] rows, AbstractTensor out);

    /**
     * The element at a row-major flat index.
     *
     * @param index {@code 0 .. size() - 1}, already checked
     * @return the element, widened to double
     */
    protected abstract double getFlat(int index);

    /**
     * Writes the element at a row-major flat index.
     *
     * @param index {@code 0 .. size() - 1}, already checked
     * @param value the value; a float32 tensor rounds it
     */
    protected abstract void setFlat(int index, double value);

    /**
     * Copies every element of {@code source} (same shape) into this tensor.
     *
     * @param source a tensor of this class, backend, dtype and shape, not {@code this}
     */
    protected abstract void copyFrom(AbstractTensor source);

    /**
     * Copies the elements into {@code dst} (length {@code size()}).
     *
     * @param dst an array of length {@code size()}, every element overwritten
     */
    protected abstract void readInto(double[] dst);

    /**
     * Copies the elements into {@code dst} (length {@code size()}), rounding float64 values.
     *
     * @param dst an array of length {@code size()}, every element overwritten
     */
    protected abstract void readInto(float[] dst);

    /**
     * Overwrites the elements from {@code src} (length {@code size()}); float32 tensors round.
     *
     * @param src the elements, row-major, length {@code size()}; not kept
     */
    protected abstract void writeFrom(double[] src);

    /**
     * Overwrites the elements from {@code src} (length {@code size()}).
     *
     * @param src the elements, row-major, length {@code size()}; not kept
     */
    protected abstract void writeFrom(float[] src);

    // ---- elementwise with broadcasting ----------------------------------------------------------

    @Override
    public final Tensor add(Tensor b) {
        return binary(BinaryOp.ADD, b, null);
    }

    @Override
    public final Tensor sub(Tensor b) {
        return binary(BinaryOp.SUB, b, null);
    }

    @Override
    public final Tensor mul(Tensor b) {
        return binary(BinaryOp.MUL, b, null);
    }

    @Override
    public final Tensor div(Tensor b) {
        return binary(BinaryOp.DIV, b, null);
    }

    @Override
    public final Tensor add(Tensor b, Tensor out) {
        return binaryInto(BinaryOp.ADD, b, out);
    }

    @Override
    public final Tensor sub(Tensor b, Tensor out) {
        return binaryInto(BinaryOp.SUB, b, out);
    }

    @Override
    public final Tensor mul(Tensor b, Tensor out) {
        return binaryInto(BinaryOp.MUL, b, out);
    }

    @Override
    public final Tensor div(Tensor b, Tensor out) {
        return binaryInto(BinaryOp.DIV, b, out);
    }

    private Tensor binaryInto(BinaryOp op, Tensor b, Tensor out) {
        AbstractTensor result = fits(out) && out.shape().equals(shape) ? (AbstractTensor) out : output(op.method(), out, shape);
        return binary(op, b, result);
    }

    @Override
    public final Tensor addInPlace(Tensor b) {
        return binary(BinaryOp.ADD, b, this);
    }

    @Override
    public final Tensor subInPlace(Tensor b) {
        return binary(BinaryOp.SUB, b, this);
    }

    @Override
    public final Tensor mulInPlace(Tensor b) {
        return binary(BinaryOp.MUL, b, this);
    }

    @Override
    public final Tensor divInPlace(Tensor b) {
        return binary(BinaryOp.DIV, b, this);
    }

    @Override
    public final Tensor addScaledInPlace(Tensor b, double alpha) {
        AbstractTensor other = compatible("addScaledInPlace", b);
        requireSameShape("addScaledInPlace", other);
        addScaledKernel(other, alpha);
        return this;
    }

    private Tensor binary(BinaryOp op, Tensor other, AbstractTensor out) {
        // The operation's name is built only for an error message: this is the training step's hot path.
        AbstractTensor b = fits(other) ? (AbstractTensor) other : compatible(binaryName(op, out), other);
        Broadcast mode = broadcastMode(op, out, b.shape());
        AbstractTensor result = out == null ? newTensor(shape) : out;
        binaryKernel(op, b, mode, result);
        return result;
    }

    private String binaryName(BinaryOp op, AbstractTensor out) {
        return out == null ? op.method() : out == this ? op.method() + "InPlace" : op.method() + " (out)";
    }

    private Broadcast broadcastMode(BinaryOp op, AbstractTensor out, Shape b) {
        if (b.equals(shape)) {
            return Broadcast.SAME;
        }
        int rank = shape.rank();
        if (b.size() == 1 && b.rank() <= Math.max(rank, 1)) {
            return Broadcast.SCALAR;
        }
        if (rank >= 2) {
            int cols = shape.dim(-1);
            boolean row = (b.rank() == 1 && b.dim(0) == cols) || (b.rank() == 2 && b.dim(0) == 1 && b.dim(1) == cols);
            if (row) {
                return Broadcast.ROW;
            }
            if (rank == 2 && b.rank() == 2 && b.dim(0) == shape.dim(0) && b.dim(1) == 1) {
                return Broadcast.COLUMN;
            }
        }
        String fits = rank >= 2
                ? ", a row vector [" + shape.dim(-1) + "] or [1, " + shape.dim(-1) + "]"
                        + (rank == 2 ? ", or a column vector [" + shape.dim(0) + ", 1]" : "")
                : "";
        throw new ShapeMismatchException(binaryName(op, out) + ": " + shape + " " + op.symbol() + " " + b
                + ": the right operand must have the left's shape " + shape + ", one element" + fits
                + " (broadcasting goes from right to left only; swap the operands if the left is the smaller)");
    }

    // ---- scalar arithmetic ----------------------------------------------------------------------

    @Override
    public final Tensor add(double s) {
        return scalar(ScalarOp.ADD, s, null);
    }

    @Override
    public final Tensor sub(double s) {
        return scalar(ScalarOp.SUB, s, null);
    }

    @Override
    public final Tensor mul(double s) {
        return scalar(ScalarOp.MUL, s, null);
    }

    @Override
    public final Tensor div(double s) {
        return scalar(ScalarOp.DIV, s, null);
    }

    @Override
    public final Tensor rsub(double s) {
        return scalar(ScalarOp.RSUB, s, null);
    }

    @Override
    public final Tensor rdiv(double s) {
        return scalar(ScalarOp.RDIV, s, null);
    }

    @Override
    public final Tensor maximum(double s) {
        return scalar(ScalarOp.MAX, s, null);
    }

    @Override
    public final Tensor add(double s, Tensor out) {
        return scalar(ScalarOp.ADD, s, output("add", out, shape));
    }

    @Override
    public final Tensor sub(double s, Tensor out) {
        return scalar(ScalarOp.SUB, s, output("sub", out, shape));
    }

    @Override
    public final Tensor mul(double s, Tensor out) {
        return scalar(ScalarOp.MUL, s, output("mul", out, shape));
    }

    @Override
    public final Tensor div(double s, Tensor out) {
        return scalar(ScalarOp.DIV, s, output("div", out, shape));
    }

    @Override
    public final Tensor rsub(double s, Tensor out) {
        return scalar(ScalarOp.RSUB, s, output("rsub", out, shape));
    }

    @Override
    public final Tensor rdiv(double s, Tensor out) {
        return scalar(ScalarOp.RDIV, s, output("rdiv", out, shape));
    }

    @Override
    public final Tensor maximum(double s, Tensor out) {
        return scalar(ScalarOp.MAX, s, output("maximum", out, shape));
    }

    @Override
    public final Tensor addInPlace(double s) {
        return scalar(ScalarOp.ADD, s, this);
    }

    @Override
    public final Tensor mulInPlace(double s) {
        return scalar(ScalarOp.MUL, s, this);
    }

    @Override
    public final Tensor maximumInPlace(double s) {
        return scalar(ScalarOp.MAX, s, this);
    }

    private Tensor scalar(ScalarOp op, double s, AbstractTensor out) {
        AbstractTensor result = out == null ? newTensor(shape) : out;
        scalarKernel(op, s, result);
        return result;
    }

    // ---- elementwise functions ------------------------------------------------------------------

    @Override
    public final Tensor exp() {
        return unary(UnaryOp.EXP, null);
    }

    @Override
    public final Tensor log() {
        return unary(UnaryOp.LOG, null);
    }

    @Override
    public final Tensor sqrt() {
        return unary(UnaryOp.SQRT, null);
    }

    @Override
    public final Tensor neg() {
        return unary(UnaryOp.NEG, null);
    }

    @Override
    public final Tensor exp(Tensor out) {
        return unary(UnaryOp.EXP, output("exp", out, shape));
    }

    @Override
    public final Tensor log(Tensor out) {
        return unary(UnaryOp.LOG, output("log", out, shape));
    }

    @Override
    public final Tensor sqrt(Tensor out) {
        return unary(UnaryOp.SQRT, output("sqrt", out, shape));
    }

    @Override
    public final Tensor neg(Tensor out) {
        return unary(UnaryOp.NEG, output("neg", out, shape));
    }

    @Override
    public final Tensor expInPlace() {
        return unary(UnaryOp.EXP, this);
    }

    @Override
    public final Tensor logInPlace() {
        return unary(UnaryOp.LOG, this);
    }

    @Override
    public final Tensor sqrtInPlace() {
        return unary(UnaryOp.SQRT, this);
    }

    @Override
    public final Tensor negInPlace() {
        return unary(UnaryOp.NEG, this);
    }

    private Tensor unary(UnaryOp op, AbstractTensor out) {
        AbstractTensor result = out == null ? newTensor(shape) : out;
        unaryKernel(op, result);
        return result;
    }

    // ---- matmul ---------------------------------------------------------------------------------

    @Override
    public final Tensor matmul(Tensor b) {
        return matmul(b, false, false);
    }

    @Override
    public final Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB) {
        AbstractTensor other = compatible("matmul", b);
        AbstractTensor out = newTensor(matmulShape(other, transposeThis, transposeB));
        matmulKernel(other, transposeThis, transposeB, out);
        return out;
    }

    @Override
    public final Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB, Tensor out) {
        AbstractTensor other = fits(b) ? (AbstractTensor) b : compatible("matmul", b);
        checkMatmul(other, transposeThis, transposeB);
        int m = transposeThis ? shape.dim(1) : shape.dim(0);
        int n = transposeB ? other.shape().dim(0) : other.shape().dim(1);
        boolean ready = fits(out) && out.rank() == 2 && out.shape().dim(0) == m && out.shape().dim(1) == n;
        AbstractTensor result = ready ? (AbstractTensor) out : output("matmul", out, Shape.of(m, n));
        if (result == this || result == other) {
            throw new IllegalArgumentException("matmul: out may not be one of the operands; pass a separate tensor of shape "
                    + Shape.of(m, n));
        }
        matmulKernel(other, transposeThis, transposeB, result);
        return result;
    }

    private Shape matmulShape(AbstractTensor b, boolean ta, boolean tb) {
        checkMatmul(b, ta, tb);
        return Shape.of(ta ? shape.dim(1) : shape.dim(0), tb ? b.shape().dim(0) : b.shape().dim(1));
    }

    /** Checks that {@code op(this) · op(b)} is defined; builds a message only when it is not. */
    private void checkMatmul(AbstractTensor b, boolean ta, boolean tb) {
        Shape bs = b.shape();
        if (shape.rank() != 2 || bs.rank() != 2) {
            throw new ShapeMismatchException("matmul: " + operands(bs, ta, tb)
                    + ": both operands must be 2-D; reshape a vector to [1, n] or [n, 1]");
        }
        int k = ta ? shape.dim(0) : shape.dim(1);
        int kb = tb ? bs.dim(1) : bs.dim(0);
        if (k != kb) {
            throw new ShapeMismatchException("matmul: " + operands(bs, ta, tb) + ": " + k + " != " + kb
                    + ": the left operand's columns must equal the right operand's rows");
        }
    }

    private String operands(Shape bs, boolean ta, boolean tb) {
        return shape + (ta ? "ᵀ" : "") + " x " + bs + (tb ? "ᵀ" : "");
    }

    // ---- reductions -----------------------------------------------------------------------------

    @Override
    public final Tensor sum() {
        return reduceAll(ReduceOp.SUM);
    }

    @Override
    public final Tensor sum(int axis) {
        return reduceAxis(ReduceOp.SUM, "sum", axis, null);
    }

    @Override
    public final Tensor sum(int axis, Tensor out) {
        return reduceAxis(ReduceOp.SUM, "sum", axis, out);
    }

    @Override
    public final Tensor max() {
        requireNonEmpty("max", shape.size());
        return reduceAll(ReduceOp.MAX);
    }

    @Override
    public final Tensor max(int axis) {
        return reduceAxis(ReduceOp.MAX, "max", axis, null);
    }

    @Override
    public final Tensor mean() {
        return reduceAll(ReduceOp.MEAN);
    }

    @Override
    public final Tensor mean(int axis) {
        return reduceAxis(ReduceOp.MEAN, "mean", axis, null);
    }

    @Override
    public final Tensor mean(int axis, Tensor out) {
        return reduceAxis(ReduceOp.MEAN, "mean", axis, out);
    }

    @Override
    public final Tensor argmax(int axis) {
        return reduceAxis(ReduceOp.ARGMAX, "argmax", axis, null);
    }

    private Tensor reduceAll(ReduceOp op) {
        AbstractTensor out = newTensor(Shape.of());
        reduceKernel(op, -1, out);
        return out;
    }

    private Tensor reduceAxis(ReduceOp op, String name, int axis, Tensor out) {
        int a = shape.normalizeAxis(axis, name);
        if ((op == ReduceOp.MAX || op == ReduceOp.ARGMAX) && shape.dim(a) == 0) {
            requireNonEmpty(name + " along axis " + axis, 0);
        }
        if (out != null && fits(out) && isReduced(out.shape(), a)) {
            reduceKernel(op, a, (AbstractTensor) out); // out has a lower rank than this, so it cannot alias it
            return out;
        }
        int[] dims = shape.dims();
        int[] reduced = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != a) {
                reduced[j++] = dims[i];
            }
        }
        Shape expected = Shape.of(reduced);
        // out has a lower rank than this, so it can never alias it.
        AbstractTensor result = out == null ? newTensor(expected) : output(name, out, expected);
        reduceKernel(op, a, result);
        return result;
    }

    /** Whether {@code s} is this shape without {@code axis}. */
    private boolean isReduced(Shape s, int axis) {
        if (s.rank() != shape.rank() - 1) {
            return false;
        }
        for (int i = 0, j = 0; i < shape.rank(); i++) {
            if (i != axis && shape.dim(i) != s.dim(j++)) {
                return false;
            }
        }
        return true;
    }

    private void requireNonEmpty(String name, int length) {
        if (length == 0) {
            throw new ShapeMismatchException(name + ": " + shape + " has no elements to take the maximum of");
        }
    }

    // ---- comparisons ----------------------------------------------------------------------------

    @Override
    public final Tensor gt(double s) {
        return compare(CompareOp.GT, s);
    }

    @Override
    public final Tensor ge(double s) {
        return compare(CompareOp.GE, s);
    }

    @Override
    public final Tensor lt(double s) {
        return compare(CompareOp.LT, s);
    }

    @Override
    public final Tensor le(double s) {
        return compare(CompareOp.LE, s);
    }

    @Override
    public final Tensor eq(double s) {
        return compare(CompareOp.EQ, s);
    }

    @Override
    public final Tensor gt(double s, Tensor out) {
        return compare(CompareOp.GT, s, output("gt", out, shape));
    }

    @Override
    public final Tensor ge(double s, Tensor out) {
        return compare(CompareOp.GE, s, output("ge", out, shape));
    }

    @Override
    public final Tensor lt(double s, Tensor out) {
        return compare(CompareOp.LT, s, output("lt", out, shape));
    }

    @Override
    public final Tensor le(double s, Tensor out) {
        return compare(CompareOp.LE, s, output("le", out, shape));
    }

    @Override
    public final Tensor eq(double s, Tensor out) {
        return compare(CompareOp.EQ, s, output("eq", out, shape));
    }

    @Override
    public final Tensor eq(Tensor b) {
        AbstractTensor other = compatible("eq", b);
        requireSameShape("eq", other);
        AbstractTensor out = newTensor(shape);
        compareKernel(CompareOp.EQ, other, out);
        return out;
    }

    private Tensor compare(CompareOp op, double s) {
        return compare(op, s, newTensor(shape));
    }

    private Tensor compare(CompareOp op, double s, AbstractTensor out) {
        compareKernel(op, s, out);
        return out;
    }

    @Override
    public final Tensor maskedFill(Tensor mask, double value) {
        AbstractTensor m = compatible("maskedFill", mask);
        requireSameShape("maskedFill", m);
        AbstractTensor out = newTensor(shape);
        maskedFillKernel(m, value, out);
        return out;
    }

    @Override
    public final Tensor maskedFill(Tensor mask, double value, Tensor out) {
        AbstractTensor m = compatible("maskedFill", mask);
        requireSameShape("maskedFill", m);
        AbstractTensor result = output("maskedFill", out, shape);
        maskedFillKernel(m, value, result);
        return result;
    }

    @Override
    public final Tensor maskedFillInPlace(Tensor mask, double value) {
        AbstractTensor m = compatible("maskedFillInPlace", mask);
        requireSameShape("maskedFillInPlace", m);
        maskedFillKernel(m, value, this);
        return this;
    }

    // ---- shape ----------------------------------------------------------------------------------

    @Override
    public final Tensor reshape(int... dims) {
        int[] resolved = dims.clone();
        int inferred = -1;
        long known = 1;
        for (int i = 0; i < resolved.length; i++) {
            if (resolved[i] == -1 && inferred < 0) {
                inferred = i;
            } else if (resolved[i] < 0) {
                throw new InvalidShapeException("reshape: " + shape + " -> " + Arrays.toString(dims)
                        + ": dimension " + i + " is " + resolved[i] + "; use sizes >= 0 and at most one -1");
            } else {
                known *= resolved[i];
            }
        }
        if (inferred >= 0) {
            if (known == 0 || shape.size() % known != 0) {
                throw new InvalidShapeException("reshape: " + shape + " -> " + Arrays.toString(dims) + ": "
                        + shape.size() + " elements do not divide into dimensions of " + known);
            }
            resolved[inferred] = (int) (shape.size() / known);
        }
        Shape target = Shape.of(resolved);
        if (target.size() != shape.size()) {
            throw new InvalidShapeException("reshape: " + shape + " -> " + target + ": " + shape.size()
                    + " elements cannot become " + target.size());
        }
        return view(target);
    }

    @Override
    public final Tensor transpose() {
        if (shape.rank() < 2) {
            return copy();
        }
        if (shape.rank() > 2) {
            throw new ShapeMismatchException("transpose: " + shape
                    + ": only 2-D tensors (a vector or scalar is returned as a copy); reshape to 2-D first");
        }
        AbstractTensor out = newTensor(Shape.of(shape.dim(1), shape.dim(0)));
        transposeKernel(out);
        return out;
    }

    @Override
    public final Tensor gatherRows(int[] rows) {
        return gatherRows(rows, null);
    }

    @Override
    public final Tensor gatherRows(int[] rows, Tensor out) {
        if (shape.rank() == 0) {
            throw new ShapeMismatchException("gatherRows: a scalar has no rows; reshape it to [1] first");
        }
        int n = shape.dim(0);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= n) {
                throw new TensorIndexException("gatherRows: row index " + rows[i] + " at position " + i
                        + " is out of range for " + shape + ": rows run 0.." + (n - 1));
            }
        }
        AbstractTensor result = out != null && fits(out) && holdsRows(out.shape(), rows.length) ? (AbstractTensor) out
                : out == null ? newTensor(rowsShape(rows.length)) : output("gatherRows", out, rowsShape(rows.length));
        if (result == this) {
            throw new IllegalArgumentException("gatherRows: out may not be the tensor being gathered from");
        }
        gatherRowsKernel(rows, result);
        return result;
    }

    private Shape rowsShape(int count) {
        int[] dims = shape.dims();
        dims[0] = count;
        return Shape.of(dims);
    }

    /** Whether {@code s} is this shape with {@code count} rows. */
    private boolean holdsRows(Shape s, int count) {
        if (s.rank() != shape.rank() || s.dim(0) != count) {
            return false;
        }
        for (int i = 1; i < shape.rank(); i++) {
            if (s.dim(i) != shape.dim(i)) {
                return false;
            }
        }
        return true;
    }

    // ---- elements and copies --------------------------------------------------------------------

    @Override
    public final double get(int... index) {
        return getFlat(flatIndex("get", index));
    }

    @Override
    public final void set(double value, int... index) {
        setFlat(flatIndex("set", index), value);
    }

    @Override
    public final double item() {
        if (shape.size() != 1) {
            throw new ShapeMismatchException("item: " + shape + " holds " + shape.size()
                    + " elements; item() needs exactly one (use get(index...) for one element of many)");
        }
        return getFlat(0);
    }

    private int flatIndex(String name, int[] index) {
        if (index.length != shape.rank()) {
            throw new TensorIndexException(name + ": index " + Arrays.toString(index) + " has " + index.length
                    + " entries; a tensor of shape " + shape + " needs " + shape.rank());
        }
        int flat = 0;
        for (int axis = 0; axis < index.length; axis++) {
            int dim = shape.dim(axis);
            if (index[axis] < 0 || index[axis] >= dim) {
                throw new TensorIndexException(name + ": index " + Arrays.toString(index) + " is out of range for "
                        + shape + ": axis " + axis + " runs 0.." + (dim - 1));
            }
            flat = flat * dim + index[axis];
        }
        return flat;
    }

    @Override
    public final Tensor copy() {
        AbstractTensor out = newTensor(shape);
        out.copyFrom(this);
        return out;
    }

    @Override
    public final Tensor assign(Tensor source) {
        AbstractTensor src = compatible("assign", source);
        requireSameShape("assign", src);
        if (src != this) {
            copyFrom(src);
        }
        return this;
    }

    @Override
    public final Tensor assign(double[] values) {
        requireLength("assign", values.length);
        writeFrom(values);
        return this;
    }

    @Override
    public final Tensor assign(float[] values) {
        requireLength("assign", values.length);
        writeFrom(values);
        return this;
    }

    private void requireLength(String name, int length) {
        if (length != shape.size()) {
            throw new InvalidShapeException(name + ": " + length + " values for a tensor of shape " + shape
                    + ", which holds " + shape.size());
        }
    }

    @Override
    public final double[] toDoubleArray() {
        double[] out = new double[shape.size()];
        readInto(out);
        return out;
    }

    @Override
    public final float[] toFloatArray() {
        float[] out = new float[shape.size()];
        readInto(out);
        return out;
    }

    // ---- compositions: the reference unless a backend overrides --------------------------------

    @Override
    public Tensor softmax() {
        return ReferenceOps.softmax(this);
    }

    @Override
    public Tensor logSoftmax() {
        return ReferenceOps.logSoftmax(this);
    }

    @Override
    public Tensor sigmoid() {
        return ReferenceOps.sigmoid(this);
    }

    /** The reference composition into {@code out}; a backend that overrides {@link #sigmoid()} should override this too. */
    @Override
    public Tensor sigmoid(Tensor out) {
        return ReferenceOps.sigmoid(this, output("sigmoid", out, shape));
    }

    @Override
    public final double softmaxCrossEntropy(Tensor labels, Tensor probabilities) {
        String name = "softmaxCrossEntropy";
        AbstractTensor t = compatible(name, labels);
        if (!t.shape().equals(shape)) {
            throw new ShapeMismatchException(name + ": scores " + shape + ", labels " + t.shape()
                    + ": the labels must have the scores' shape (one-hot rows; expand class indices first)");
        }
        AbstractTensor p = output(name + " probabilities", probabilities, shape);
        if (p == this || p == t) {
            throw new IllegalArgumentException(name + ": probabilities may not be the scores or the labels;"
                    + " pass a separate tensor of shape " + shape);
        }
        if (shape.rank() == 0 || shape.dim(-1) == 0) {
            throw new ShapeMismatchException(name + ": " + shape + ": needs at least one class along the last axis");
        }
        return shape.size() == 0 ? 0.0 : softmaxCrossEntropyKernel(t, p);
    }

    /**
     * Softmax of each row (the last axis) into {@code probabilities}, returning
     * {@code -Σ t · logSoftmax(this)} over the elements where {@code t != 0}; shapes already checked,
     * at least one element. The default composes {@link ReferenceOps#softmaxCrossEntropy}, allocating
     * temporaries; a backend overrides it with one pass per row.
     *
     * @param labels {@code t}, of this shape
     * @param probabilities the softmax output, of this shape, distinct from {@code this} and {@code labels}
     * @return the cross-entropy summed over every row
     */
    protected double softmaxCrossEntropyKernel(AbstractTensor labels, AbstractTensor probabilities) {
        return ReferenceOps.softmaxCrossEntropy(this, labels, probabilities);
    }

    // ---- checks ---------------------------------------------------------------------------------

    /**
     * Checks that {@code other} comes from this tensor's backend and has its dtype, and returns it as
     * this backend's class.
     *
     * @throws IncompatibleTensorsException naming both backends and dtypes
     * @param operation the operation's name, for the message
     * @param other the operand to check
     * @return {@code other}, as this backend's tensor class
     * @throws NullPointerException if {@code other} is null
     */
    protected final AbstractTensor compatible(String operation, Tensor other) {
        if (other == null) {
            throw new NullPointerException(operation + ": the tensor operand is null");
        }
        String kind = !other.backend().name().equals(backend().name()) ? "backends"
                : other.dtype() != dtype() ? "dtypes"
                : other.getClass() != getClass() ? "backends" : null;
        if (kind != null) {
            throw new IncompatibleTensorsException(operation + ": operands from different " + kind + ": this is "
                    + describeOrigin(this) + ", the other is " + describeOrigin(other)
                    + "; convert one with backend.copyOf(tensor)");
        }
        return (AbstractTensor) other;
    }

    private static String describeOrigin(Tensor t) {
        return t.backend().name() + " " + t.dtype().label() + " " + t.shape();
    }

    private void requireSameShape(String name, AbstractTensor other) {
        if (!other.shape().equals(shape)) {
            throw new ShapeMismatchException(name + ": " + shape + " and " + other.shape()
                    + ": the operands must have the same shape");
        }
    }

    /** Whether {@code other} is a tensor of this class, backend and dtype: the check without a message. */
    private boolean fits(Tensor other) {
        return other != null && other.getClass() == getClass() && other.dtype() == dtype()
                && (other.backend() == backend() || other.backend().name().equals(backend().name()));
    }

    private AbstractTensor output(String name, Tensor out, Shape expected) {
        if (fits(out) && out.shape().equals(expected)) {
            return (AbstractTensor) out;
        }
        AbstractTensor result = compatible(name + " (out)", out);
        if (!result.shape().equals(expected)) {
            throw new ShapeMismatchException(name + ": out has shape " + result.shape() + " but the result has shape "
                    + expected + "; allocate out with that shape");
        }
        return result;
    }

    /** The elements in NumPy's nested-bracket style, e.g. {@code [[1.0, 2.0], [3.0, 4.0]]}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
