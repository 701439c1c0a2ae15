package org.nnjava.tensor;

/**
 * An N-dimensional, row-major array of {@code float64} or {@code float32} values owned by one
 * {@link Backend}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every method returns a new tensor unless its name ends in {@code InPlace} (which modifies and
 *       returns {@code this}) or it takes an {@code out} tensor (which it overwrites and returns).
 *       {@link #reshape} is the exception: it returns a view that shares storage with {@code this}.</li>
 *   <li>Every elementwise operation has an {@code out} form, for code that reuses its buffers rather
 *       than allocating (a layer's workspace): {@code out} must come from the same backend and dtype
 *       and have the result's shape, else {@link IncompatibleTensorsException} or
 *       {@link ShapeMismatchException}; it may be {@code this} or an operand of the same shape (each
 *       element is read before it is written).</li>
 *   <li>Operands must come from the same backend and have the same dtype, else
 *       {@link IncompatibleTensorsException}.</li>
 *   <li>Elementwise binary operations take the right operand {@code b} in one of four forms, and the
 *       result has the left operand's shape: the same shape; one element (a scalar, any rank up to the
 *       left's); a row vector {@code [n]} or {@code [1, n]} where {@code n} is the left's last dimension
 *       (added to every row, as a bias); a column vector {@code [m, 1]} against a 2-D {@code [m, n]}
 *       left operand (applied to every column). Anything else is a {@link ShapeMismatchException}.</li>
 *   <li>Axes may be negative, counting from the end. Arithmetic follows IEEE 754: NaN and infinities
 *       propagate, nothing is clamped.</li>
 * </ul>
 */
public interface Tensor {

    // ---- identity -------------------------------------------------------------------------------

    /** The backend that created this tensor. */
    Backend backend();

    /** The element type. */
    DType dtype();

    /** The dimensions. */
    Shape shape();

    /** The number of dimensions. */
    default int rank() {
        return shape().rank();
    }

    /** The number of elements. */
    default int size() {
        return shape().size();
    }

    // ---- elementwise arithmetic with broadcasting (see class comment) ---------------------------

    /** {@code this + b}. */
    Tensor add(Tensor b);

    /** {@code this - b}. */
    Tensor sub(Tensor b);

    /** {@code this * b}, elementwise. */
    Tensor mul(Tensor b);

    /** {@code this / b}, elementwise. */
    Tensor div(Tensor b);

    /** {@code out = this + b}; returns {@code out}. */
    Tensor add(Tensor b, Tensor out);

    /** {@code out = this - b}; returns {@code out}. */
    Tensor sub(Tensor b, Tensor out);

    /** {@code out = this * b}, elementwise; returns {@code out}. */
    Tensor mul(Tensor b, Tensor out);

    /** {@code out = this / b}, elementwise; returns {@code out}. */
    Tensor div(Tensor b, Tensor out);

    /** {@code this += b}; returns {@code this}. */
    Tensor addInPlace(Tensor b);

    /** {@code this -= b}; returns {@code this}. */
    Tensor subInPlace(Tensor b);

    /** {@code this *= b}, elementwise; returns {@code this}. */
    Tensor mulInPlace(Tensor b);

    /** {@code this /= b}, elementwise; returns {@code this}. */
    Tensor divInPlace(Tensor b);

    /**
     * {@code this += alpha · b} for {@code b} of this tensor's shape (BLAS's axpy); returns {@code this}.
     * The allocation-free form of an SGD step, {@code W -= lr · dW}.
     */
    Tensor addScaledInPlace(Tensor b, double alpha);

    // ---- arithmetic with a scalar ---------------------------------------------------------------

    /** {@code this + s}. */
    Tensor add(double s);

    /** {@code this - s}. */
    Tensor sub(double s);

    /** {@code this * s}. */
    Tensor mul(double s);

    /** {@code this / s}. */
    Tensor div(double s);

    /** {@code s - this}. */
    Tensor rsub(double s);

    /** {@code s / this}. */
    Tensor rdiv(double s);

    /** {@code max(this, s)} elementwise, as {@link Math#max(double, double)}: NaN if either operand is NaN. */
    Tensor maximum(double s);

    /** {@code out = this + s}; returns {@code out}. */
    Tensor add(double s, Tensor out);

    /** {@code out = this * s}; returns {@code out}. */
    Tensor mul(double s, Tensor out);

    /** {@code out = this - s}; returns {@code out}. */
    Tensor sub(double s, Tensor out);

