package org.nnjava.spi;

import java.util.Arrays;
import org.nnjava.internal.ArenaPool;
import org.nnjava.internal.TensorFormat;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.IncompatibleTensorsException;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.MaxPool;
import org.nnjava.tensor.ReferenceOps;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.SoftmaxCrossEntropy;
import org.nnjava.tensor.Tensor;
import org.nnjava.tensor.TensorIndexException;

/**
 * The base of every backend's tensor. It owns the shape, validates every argument and allocates the
 * results, so that all backends accept and reject exactly the same calls with the same messages; the
 * backend supplies only the kernels below, which are called with operands already checked.
 *
 * <p>Results come from {@link #newResult}: a new tensor ({@link #newTensor}) outside a training step,
 * and inside one ({@link org.nnjava.tensor.StepArena}) a new tensor object on storage recycled from the
 * previous step ({@link #view} of that storage with its own shape, which a backend must therefore make
 * cheaply: no copy, no native call). Every public method first checks that this tensor and its tensor
 * operands have not been recycled. A kernel's {@code out} may thus hold stale values: every kernel
 * overwrites every element of {@code out}.
 *
 * <p>Kernel contract: operands are of this class's backend and dtype; {@code out} has the result's
 * shape. Elementwise kernels ({@code binary}, {@code scalar}, {@code unary}, {@code compare},
 * {@code maskedFill}) must work when {@code out} is {@code this} or is {@code b} (the in-place forms);
 * {@code softmaxCrossEntropy} gets a {@code probabilities} distinct from both. {@code matmul},
 * {@code reduce}, {@code transpose}, {@code gatherRows}, {@code softmax}, {@code permute},
 * {@code im2col}, {@code col2im}, {@code maxPool}, {@code maxPoolBackward} and {@code oneHot} never get
 * an {@code out} that aliases an input.
 *
 * <p>Kernels with a default ({@code im2col}, {@code col2im}, {@code permute}, {@code maxPool},
 * {@code maxPoolBackward}, {@code oneHot},
 * {@code addScaled}, {@code fill}, {@code softmax}) are written once here, in plain Java over
 * {@code double[]} arrays or the abstract kernels, correct on every backend and dtype; a backend
 * overrides one only where it measured a faster kernel, and the conformance kit holds the override to
 * the same oracle.
 */
public abstract class AbstractTensor implements Tensor {

    private static final Shape SCALAR = Shape.of();

    private final Shape shape;
    /** The step this tensor was made in, if it came from a step arena; {@code null} if the caller owns it. */
    private ArenaPool.Lease lease;

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
     * A new zero-filled tensor of this backend and dtype, with storage of its own (never recycled).
     *
     * @param shape the dimensions of the new tensor
     * @return a new tensor of this class, backend and dtype, its elements all 0
     */
    protected abstract AbstractTensor newTensor(Shape shape);

    /**
     * A tensor of another shape (same size) sharing this tensor's storage. With this tensor's own shape
     * it is how a step arena hands out recycled storage, once per result: make that case cheap.
     *
     * @param shape a shape of this tensor's size
     * @return a new tensor object whose elements are this tensor's: writes to either are seen by both
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
        AbstractTensor scaled = newResult(shape);
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


    /**
     * Writes {@code value} into every element. The default goes through {@link #setFlat}; it is used only
     * when a backend factory ({@code zeros}, {@code full}) is served from a step arena.
     *
     * @param value the value; a float32 tensor rounds it
     */
    protected void fillKernel(double value) {
        int n = shape.size();
        for (int i = 0; i < n; i++) {
            setFlat(i, value);
        }
    }

    /**
     * Softmax ({@code log} false) or log-softmax of each row (the last axis) into {@code out}; at least
     * one element, last axis not empty. The default copies {@link ReferenceOps}' composition in; a
     * backend overrides it with one pass per row.
     *
     * @param log whether to compute log-softmax
     * @param out a tensor of this shape, not {@code this}; every element is overwritten
     */
    protected void softmaxKernel(boolean log, AbstractTensor out) {
        Tensor reference = log ? ReferenceOps.logSoftmax(this) : ReferenceOps.softmax(this);
        out.copyFrom((AbstractTensor) reference);
    }

    // ---- kernels with a default in plain Java (a backend may override them with faster ones) ----

