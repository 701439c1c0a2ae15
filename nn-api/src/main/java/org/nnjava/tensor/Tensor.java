package org.nnjava.tensor;

/**
 * An N-dimensional, row-major array of {@code float64} or {@code float32} values owned by one
 * {@link Backend}.
 *
 * <h2>Conventions</h2>
 * <ul>
 *   <li>Every method returns a new tensor unless its name ends in {@code InPlace}, which modifies and
 *       returns {@code this}. {@link #reshape} is the exception: it returns a view that shares storage
 *       with {@code this}.</li>
 *   <li>Inside a training step ({@link StepArena}), the new tensors come from memory recycled from the
 *       previous step, so that a step allocates almost nothing; they stay valid until the next step
 *       begins, and using one after that throws {@link RecycledTensorException} (copy it to keep it).
 *       Outside a step every new tensor is the caller's for as long as it is referenced.</li>
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

    /**
     * The backend that created this tensor.
     *
     * @return the backend, whose {@link Backend#dtype()} is this tensor's
     */
    Backend backend();

    /**
     * The element type.
     *
     * @return {@code FLOAT64} or {@code FLOAT32}, fixed for the tensor's life
     */
    DType dtype();

    /**
     * The dimensions.
     *
     * @return the shape, outermost dimension first
     */
    Shape shape();

    /**
     * The number of dimensions.
     *
     * @return {@code shape().rank()}: 0 for a scalar
     */
    default int rank() {
        return shape().rank();
    }

    /**
     * The number of elements.
     *
     * @return {@code shape().size()}: the product of the dimensions, 1 for a scalar
     */
    default int size() {
        return shape().size();
    }

    // ---- elementwise arithmetic with broadcasting (see class comment) ---------------------------

    /**
     * {@code this + b}, elementwise.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return a new tensor of this shape
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor add(Tensor b);

    /**
     * {@code this - b}, elementwise.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return a new tensor of this shape
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor sub(Tensor b);

    /**
     * {@code this * b}, elementwise.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return a new tensor of this shape
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor mul(Tensor b);

    /**
     * {@code this / b}, elementwise.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return a new tensor of this shape
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor div(Tensor b);

    /**
     * {@code this += b}, elementwise: modifies this tensor.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return {@code this}
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor addInPlace(Tensor b);

    /**
     * {@code this -= b}, elementwise: modifies this tensor.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return {@code this}
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor subInPlace(Tensor b);

    /**
     * {@code this *= b}, elementwise: modifies this tensor.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return {@code this}
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor mulInPlace(Tensor b);

    /**
     * {@code this /= b}, elementwise: modifies this tensor.
     *
     * @param b the right operand: this shape, one element, a row vector or a column vector (see the class comment)
     * @return {@code this}
     * @throws ShapeMismatchException if {@code b} has none of the four forms
     */
    Tensor divInPlace(Tensor b);

    /**
     * {@code this += alpha · b} (BLAS's axpy): modifies this tensor. The allocation-free form of an SGD
     * step, {@code W -= lr · dW}.
     *
     * @param b a tensor of this shape (no broadcasting); may be {@code this}
     * @param alpha the factor applied to {@code b}
     * @return {@code this}
     * @throws ShapeMismatchException if {@code b} does not have this shape
     */
    Tensor addScaledInPlace(Tensor b, double alpha);

    // ---- arithmetic with a scalar ---------------------------------------------------------------

    /**
     * {@code this + s}, elementwise.
     *
     * @param s the scalar
     * @return a new tensor of this shape
     */
    Tensor add(double s);

    /**
     * {@code this - s}, elementwise.
     *
     * @param s the scalar
     * @return a new tensor of this shape
     */
    Tensor sub(double s);

    /**
     * {@code this * s}, elementwise.
     *
     * @param s the scalar
     * @return a new tensor of this shape
     */
    Tensor mul(double s);

    /**
     * {@code this / s}, elementwise.
     *
     * @param s the divisor
     * @return a new tensor of this shape
     */
    Tensor div(double s);

    /**
     * {@code s - this}, elementwise.
     *
     * @param s the minuend
     * @return a new tensor of this shape
     */
    Tensor rsub(double s);

    /**
     * {@code s / this}, elementwise.
     *
     * @param s the dividend
     * @return a new tensor of this shape
     */
    Tensor rdiv(double s);

    /**
     * {@code max(this, s)} elementwise, as {@link Math#max(double, double)}: NaN if either operand is NaN.
     *
     * @param s the lower bound (0 for ReLU)
     * @return a new tensor of this shape
     */
    Tensor maximum(double s);

    /**
     * {@code this += s}, elementwise: modifies this tensor.
     *
     * @param s the scalar
     * @return {@code this}
     */
    Tensor addInPlace(double s);

    /**
     * {@code this *= s}, elementwise: modifies this tensor.
     *
     * @param s the scalar
     * @return {@code this}
     */
    Tensor mulInPlace(double s);

    // ---- elementwise functions ------------------------------------------------------------------

    /**
     * {@code e^x} elementwise.
     *
     * @return a new tensor of this shape
     */
    Tensor exp();

    /**
     * Natural logarithm elementwise: {@code log(0) = -inf}, {@code log(x < 0) = NaN}.
     *
     * @return a new tensor of this shape
     */
    Tensor log();

    /**
     * Square root elementwise: {@code sqrt(x < 0) = NaN}.
     *
     * @return a new tensor of this shape
     */
    Tensor sqrt();

    /**
     * {@code -x} elementwise.
     *
     * @return a new tensor of this shape
     */
    Tensor neg();

    // ---- matrix product -------------------------------------------------------------------------

    /**
     * {@code this · b}: the matrix product of a 2-D {@code [m, k]} tensor and a 2-D {@code [k, n]} one.
     *
     * @param b the right factor, {@code [k, n]}
     * @return a new {@code [m, n]} tensor
     * @throws ShapeMismatchException if either operand is not 2-D or the inner dimensions differ
     */
    Tensor matmul(Tensor b);

    /**
     * {@code op(this) · op(b)}, where {@code op} transposes when its flag is set (without copying the
     * operand). With {@code op(this)} of shape {@code [m, k]} and {@code op(b)} of shape {@code [k, n]}.
     *
     * @param b the right factor
     * @param transposeThis whether to use {@code thisᵀ}
     * @param transposeB whether to use {@code bᵀ}
     * @return a new {@code [m, n]} tensor
     * @throws ShapeMismatchException if either operand is not 2-D or the inner dimensions differ
     */
    Tensor matmul(Tensor b, boolean transposeThis, boolean transposeB);

    // ---- reductions -----------------------------------------------------------------------------

    /**
     * The sum of all elements (0 for an empty tensor).
     *
     * @return a new rank-0 tensor
     */
    Tensor sum();

    /**
     * The sums along {@code axis} ({@code [m, n]} along 0 gives {@code [n]}).
     *
     * @param axis the axis to sum over; negative counts from the end
     * @return a new tensor of this shape without {@code axis}
     * @throws TensorIndexException if {@code axis} is out of range
     */
    Tensor sum(int axis);

    /**
     * The largest element (NaN if any is NaN).
     *
     * @return a new rank-0 tensor
     * @throws ShapeMismatchException if this tensor has no elements
     */
    Tensor max();

    /**
     * The maxima along {@code axis} (NaN where a NaN is met).
     *
     * @param axis the axis to reduce; negative counts from the end
     * @return a new tensor of this shape without {@code axis}
     * @throws TensorIndexException if {@code axis} is out of range
     * @throws ShapeMismatchException if the axis has length 0
     */
    Tensor max(int axis);

    /**
     * The mean of all elements (NaN for an empty tensor).
     *
     * @return a new rank-0 tensor
     */
    Tensor mean();

    /**
     * The means along {@code axis}.
     *
     * @param axis the axis to average over; negative counts from the end
     * @return a new tensor of this shape without {@code axis}
     * @throws TensorIndexException if {@code axis} is out of range
     */
    Tensor mean(int axis);

    /**
     * The index of the largest element along {@code axis} (the first one on a tie; the first NaN if
     * there is one, as NumPy), stored as a value of this tensor's dtype.
     *
     * @param axis the axis to search; negative counts from the end
     * @return a new tensor of this shape without {@code axis}, holding indices {@code 0 .. dim(axis) - 1}
     * @throws TensorIndexException if {@code axis} is out of range
     * @throws ShapeMismatchException if the axis has length 0
     */
    Tensor argmax(int axis);

    // ---- comparisons and masks ------------------------------------------------------------------

    /**
     * A mask: 1 where {@code this > s}, else 0 (every comparison with NaN is false).
     *
     * @param s the value compared with
     * @return a new tensor of this shape holding 0 and 1
     */
    Tensor gt(double s);

    /**
     * A mask: 1 where {@code this >= s}, else 0 (every comparison with NaN is false).
     *
     * @param s the value compared with
     * @return a new tensor of this shape holding 0 and 1
     */
    Tensor ge(double s);

    /**
     * A mask: 1 where {@code this < s}, else 0 (every comparison with NaN is false).
     *
     * @param s the value compared with
     * @return a new tensor of this shape holding 0 and 1
     */
    Tensor lt(double s);

    /**
     * A mask: 1 where {@code this <= s}, else 0 (every comparison with NaN is false).
     *
     * @param s the value compared with
     * @return a new tensor of this shape holding 0 and 1
     */
    Tensor le(double s);

    /**
     * A mask: 1 where {@code this == s}, else 0 (every comparison with NaN is false).
     *
     * @param s the value compared with
     * @return a new tensor of this shape holding 0 and 1
     */
    Tensor eq(double s);

    /**
     * A mask: 1 where {@code this == b} elementwise, else 0 (NaN equals nothing).
     *
     * @param b a tensor of this shape (no broadcasting)
     * @return a new tensor of this shape holding 0 and 1
     * @throws ShapeMismatchException if {@code b} does not have this shape
     */
    Tensor eq(Tensor b);

    /**
     * A copy with {@code value} where {@code mask} is non-zero.
     *
     * @param mask a tensor of this shape; non-zero (NaN included) selects an element
     * @param value the value written at the selected elements
     * @return a new tensor of this shape
     * @throws ShapeMismatchException if {@code mask} does not have this shape
     */
    Tensor maskedFill(Tensor mask, double value);

    // ---- shape ----------------------------------------------------------------------------------

    /**
     * A view of the same elements with another shape of the same size. Writes through the view are
     * visible in this tensor and the other way round.
     *
     * @param dims the new dimensions; one may be {@code -1}, inferred from the size
     * @return a tensor of shape {@code dims} sharing this tensor's storage
     * @throws InvalidShapeException if the sizes differ, a dimension is negative (other than one {@code -1}),
     *     or the {@code -1} cannot be inferred
     */
    Tensor reshape(int... dims);

    /**
     * The transpose of a 2-D tensor ({@code [m, n]} gives {@code [n, m]}); a copy for rank 0 and 1.
     *
     * @return a new tensor
     * @throws ShapeMismatchException if the rank is above 2
     */
    Tensor transpose();

    /**
     * The rows (slices along axis 0) at the given indices, in that order; an index may repeat.
     *
     * @param rows indices into axis 0; read, not kept
     * @return a new tensor of this shape with {@code rows.length} as its first dimension
     * @throws TensorIndexException if an index is outside {@code 0 .. dim(0) - 1}
     * @throws ShapeMismatchException if this tensor is a scalar
     */
    Tensor gatherRows(int[] rows);

    /**
     * A new tensor with the axes reordered (NumPy's {@code transpose(axes)}): result axis {@code i} is
     * this tensor's axis {@code axes[i]}, so {@code [N, OH, OW, FN].permute(0, 3, 1, 2)} is
     * {@code [N, FN, OH, OW]}. Elements are copied, not viewed.
     *
     * @param axes a permutation of {@code 0 .. rank - 1}; negative entries count from the end
     * @return a new tensor of shape {@code [dim(axes[0]), dim(axes[1]), ...]}
     * @throws TensorIndexException if an axis is out of range
     * @throws ShapeMismatchException if {@code axes} has not {@code rank} entries or names an axis twice
     */
    Tensor permute(int... axes);

    // ---- convolution (the book's chapter 7.4 im2col / col2im) ----------------------------------

    /**
     * The book's {@code im2col} ({@code common/util.py}): every {@code fh × fw} window of the
     * zero-padded input as one row. With the input {@code [N, C, H, W]},
     * {@code OH = (H + 2·pad − fh) / stride + 1} and {@code OW = (W + 2·pad − fw) / stride + 1} in
     * integers, rounded down as NumPy's {@code //}: cells past the last whole window are not read.
     * {@code out[(n·OH + oh)·OW + ow, (c·fh + i)·fw + j] = x[n, c, oh·stride + i − pad, ow·stride + j − pad]},
     * 0 where that index falls in the padding.
     *
     * @param fh the window's height, {@code >= 1}
     * @param fw the window's width, {@code >= 1}
     * @param stride the step between windows, {@code >= 1}
     * @param pad the zero border added on each side, {@code >= 0}
     * @return a new {@code [N·OH·OW, C·fh·fw]} tensor: rows in (n, oh, ow) order, columns in (c, i, j) order
     * @throws ShapeMismatchException if this tensor is not 4-D or the padded input is smaller than the window
     * @throws IllegalArgumentException if a size is below its bound, or the result would exceed 2³¹ − 1 elements
     */
    Tensor im2col(int fh, int fw, int stride, int pad);

    /**
     * The book's {@code col2im}, the adjoint of {@link #im2col}: each element of this
     * {@code [N·OH·OW, C·fh·fw]} tensor is added to the input cell {@code im2col} read it from, so that
     * overlapping windows sum; values that {@code im2col} read from the padding are dropped.
     * {@code <im2col(x), y> == <x, col2im(y)>} for every {@code x} and {@code y}.
     *
     * @param inputShape the {@code [N, C, H, W]} shape of the image the columns came from
     * @param fh the window's height, {@code >= 1}
     * @param fw the window's width, {@code >= 1}
     * @param stride the step between windows, {@code >= 1}
     * @param pad the padding {@code im2col} added, {@code >= 0}
     * @return a new tensor of {@code inputShape}
     * @throws ShapeMismatchException if {@code inputShape} is not 4-D, the padded input is smaller than the
     *     window, or this tensor is not {@code [N·OH·OW, C·fh·fw]}
     * @throws IllegalArgumentException if a size is below its bound
     */
    Tensor col2im(Shape inputShape, int fh, int fw, int stride, int pad);

    /**
     * Max pooling, the book's {@code Pooling.forward} ({@code common/layers.py}, chapter 7.4.4) in one
     * pass: the largest element of every {@code ph × pw} window of each channel of this
     * {@code [N, C, H, W]} tensor, and where it is. {@code OH = (H + 2·pad − ph) / stride + 1} rounded
     * down, {@code OW} likewise. Padded cells never win (as if they held {@code −∞}); ties go to the first
     * maximum in the window's (row, column) order and a NaN to the first NaN, as NumPy's {@code argmax}
     * (the maximum is then NaN, as NumPy's {@code max}).
     *
     * @param ph the window's height, {@code >= 1}
     * @param pw the window's width, {@code >= 1}
     * @param stride the step between windows, {@code >= 1}
     * @param pad the border on each side, {@code 0 <= pad < min(ph, pw)}, so that every window holds a real cell
     * @return the maxima {@code [N, C, OH, OW]} and their positions {@code row · W + column} in their plane
     * @throws ShapeMismatchException if this tensor is not 4-D or the padded input is smaller than the window
     * @throws IllegalArgumentException if a size is out of its range, or a float32 plane has more than
     *     2²⁴ cells (its positions would not be exact)
     */
    MaxPool maxPool(int ph, int pw, int stride, int pad);

    /**
     * The gradient of {@link #maxPool}, the book's {@code Pooling.backward}: this {@code [N, C, OH, OW]}
     * tensor of upstream gradients, each element added to the input cell its {@code argMax} names in its
     * {@code (n, c)} plane, so that a cell that is the maximum of several windows sums their gradients;
     * every other cell is 0.
     *
     * @param argMax the positions {@link #maxPool} returned, of this tensor's shape, backend and dtype
     * @param inputShape the {@code [N, C, H, W]} shape of the pooled input
     * @return a new tensor of {@code inputShape}
     * @throws ShapeMismatchException if this tensor is not 4-D, {@code argMax} has another shape, or
     *     {@code inputShape} is not {@code [N, C, H, W]} with this tensor's {@code N} and {@code C}
     * @throws TensorIndexException if a position is not an integer in {@code 0 .. H·W − 1}
     * @throws IncompatibleTensorsException if {@code argMax} is of another backend or dtype
     */
    Tensor maxPoolBackward(Tensor argMax, Shape inputShape);

    /**
     * One-hot rows from indices: this {@code [M]} tensor of integral values in {@code 0 .. width − 1}
     * gives {@code [M, width]}, with 1 at {@code [m, this[m]]} and 0 elsewhere. With a column of values it
     * is the book's scatter {@code dmax[np.arange(M), arg_max] = dout}:
     * {@code argMax.oneHot(width).mul(dout.reshape(M, 1))}.
     *
     * @param width the number of columns, {@code >= 1}
     * @return a new {@code [M, width]} tensor holding 0 and 1
     * @throws ShapeMismatchException if this tensor is not 1-D
     * @throws IllegalArgumentException if {@code width < 1}
     * @throws TensorIndexException if a value is not an integer in {@code 0 .. width − 1} (NaN included)
     */
    Tensor oneHot(int width);

    // ---- elements and copies --------------------------------------------------------------------

    /**
     * The element at an index.
     *
     * @param index one entry per dimension, each within its dimension
     * @return the element, widened to double
     * @throws TensorIndexException if the index has the wrong length or an entry is out of range
     */
    double get(int... index);

    /**
     * Writes one element: modifies this tensor.
     *
     * @param value the value, rounded to float for a float32 tensor
     * @param index one entry per dimension, each within its dimension
     * @throws TensorIndexException if the index has the wrong length or an entry is out of range
     */
    void set(double value, int... index);

    /**
     * The value of a one-element tensor (any rank).
     *
     * @return the element, widened to double
     * @throws ShapeMismatchException if the tensor does not hold exactly one element
     */
    double item();

    /**
     * A deep copy: same backend, dtype, shape and elements, its own storage.
     *
     * @return a new tensor
     */
    Tensor copy();

    /**
     * Copies {@code source}'s elements into this tensor: modifies this tensor.
     *
     * @param source a tensor of this shape, backend and dtype
     * @return {@code this}
     * @throws ShapeMismatchException if {@code source} has another shape
     */
    Tensor assign(Tensor source);

    /**
     * Copies {@code values} into this tensor: modifies this tensor (float32 tensors round each value).
     *
     * @param values the elements, row-major, {@link #size()} of them; not kept
     * @return {@code this}
     * @throws InvalidShapeException if the length is not {@link #size()}
     */
    Tensor assign(double[] values);

    /**
     * Copies {@code values} into this tensor: modifies this tensor.
     *
     * @param values the elements, row-major, {@link #size()} of them; not kept
     * @return {@code this}
     * @throws InvalidShapeException if the length is not {@link #size()}
     */
    Tensor assign(float[] values);

    /**
     * The elements, row-major.
     *
     * @return a new array of {@link #size()} values
     */
    double[] toDoubleArray();

    /**
     * The elements, row-major (float64 values are rounded to the nearest float).
     *
     * @return a new array of {@link #size()} values
     */
    float[] toFloatArray();

    // ---- compositions (reference implementations in ReferenceOps; a backend may override) --------

    /**
     * Softmax along the last axis: {@code y_i = exp(x_i - max x) / Σ_j exp(x_j - max x)}.
     *
     * @return a new tensor of this shape whose rows sum to 1
     */
    Tensor softmax();

    /**
     * Log-softmax along the last axis: {@code x_i - max x - log Σ_j exp(x_j - max x)}.
     *
     * @return a new tensor of this shape
     */
    Tensor logSoftmax();

    /**
     * The logistic function elementwise: {@code 1 / (1 + exp(-x))}, exactly 0 or 1 where it saturates.
     *
     * @return a new tensor of this shape
     */
    Tensor sigmoid();

    /**
     * Softmax with the cross-entropy error, fused (the forward pass of the book's chapter 5.6.3
     * {@code SoftmaxWithLoss}, before averaging): {@code y = softmax(this)} and
     * {@code -Σ t · logSoftmax(this)} summed over every element, where the terms with {@code t == 0} are
     * skipped (so a probability that underflowed to 0 adds nothing rather than {@code 0 · -inf = NaN}).
     * A backend may compute both in one pass per row.
     *
     * @param labels {@code t}, in this tensor's shape (one-hot rows, or any distributions)
     * @return the probabilities (a new tensor of this shape) and the summed cross-entropy (divide by the
     *     number of rows for the book's mean)
     * @throws ShapeMismatchException if {@code labels} has another shape or the last axis is empty
     */
    SoftmaxCrossEntropy softmaxCrossEntropy(Tensor labels);
}