    /** {@code out = this / s}; returns {@code out}. */
    Tensor div(double s, Tensor out);

    /** {@code out = s - this}; returns {@code out}. */
    Tensor rsub(double s, Tensor out);

    /** {@code out = s / this}; returns {@code out}. */
    Tensor rdiv(double s, Tensor out);

    /** {@code out = max(this, s)} elementwise; returns {@code out}. */
    Tensor maximum(double s, Tensor out);

    /** {@code this += s}; returns {@code this}. */
    Tensor addInPlace(double s);

    /** {@code this *= s}; returns {@code this}. */
    Tensor mulInPlace(double s);

    /** {@code this = max(this, s)}; returns {@code this}. */
    Tensor maximumInPlace(double s);

    // ---- elementwise functions ------------------------------------------------------------------

    /** {@code e^x} elementwise. */
    Tensor exp();

    /** Natural logarithm elementwise: {@code log(0) = -inf}, {@code log(x < 0) = NaN}. */
    Tensor log();

    /** Square root elementwise: {@code sqrt(x < 0) = NaN}. */
    Tensor sqrt();

    /** {@code -x} elementwise. */
    Tensor neg();

    /** {@code out = e^x} elementwise; returns {@code out}. */
    Tensor exp(Tensor out);

    /** {@code out = log(x)} elementwise; returns {@code out}. */
    Tensor log(Tensor out);

    /** {@code out = sqrt(x)} elementwise; returns {@code out}. */
    Tensor sqrt(Tensor out);

    /** {@code out = -x} elementwise; returns {@code out}. */
    Tensor neg(Tensor out);

    /** {@code e^x} in place; returns {@code this}. */
    Tensor expInPlace();

    /** {@code log(x)} in place; returns {@code this}. */
    Tensor logInPlace();

    /** {@code sqrt(x)} in place; returns {@code this}. */
    Tensor sqrtInPlace();

    /** {@code -x} in place; returns {@code this}. */
    Tensor negInPlace();

    // ---- matrix product -------------------------------------------------------------------------

    /** {@code this · b} for 2-D {@code [m, k]} and {@code [k, n]}, giving {@code [m, n]}. */
    Tensor matmul(Tensor b);