    /**
     * {@code out = im2col(this)} for a 4-D {@code [N, C, H, W]} tensor; arguments already checked.
     * {@code out[(n·OH + oh)·OW + ow, (c·fh + i)·fw + j] = this[n, c, oh·stride + i − pad, ow·stride + j − pad]},
     * 0 in the padding. The default copies through {@code double[]} arrays ({@link #readInto},
     * {@link #writeFrom}), so it is exact in both dtypes; a backend overrides it to skip the copies.
     *
     * @param fh the window's height
     * @param fw the window's width
     * @param stride the step between windows
     * @param pad the zero border on each side
     * @param out the {@code [N·OH·OW, C·fh·fw]} result, not {@code this}; every element is overwritten
     */
    protected void im2colKernel(int fh, int fw, int stride, int pad, AbstractTensor out) {
        int[] d = shape.dims();
        double[] x = new double[shape.size()];
        readInto(x);
        double[] col = new double[out.shape().size()]; // zeros: the padding
        windows(x, col, true, d, fh, fw, stride, pad);
        out.writeFrom(col);
    }

    /**
     * {@code out = col2im(this)}: this is {@code [N·OH·OW, C·fh·fw]}, {@code out} has the
     * {@code [N, C, H, W]} input shape; arguments already checked. Each element is added to the input cell
     * {@link #im2colKernel} read it from; elements from the padding are dropped. The default sums in
     * {@code double} and rounds once on the write.
     *
     * @param fh the window's height
     * @param fw the window's width
     * @param stride the step between windows
     * @param pad the padding im2col added
     * @param out the image-shaped result, not {@code this}; every element is overwritten
     */
    protected void col2imKernel(int fh, int fw, int stride, int pad, AbstractTensor out) {
        int[] d = out.shape().dims();
        double[] col = new double[shape.size()];
        readInto(col);
        double[] x = new double[out.shape().size()];
        windows(x, col, false, d, fh, fw, stride, pad);
        out.writeFrom(x);
    }

    /**
     * The one walk im2col and col2im share: every window element in the column matrix's order
     * ({@code n, oh, ow} rows; {@code c, i, j} columns), paired with its image cell, cells in the padding
     * skipped. {@code gather}: {@code col[k] = image[cell]} (im2col); else {@code image[cell] += col[k]}
     * (col2im, the adjoint).
     */
    private static void windows(double[] image, double[] col, boolean gather, int[] imageDims, int fh, int fw,
            int stride, int pad) {
        int n = imageDims[0], c = imageDims[1], h = imageDims[2], w = imageDims[3];
        int oh = outputSize(h, fh, stride, pad), ow = outputSize(w, fw, stride, pad);
        int k = 0;
        for (int img = 0; img < n; img++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    for (int ch = 0; ch < c; ch++) {
                        int plane = (img * c + ch) * h;
                        for (int i = 0; i < fh; i++) {
                            int row = y * stride + i - pad;
                            for (int j = 0; j < fw; j++, k++) {
                                int column = xo * stride + j - pad;
                                if (row < 0 || row >= h || column < 0 || column >= w) {
                                    continue; // padding: zero in the columns, dropped on the way back
                                }
                                int cell = (plane + row) * w + column;
                                if (gather) {
                                    col[k] = image[cell];
                                } else {
                                    image[cell] += col[k];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code out = this} with its axes reordered: {@code out[i_0, ..., i_{r-1}] = this[j]} where
     * {@code j[axes[k]] = i_k}; {@code axes} already checked to be a permutation of {@code 0 .. rank − 1}.
     * The default copies through {@code double[]} arrays.
     *
     * @param axes result axis {@code k} is this tensor's axis {@code axes[k]}; read, not kept
     * @param out a tensor of the permuted shape, not {@code this}; every element is overwritten
     */
    protected void permuteKernel(int[] axes, AbstractTensor out) {
        int rank = axes.length;
        int[] dims = shape.dims();
        int[] strides = new int[rank]; // this tensor's row-major strides
        for (int a = rank - 1, s = 1; a >= 0; s *= dims[a], a--) {
            strides[a] = s;
        }
        int[] outDims = new int[rank];
        int[] step = new int[rank]; // the source stride of each result axis
        for (int k = 0; k < rank; k++) {
            outDims[k] = dims[axes[k]];
            step[k] = strides[axes[k]];
        }
        double[] src = new double[shape.size()];
        readInto(src);
        double[] dst = new double[src.length];
        int[] index = new int[rank];
        int from = 0;
        for (int i = 0; i < dst.length; i++) {
            dst[i] = src[from];
            for (int k = rank - 1; k >= 0; k--) { // the odometer, last axis fastest
                from += step[k];
                if (++index[k] < outDims[k]) {
                    break;
                }
                from -= step[k] * outDims[k];
                index[k] = 0;
            }
        }
        out.writeFrom(dst);
    }

    /**
     * For a permutation that moves whole blocks of adjacent axes, the batch of 2-D transposes it is:
     * {@code {batch, rows, cols}} such that, with this tensor viewed as {@code [batch, rows, cols]}, the
     * result is {@code [batch, cols, rows]} with {@code out[b, j, i] = this[b, i, j]}; or {@code null} when
     * the permutation is no such batch. Axes of length 1 are ignored and axes that stay adjacent and in
     * order are merged, so {@code (0, 3, 1, 2)} of {@code [N, OH, OW, FN]} is {@code {N, OH·OW, FN}} and
     * {@code (0, 2, 3, 1)} of {@code [N, FN, OH, OW]} is {@code {N, FN, OH·OW}} (the convolution layer's
     * two); the identity is {@code {1, 1, size}}, a copy. For a backend's fast {@link #permuteKernel}.
     *
     * @param dims this tensor's dimensions
     * @param axes a checked permutation of {@code 0 .. dims.length − 1}
     * @return {@code {batch, rows, cols}}, or {@code null}
     */
    protected static int[] transposePlan(int[] dims, int[] axes) {
        int rank = axes.length;
        int[] order = new int[rank]; // each axis of length > 1 numbered in input order
        int kept = 0;
        int total = 1;
        for (int a = 0; a < rank; a++) {
            total *= dims[a];
            if (dims[a] != 1) {
                order[a] = kept++;
            }
        }
        // groups: runs of result axes that are consecutive input axes; at most three fit a batched transpose
        int[] first = new int[3];
        int[] size = new int[3];
        int groups = 0;
        int previous = -2;
        for (int k = 0; k < rank; k++) {
            int a = axes[k];
            if (dims[a] == 1) {
                continue;
            }
            if (order[a] == previous + 1) {
                size[groups - 1] *= dims[a];
            } else {
                if (groups == 3) {
                    return null;
                }
                first[groups] = order[a];
                size[groups++] = dims[a];
            }
            previous = order[a];
        }
        if (groups <= 1) {
            return new int[] {1, 1, total};
        }
        if (groups == 2 && first[0] > first[1]) {
            return new int[] {1, size[1], size[0]};
        }
        if (groups == 3 && first[0] < first[2] && first[2] < first[1]) {
            return new int[] {size[0], size[2], size[1]};
        }
        return null;
    }

    /**
     * {@code max} and {@code argMax} of {@link Tensor#maxPool} for this 4-D tensor, arguments already
     * checked ({@code pad < min(ph, pw)}). The default reads the elements into a {@code double[]}
     * and walks each window in (row, column) order over its real cells: the first maximum wins, a NaN
     * wins over any number and the first NaN over later ones.
     *
     * @param ph the window's height
     * @param pw the window's width
     * @param stride the step between windows
     * @param pad the border on each side, smaller than each window side
     * @param max the {@code [N, C, OH, OW]} maxima, every element overwritten
     * @param argMax the same shape: each maximum's {@code row · W + column} in its plane, every element overwritten
     */
    protected void maxPoolKernel(int ph, int pw, int stride, int pad, AbstractTensor max, AbstractTensor argMax) {
        int[] d = shape.dims();
        int h = d[2], w = d[3];
        int oh = outputSize(h, ph, stride, pad), ow = outputSize(w, pw, stride, pad);
        double[] x = new double[shape.size()];
        readInto(x);
        double[] best = new double[max.shape().size()];
        double[] where = new double[best.length];
        int k = 0;
        for (int p = 0; p < d[0] * d[1]; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++, k++) {
                    int at = -1;
                    double m = 0;
                    for (int i = 0; i < ph; i++) {
                        int row = y * stride + i - pad;
                        for (int j = 0; j < pw; j++) {
                            int column = xo * stride + j - pad;
                            if (row < 0 || row >= h || column < 0 || column >= w) {
                                continue; // padding never wins
                            }
                            double v = x[base + row * w + column];
                            if (at < 0 || v > m || (Double.isNaN(v) && !Double.isNaN(m))) {
                                m = v;
                                at = row * w + column;
                            }
                        }
                    }
                    best[k] = m;
                    where[k] = at;
                }
            }
        }
        max.writeFrom(best);
        argMax.writeFrom(where);
    }

    /**
     * {@code out = maxPoolBackward(this, argMax)}: {@code out} zeroed, then each element of this
     * {@code [N, C, OH, OW]} tensor added at {@code out[n, c, argMax / W, argMax % W]}; shapes already
     * checked, positions not: the kernel checks each one before use and returns the flat index of the
     * first one that is not an integer in {@code 0 .. H·W − 1} (the caller then throws, and {@code out}
     * is discarded), or -1. The default sums in {@code double} and rounds once on the write.
     *
     * @param argMax the positions, of this shape
     * @param out the {@code [N, C, H, W]} result, every element overwritten
     * @return -1, or the flat index into {@code argMax} of the first bad position
     */
    protected int maxPoolBackwardKernel(AbstractTensor argMax, AbstractTensor out) {
        int plane = out.shape().dim(2) * out.shape().dim(3);
        int outPlane = shape.dim(2) * shape.dim(3);
        double[] dout = new double[shape.size()];
        double[] where = new double[dout.length];
        readInto(dout);
        argMax.readInto(where);
        double[] dx = new double[out.shape().size()];
        for (int k = 0; k < dout.length; k++) {
            double v = where[k];
            int at = (int) v;
            if (at != v || at < 0 || at >= plane) { // NaN casts to 0 and fails the first test
                return k;
            }
            dx[k / outPlane * plane + at] += dout[k];
        }
        out.writeFrom(dx);
        return -1;
    }

    /**
     * {@code out[m, indices[m]] = 1}, 0 elsewhere; indices already checked to be in {@code 0 .. width − 1}.
     *
     * @param indices one column per row of {@code out}; read, not kept
     * @param width the number of columns of {@code out}
     * @param out the {@code [indices.length, width]} result, not {@code this}; every element is overwritten
     */
    protected void oneHotKernel(int[] indices, int width, AbstractTensor out) {
        double[] rows = new double[indices.length * width];
        for (int m = 0; m < indices.length; m++) {
            rows[m * width + indices[m]] = 1;
        }
        out.writeFrom(rows);
    }

    /**
     * The number of window positions along one axis: {@code (in + 2·pad − window) / stride + 1}, rounded
     * down as NumPy's {@code //} (callers have checked {@code in + 2·pad >= window}).
     *
     * @param in the input's length along the axis
     * @param window the window's length
     * @param stride the step between windows
     * @param pad the border on each side
     * @return the output's length along the axis
     */
    protected static int outputSize(int in, int window, int stride, int pad) {
        return (in + 2 * pad - window) / stride + 1;
    }

    // ---- results and their lifetimes ------------------------------------------------------------

    /**
     * A tensor of this backend for an operation's result: from the step arena open on this thread, or
     * new outside a step. Its elements are unspecified: the kernel writing it must overwrite them all.
     *
     * @param shape the result's shape
     * @return a tensor of this class, backend and dtype with that shape
     */
    protected final AbstractTensor newResult(Shape shape) {
        ArenaPool pool = ArenaPool.current();
        if (pool == null) {
            return newTensor(shape);
        }
        AbstractTensor storage = pool.take(backend(), shape);
        return leased(pool, storage != null ? storage : kept(pool, newTensor(shape)));
    }

    private AbstractTensor newResult(int rows, int cols) {
        ArenaPool pool = ArenaPool.current();
        if (pool == null) {
            return newTensor(Shape.of(rows, cols));
        }
        AbstractTensor storage = pool.take(backend(), rows, cols);
        return leased(pool, storage != null ? storage : kept(pool, newTensor(Shape.of(rows, cols))));
    }

    /** A result of this shape without {@code axis}, or with {@code rows} rows when {@code axis} is -1. */
    private AbstractTensor newDerived(int axis, int rows) {
        ArenaPool pool = ArenaPool.current();
        if (pool != null) {
            AbstractTensor storage = pool.takeDerived(backend(), shape, axis, rows);
            if (storage != null) {
                return leased(pool, storage);
            }
        }
        int[] dims = shape.dims();
        Shape derived;
        if (axis < 0) {
            dims[0] = rows;
            derived = Shape.of(dims);
        } else {
            int[] reduced = new int[dims.length - 1];
            for (int i = 0, j = 0; i < dims.length; i++) {
                if (i != axis) {
                    reduced[j++] = dims[i];
                }
            }
            derived = Shape.of(reduced);
        }
        return pool == null ? newTensor(derived) : leased(pool, kept(pool, newTensor(derived)));
    }

    private static AbstractTensor kept(ArenaPool pool, AbstractTensor storage) {
        pool.keep(storage);
        return storage;
    }

    /** A new tensor object on {@code storage}, carrying the step's lease (storage itself never leaves the arena). */
    static AbstractTensor leased(ArenaPool pool, AbstractTensor storage) {
        AbstractTensor handle = storage.view(storage.shape());
        handle.lease = pool.lease();
        return handle;
    }

    /** Throws if this tensor came from a step arena whose next step has begun. */
    private void live(String operation) {
        if (lease != null && lease.recycled()) {
            throw lease.error(operation, shape);
        }
    }

    /** As {@link #live(String)}, named by an operation's enum constant (lower-cased only for the message). */
    private void live(Enum<?> operation) {
        if (lease != null && lease.recycled()) {
            throw lease.error(operation.name().toLowerCase(java.util.Locale.ROOT), shape);
        }
    }

    /** {@code other} as this backend's class, checked compatible and not recycled. */
    private AbstractTensor operand(String operation, Tensor other) {
        AbstractTensor b = fits(other) ? (AbstractTensor) other : compatible(operation, other);
        if (b.lease != null && b.lease.recycled()) {
            throw b.lease.error(operation + " (operand)", b.shape);
        }
        return b;
    }

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
        live("addScaledInPlace");
        AbstractTensor other = operand("addScaledInPlace", b);
        requireSameShape("addScaledInPlace", other);
        addScaledKernel(other, alpha);
        return this;
    }

    private Tensor binary(BinaryOp op, Tensor other, AbstractTensor out) {
        // The operation's name is built only for an error message: this is the training step's hot path.
        if (lease != null && lease.recycled()) {
            throw lease.error(binaryName(op, out), shape);
        }
        AbstractTensor b = fits(other) ? (AbstractTensor) other : compatible(binaryName(op, out), other);
        if (b.lease != null && b.lease.recycled()) {
            throw b.lease.error(binaryName(op, out) + " (operand)", b.shape);
        }
        Broadcast mode = broadcastMode(op, out, b.shape());
        AbstractTensor result = out == null ? newResult(shape) : out;
        binaryKernel(op, b, mode, result);
        return result;
    }

    private String binaryName(BinaryOp op, AbstractTensor out) {
        return out == null ? op.method() : op.method() + "InPlace";
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
    public final Tensor addInPlace(double s) {
        return scalar(ScalarOp.ADD, s, this);
    }

    @Override
    public final Tensor mulInPlace(double s) {
        return scalar(ScalarOp.MUL, s, this);
    }

    private Tensor scalar(ScalarOp op, double s, AbstractTensor out) {
        live(op);
        AbstractTensor result = out == null ? newResult(shape) : out;
        scalarKernel(op, s, result);
        return result;
    }

    // ---- elementwise functions ------------------------------------------------------------------

    @Override
    public final Tensor exp() {
        return unary(UnaryOp.EXP);
    }

    @Override
    public final Tensor log() {
        return unary(UnaryOp.LOG);
    }

    @Override
    public final Tensor sqrt() {
        return unary(UnaryOp.SQRT);
    }

    @Override
    public final Tensor neg() {
        return unary(UnaryOp.NEG);
    }

    private Tensor unary(UnaryOp op) {
        live(op);
        AbstractTensor result = newResult(shape);
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
        live("matmul");
        AbstractTensor other = operand("matmul", b);
        checkMatmul(other, transposeThis, transposeB);
        int m = transposeThis ? shape.dim(1) : shape.dim(0);
        int n = transposeB ? other.shape().dim(0) : other.shape().dim(1);
        AbstractTensor out = newResult(m, n);
        matmulKernel(other, transposeThis, transposeB, out);
        return out;
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
        return reduceAll(ReduceOp.SUM, "sum");
    }

    @Override
    public final Tensor sum(int axis) {
        return reduceAxis(ReduceOp.SUM, "sum", axis);
    }

    @Override
    public final Tensor max() {
        requireNonEmpty("max", shape.size());
        return reduceAll(ReduceOp.MAX, "max");
    }

    @Override
    public final Tensor max(int axis) {
        return reduceAxis(ReduceOp.MAX, "max", axis);
    }

    @Override
    public final Tensor mean() {
        return reduceAll(ReduceOp.MEAN, "mean");
    }

    @Override
    public final Tensor mean(int axis) {
        return reduceAxis(ReduceOp.MEAN, "mean", axis);
    }

    @Override
    public final Tensor argmax(int axis) {
        return reduceAxis(ReduceOp.ARGMAX, "argmax", axis);
    }

    private Tensor reduceAll(ReduceOp op, String name) {
        live(name);
        AbstractTensor out = newResult(SCALAR);
        reduceKernel(op, -1, out);
        return out;
    }

    private Tensor reduceAxis(ReduceOp op, String name, int axis) {
        live(name);
        int a = shape.normalizeAxis(axis, name);
        if ((op == ReduceOp.MAX || op == ReduceOp.ARGMAX) && shape.dim(a) == 0) {
            requireNonEmpty(name + " along axis " + axis, 0);
        }
        AbstractTensor result = newDerived(a, 0); // a lower rank than this, so it never aliases it
        reduceKernel(op, a, result);
        return result;
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
    public final Tensor eq(Tensor b) {
        live("eq");
        AbstractTensor other = operand("eq", b);
        requireSameShape("eq", other);
        AbstractTensor out = newResult(shape);
        compareKernel(CompareOp.EQ, other, out);
        return out;
    }

    private Tensor compare(CompareOp op, double s) {
        live(op);
        AbstractTensor out = newResult(shape);
        compareKernel(op, s, out);
        return out;
    }

    @Override
    public final Tensor maskedFill(Tensor mask, double value) {
        live("maskedFill");
        AbstractTensor m = operand("maskedFill", mask);
        requireSameShape("maskedFill", m);
        AbstractTensor out = newResult(shape);
        maskedFillKernel(m, value, out);
        return out;
    }

    // ---- shape ----------------------------------------------------------------------------------

    @Override
    public final Tensor reshape(int... dims) {
        live("reshape");
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
        AbstractTensor v = view(target);
        v.lease = lease; // a view of a step's tensor is recycled with it
        return v;
    }

    @Override
    public final Tensor transpose() {
        live("transpose");
        if (shape.rank() < 2) {
            return copy();
        }
        if (shape.rank() > 2) {
            throw new ShapeMismatchException("transpose: " + shape
                    + ": only 2-D tensors (a vector or scalar is returned as a copy); reshape to 2-D first");
        }
        AbstractTensor out = newResult(shape.dim(1), shape.dim(0));
        transposeKernel(out);
        return out;
    }

    @Override
    public final Tensor gatherRows(int[] rows) {
        live("gatherRows");
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
        AbstractTensor result = newDerived(-1, rows.length);
        gatherRowsKernel(rows, result);
        return result;
    }

    @Override
    public final Tensor permute(int... axes) {
        live("permute");
        int rank = shape.rank();
        if (axes.length != rank) {
            throw new ShapeMismatchException("permute: " + shape + " by " + Arrays.toString(axes) + ": "
                    + axes.length + " axes for a tensor of rank " + rank + "; give each axis once");
        }
        int[] normalized = new int[rank];
        boolean[] seen = new boolean[rank];
        int[] dims = new int[rank];
        for (int k = 0; k < rank; k++) {
            int a = shape.normalizeAxis(axes[k], "permute");
            if (seen[a]) {
                throw new ShapeMismatchException("permute: " + shape + " by " + Arrays.toString(axes) + ": axis "
                        + a + " appears twice; give each axis of 0.." + (rank - 1) + " once");
            }
            seen[a] = true;
            normalized[k] = a;
            dims[k] = shape.dim(a);
        }
        AbstractTensor out = newResult(Shape.of(dims));
        permuteKernel(normalized, out);
        return out;
    }

    @Override
    public final Tensor im2col(int fh, int fw, int stride, int pad) {
        live("im2col");
        String name = "im2col";
        long[] columns = columns(name, shape, fh, fw, stride, pad);
        long rows = columns[0];
        long cols = columns[1];
        if (rows * cols > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + shape + " with a " + fh + "x" + fw + " window, stride "
                    + stride + ", pad " + pad + ": the result [" + rows + ", " + cols + "] would exceed 2^31 - 1"
                    + " elements; use smaller batches");
        }
        AbstractTensor out = newResult(Shape.of((int) rows, (int) cols));
        im2colKernel(fh, fw, stride, pad, out);
        return out;
    }

    @Override
    public final Tensor col2im(Shape inputShape, int fh, int fw, int stride, int pad) {
        live("col2im");
        String name = "col2im";
        long[] columns = columns(name, inputShape, fh, fw, stride, pad);
        long rows = columns[0];
        long cols = columns[1];
        if (shape.rank() != 2 || shape.dim(0) != rows || shape.dim(1) != cols) {
            throw new ShapeMismatchException(name + ": columns " + shape + " for an input " + inputShape + " with a "
                    + fh + "x" + fw + " window, stride " + stride + ", pad " + pad + ": the columns must be [N*OH*OW, C*FH*FW] = ["
                    + rows + ", " + cols + "], as im2col of that input gives");
        }
        AbstractTensor out = newResult(inputShape);
        col2imKernel(fh, fw, stride, pad, out);
        return out;
    }

    @Override
    public final MaxPool maxPool(int ph, int pw, int stride, int pad) {
        live("maxPool");
        String name = "maxPool";
        checkWindow(name, ph, pw, stride, pad);
        if (pad >= Math.min(ph, pw)) {
            throw new IllegalArgumentException(name + ": window " + ph + "x" + pw + ", pad " + pad
                    + ": the pad must be smaller than each window side, else a window could hold only padding");
        }
        checkImage(name, shape, ph, pw, pad);
        int h = shape.dim(2), w = shape.dim(3);
        if (dtype() == DType.FLOAT32 && (long) h * w > (1L << 24)) {
            throw new IllegalArgumentException(name + ": " + shape + ": a float32 plane of " + ((long) h * w)
                    + " cells is more than 2^24, so its positions would not be exact; use float64 or smaller images");
        }
        int oh = outputSize(h, ph, stride, pad);
        int ow = outputSize(w, pw, stride, pad);
        long outputs = (long) shape.dim(0) * shape.dim(1) * oh * ow;
        if (outputs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + ": " + shape + " with a " + ph + "x" + pw + " window, stride "
                    + stride + ", pad " + pad + ": the result would exceed 2^31 - 1 elements; use smaller batches");
        }
        Shape pooled = Shape.of(shape.dim(0), shape.dim(1), oh, ow);
        AbstractTensor max = newResult(pooled);
        AbstractTensor argMax = newResult(pooled);
        maxPoolKernel(ph, pw, stride, pad, max, argMax);
        return new MaxPool(max, argMax);
    }

    @Override
    public final Tensor maxPoolBackward(Tensor argMax, Shape inputShape) {
        live("maxPoolBackward");
        String name = "maxPoolBackward";
        AbstractTensor where = operand(name, argMax);
        if (shape.rank() != 4 || !where.shape().equals(shape)) {
            throw new ShapeMismatchException(name + ": gradients " + shape + ", argMax " + where.shape()
                    + ": both must be the [N, C, OH, OW] shape maxPool returned");
        }
        if (inputShape.rank() != 4 || inputShape.dim(0) != shape.dim(0) || inputShape.dim(1) != shape.dim(1)) {
            throw new ShapeMismatchException(name + ": gradients " + shape + " for an input " + inputShape
                    + ": the input must be [N, C, H, W] with the gradients' N and C, the shape maxPool pooled");
        }
        AbstractTensor out = newResult(inputShape);
        int bad = maxPoolBackwardKernel(where, out);
        if (bad >= 0) {
            throw new TensorIndexException(name + ": position " + where.getFlat(bad) + " at flat index " + bad
                    + " of argMax " + where.shape() + " is not an integer in 0.."
                    + (inputShape.dim(2) * inputShape.dim(3) - 1) + " (a cell of the input's [H, W] plane);"
                    + " pass the argMax that maxPool returned for this input");
        }
        return out;
    }

    /** The checked shape {@code [N·OH·OW, C·FH·FW]} of {@code image}'s im2col columns, as longs. */
    private static long[] columns(String name, Shape image, int fh, int fw, int stride, int pad) {
        checkWindow(name, fh, fw, stride, pad);
        checkImage(name, image, fh, fw, pad);
        int oh = outputSize(image.dim(2), fh, stride, pad);
        int ow = outputSize(image.dim(3), fw, stride, pad);
        return new long[] {(long) image.dim(0) * oh * ow, (long) image.dim(1) * fh * fw};
    }

    private static void checkWindow(String name, int fh, int fw, int stride, int pad) {
        if (fh < 1 || fw < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException(name + ": window " + fh + "x" + fw + ", stride " + stride + ", pad "
                    + pad + ": the window needs sizes >= 1, the stride >= 1 and the pad >= 0");
        }
    }

    /** Checks that {@code image} is {@code [N, C, H, W]} and that the padded image holds at least one window. */
    private static void checkImage(String name, Shape image, int fh, int fw, int pad) {
        if (image.rank() != 4) {
            throw new ShapeMismatchException(name + ": " + image + ": the image must be 4-D [N, C, H, W]; reshape one"
                    + " sample [C, H, W] to [1, C, H, W]");
        }
        if (image.dim(2) + 2L * pad < fh || image.dim(3) + 2L * pad < fw) {
            throw new ShapeMismatchException(name + ": " + image + " with a " + fh + "x" + fw + " window and pad " + pad
                    + ": the padded image [" + (image.dim(2) + 2L * pad) + ", " + (image.dim(3) + 2L * pad)
                    + "] is smaller than the window; use a smaller window or more padding");
        }
    }

    @Override
    public final Tensor oneHot(int width) {
        live("oneHot");
        if (shape.rank() != 1) {
            throw new ShapeMismatchException("oneHot: " + shape + ": the indices must be 1-D [M]; reshape them to [-1]");
        }
        if (width < 1) {
            throw new IllegalArgumentException("oneHot: width " + width + ": needs at least one column");
        }
        double[] values = new double[shape.size()];
        readInto(values);
        int[] indices = new int[values.length];
        for (int m = 0; m < values.length; m++) {
            double v = values[m];
            if (!(v >= 0 && v < width) || v != Math.rint(v)) { // NaN fails the first test
                throw new TensorIndexException("oneHot: index " + v + " at position " + m + " of " + shape
                        + " is not an integer in 0.." + (width - 1) + "; pass class indices, e.g. argmax(1)");
            }
            indices[m] = (int) v;
        }
        AbstractTensor out = newResult(indices.length, width);
        oneHotKernel(indices, width, out);
        return out;
    }

    // ---- elements and copies --------------------------------------------------------------------

    @Override
    public final double get(int... index) {
        live("get");
        return getFlat(flatIndex("get", index));
    }

    @Override
    public final void set(double value, int... index) {
        live("set");
        setFlat(flatIndex("set", index), value);
    }

    @Override
    public final double item() {
        live("item");
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

    /** A copy with storage of its own, never from a step arena: how a result is kept beyond its step. */
    @Override
    public final Tensor copy() {
        live("copy");
        AbstractTensor out = newTensor(shape);
        out.copyFrom(this);
        return out;
    }

    @Override
    public final Tensor assign(Tensor source) {
        live("assign");
        AbstractTensor src = operand("assign", source);
        requireSameShape("assign", src);
        if (src != this) {
            copyFrom(src);
        }
        return this;
    }

    @Override
    public final Tensor assign(double[] values) {
        live("assign");
        requireLength("assign", values.length);
        writeFrom(values);
        return this;
    }

    @Override
    public final Tensor assign(float[] values) {
        live("assign");
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
        live("toDoubleArray");
        double[] out = new double[shape.size()];
        readInto(out);
        return out;
    }

    @Override
    public final float[] toFloatArray() {
        live("toFloatArray");
        float[] out = new float[shape.size()];
        readInto(out);
        return out;
    }

    // ---- compositions: the reference unless a backend overrides the kernel --------------------

    @Override
    public final Tensor softmax() {
        return softmax(false);
    }

    @Override
    public final Tensor logSoftmax() {
        return softmax(true);
    }

    private Tensor softmax(boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        live(name);
        if (shape.size() == 0) {
            return log ? ReferenceOps.logSoftmax(this) : ReferenceOps.softmax(this); // its result or its message
        }
        AbstractTensor out = newResult(shape);
        softmaxKernel(log, out);
        return out;
    }

    @Override
    public final Tensor sigmoid() {
        live("sigmoid");
        return ReferenceOps.sigmoid(this);
    }

    @Override
    public final SoftmaxCrossEntropy softmaxCrossEntropy(Tensor labels) {
        String name = "softmaxCrossEntropy";
        live(name);
        AbstractTensor t = operand(name, labels);
        if (!t.shape().equals(shape)) {
            throw new ShapeMismatchException(name + ": scores " + shape + ", labels " + t.shape()
                    + ": the labels must have the scores' shape (one-hot rows; expand class indices first)");
        }
        if (shape.rank() == 0 || shape.dim(-1) == 0) {
            throw new ShapeMismatchException(name + ": " + shape + ": needs at least one class along the last axis");
        }
        AbstractTensor p = newResult(shape);
        double loss = shape.size() == 0 ? 0.0 : softmaxCrossEntropyKernel(t, p);
        return new SoftmaxCrossEntropy(p, loss);
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

    /** The elements in NumPy's nested-bracket style, e.g. {@code [[1.0, 2.0], [3.0, 4.0]]}. */
    @Override
    public String toString() {
        return lease != null && lease.recycled() ? "recycled tensor " + shape : TensorFormat.format(this);
    }
}