    /**
     * {@code op(this) · op(b)}, where {@code op} transposes when its flag is set. Both operands must be
     * 2-D and the inner dimensions of the (transposed) operands must agree.
     */
    Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB);

    /**
     * {@code out = op(this) · op(b)}, written into a preallocated {@code out} of the result's shape,
     * which may not be {@code this} or {@code b}. Returns {@code out}.
     */
    Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB, Tensor out);

    // ---- reductions -----------------------------------------------------------------------------

    /** The sum of all elements, as a rank-0 tensor. */
    Tensor sum();

    /** The sums along {@code axis}; the result drops that axis ({@code [m, n]} along 0 gives {@code [n]}). */
    Tensor sum(int axis);

    /** {@link #sum(int)} written into a preallocated {@code out}; returns {@code out}. */
    Tensor sum(int axis, Tensor out);

    /** The largest element (NaN if any is NaN), as a rank-0 tensor. Undefined for an empty tensor. */
    Tensor max();

    /** The maxima along {@code axis} (NaN where a NaN is met); the result drops that axis. */
    Tensor max(int axis);

    /** The mean of all elements, as a rank-0 tensor. */
    Tensor mean();

    /** The means along {@code axis}; the result drops that axis. */
    Tensor mean(int axis);

    /** {@link #mean(int)} written into a preallocated {@code out}; returns {@code out}. */
    Tensor mean(int axis, Tensor out);

    /**
     * The index of the largest element along {@code axis} (the first one on a tie; the first NaN if
     * there is one, as NumPy), stored as a value of this tensor's dtype; the result drops that axis.
     */
    Tensor argmax(int axis);

    // ---- comparisons and masks ------------------------------------------------------------------

    /** A mask: 1 where {@code this > s}, else 0 (NaN compares false). */
    Tensor gt(double s);

    /** A mask: 1 where {@code this >= s}, else 0. */
    Tensor ge(double s);

    /** A mask: 1 where {@code this < s}, else 0. */
    Tensor lt(double s);

    /** A mask: 1 where {@code this <= s}, else 0. */
    Tensor le(double s);

    /** A mask: 1 where {@code this == s}, else 0. */
    Tensor eq(double s);

    /** {@code out = (this > s) ? 1 : 0}, into a preallocated {@code out}; returns {@code out}. */
    Tensor gt(double s, Tensor out);

    /** {@code out = (this >= s) ? 1 : 0}, into a preallocated {@code out}; returns {@code out}. */
    Tensor ge(double s, Tensor out);

    /** {@code out = (this < s) ? 1 : 0}, into a preallocated {@code out}; returns {@code out}. */
    Tensor lt(double s, Tensor out);

    /** {@code out = (this <= s) ? 1 : 0}, into a preallocated {@code out}; returns {@code out}. */
    Tensor le(double s, Tensor out);

    /** {@code out = (this == s) ? 1 : 0}, into a preallocated {@code out}; returns {@code out}. */
    Tensor eq(double s, Tensor out);

    /** A mask: 1 where {@code this == b} elementwise (same shape), else 0. */
    Tensor eq(Tensor b);

    /** A copy with {@code value} where {@code mask} (same shape) is non-zero. */
    Tensor maskedFill(Tensor mask, double value);

    /** {@code out = mask != 0 ? value : this}, elementwise (same shapes); returns {@code out}. */
    Tensor maskedFill(Tensor mask, double value, Tensor out);

    /** Writes {@code value} where {@code mask} (same shape) is non-zero; returns {@code this}. */
    Tensor maskedFillInPlace(Tensor mask, double value);

    // ---- shape ----------------------------------------------------------------------------------

    /**
     * A view of the same elements with another shape of the same size; one dimension may be
     * {@code -1} and is then inferred. Writes through the view are visible in this tensor.
     */
    Tensor reshape(int... dims);

    /** The transpose of a 2-D tensor, as a new tensor ({@code [m, n]} gives {@code [n, m]}). */
    Tensor transpose();

    /** The rows (slices along axis 0) at the given indices, in that order, as a new tensor. */
    Tensor gatherRows(int[] rows);

    /** {@link #gatherRows(int[])} written into a preallocated {@code out}; returns {@code out}. */
    Tensor gatherRows(int[] rows, Tensor out);

    // ---- elements and copies --------------------------------------------------------------------

    /** The element at an index with one entry per dimension. */
    double get(int... index);

    /** Writes one element; the index has one entry per dimension. */
    void set(double value, int... index);

    /** The value of a one-element tensor (any rank). */
    double item();

    /** A deep copy. */
    Tensor copy();

    /** Copies {@code source}'s elements (same shape) into this tensor; returns {@code this}. */
    Tensor assign(Tensor source);

    /** Copies {@code values} (row-major, length {@link #size()}) into this tensor; returns {@code this}. */
    Tensor assign(double[] values);

    /** Copies {@code values} (row-major, length {@link #size()}) into this tensor; returns {@code this}. */
    Tensor assign(float[] values);

    /** The elements, row-major, as a new {@code double[]}. */
    double[] toDoubleArray();

    /** The elements, row-major, as a new {@code float[]} (float64 values are rounded). */
    float[] toFloatArray();

    // ---- compositions (reference implementations in ReferenceOps; a backend may override) --------

    /** Softmax along the last axis: {@code y_i = exp(x_i - max x) / Σ_j exp(x_j - max x)}. */
    Tensor softmax();

    /** Log-softmax along the last axis: {@code x_i - max x - log Σ_j exp(x_j - max x)}. */
    Tensor logSoftmax();

    /** The logistic function elementwise: {@code 1 / (1 + exp(-x))}. */
    Tensor sigmoid();

    /** {@link #sigmoid()} written into a preallocated {@code out} (which may be {@code this}); returns {@code out}. */
    Tensor sigmoid(Tensor out);

    /**
     * Softmax with the cross-entropy error, fused (the forward pass of the book's chapter 5.6.3
     * {@code SoftmaxWithLoss}, before averaging): writes {@link #softmax()} of this tensor into
     * {@code probabilities} and returns {@code -Σ t · logSoftmax(this)} summed over every element, where
     * the terms with {@code t == 0} are skipped (so a probability that underflowed to 0 adds nothing
     * rather than {@code 0 · -inf = NaN}).
     *
     * @param labels {@code t}, in this tensor's shape (one-hot rows, or any distributions)
     * @param probabilities a preallocated tensor of this shape, distinct from {@code this} and {@code labels}
     * @return the summed cross-entropy (divide by the number of rows for the book's mean)
     */
    double softmaxCrossEntropy(Tensor labels, Tensor probabilities);
}
