package org.nnjava.backend.nd4j;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;

import java.nio.DoubleBuffer;
import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.CompareOp;
import org.nnjava.spi.ReduceOp;
import org.nnjava.spi.ReduceSpan;
import org.nnjava.spi.ScalarOp;
import org.nnjava.spi.UnaryOp;

//64 Nd4jFloatKernels is generated from this file at build time by the float32 rules in the parent pom
//64 (docs/backends.md): a cast to the element type, redundant here, rounds to float there; a
//64 /*64*/double stays double there; cblas_d* is cblas_s* there; these //64 lines are left out there.
/**
 * The float64 kernels: plain Java loops over NIO views of ND4J's native buffers, and OpenBLAS called
 * directly for matmul and axpy. Every buffer is addressed by absolute row-major index from 0 (its
 * position is never used). Each operation has its own loop, chosen once per call or per row, so the
 * inner loops are plain arithmetic the JIT can unroll. Elementwise loops read {@code a[i]} and
 * {@code b[i]} before writing {@code out[i]}, so {@code out} may be {@code a} or {@code b}.
 *
 * <p>In float32 they compute as a float32 op would: arithmetic in {@code float}, functions through
 * {@link Math} in 64 bits rounded back, scalars rounded first; the sums along a contiguous row, the
 * softmax's sum of exponentials and the loss total accumulate in 64 bits and are rounded once.
 *
 * <p>Why loops rather than ND4J's ops: on the training step's [100, 50] arrays an ND4J op costs
 * 8-25 µs and several KB of Java heap, nearly all dispatch, where these loops take 1-2 µs (exp 21 µs,
 * as ND4J's) and allocate nothing.
 */
@SuppressWarnings("cast")
final class Nd4jDoubleKernels {

    private Nd4jDoubleKernels() {
    }

    // ---- elementwise ----------------------------------------------------------------------------

    /** {@code out = a op b}, {@code b} laid out as {@code mode} says; {@code cols} is a's last dimension. */
    static void binary(BinaryOp op, Broadcast mode, DoubleBuffer a, DoubleBuffer b, DoubleBuffer out, int size, int cols) {
        switch (mode) {
            case SAME -> pairwise(op, a, b, out, 0, size);
            case SCALAR -> withScalar(op.scalarForm(), a, b.get(0), out, 0, size);
            case ROW -> rows(op, a, b, out, size, cols);
            case COLUMN -> {
                ScalarOp scalarOp = op.scalarForm();
                for (int r = 0, from = 0; from < size; r++, from += cols) {
                    withScalar(scalarOp, a, b.get(r), out, from, from + cols);
                }
            }
        }
    }

    /**
     * {@code out[r, j] = a[r, j] op b[j]} for every row: the operation chosen once, not once per row (a
     * convolution's bias is added to 57,600 rows of 30).
     */
    private static void rows(BinaryOp op, DoubleBuffer a, DoubleBuffer b, DoubleBuffer out, int size, int cols) {
        switch (op) {
            case ADD -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out.put(from + j, a.get(from + j) + b.get(j));
                }
            }
            case SUB -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out.put(from + j, a.get(from + j) - b.get(j));
                }
            }
            case MUL -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out.put(from + j, a.get(from + j) * b.get(j));
                }
            }
            case DIV -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out.put(from + j, a.get(from + j) / b.get(j));
                }
            }
        }
    }

    /** {@code out[i] = a[i] op b[i - from]} for {@code from <= i < from + len}: one row, or everything from 0. */
    private static void pairwise(BinaryOp op, DoubleBuffer a, DoubleBuffer b, DoubleBuffer out, int from, int len) {
        int to = from + len;
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) + b.get(i - from));
            }
            case SUB -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) - b.get(i - from));
            }
            case MUL -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) * b.get(i - from));
            }
            case DIV -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) / b.get(i - from));
            }
        }
    }

    /** {@code out[i] = a[i] op s} for {@code from <= i < to}, operands in {@link ScalarOp}'s order. */
    static void withScalar(ScalarOp op, DoubleBuffer a, double s, DoubleBuffer out, int from, int to) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) + s);
            }
            case SUB -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) - s);
            }
            case MUL -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) * s);
            }
            case DIV -> {
                for (int i = from; i < to; i++) out.put(i, a.get(i) / s);
            }
            case RSUB -> {
                for (int i = from; i < to; i++) out.put(i, s - a.get(i));
            }
            case RDIV -> {
                for (int i = from; i < to; i++) out.put(i, s / a.get(i));
            }
            case MAX -> {
                // Math.max: NaN if either operand is NaN, and max(-0.0, 0.0) = 0.0, as the contract asks.
                for (int i = from; i < to; i++) out.put(i, Math.max(a.get(i), s));
            }
        }
    }

    /** {@code out[i] = f(a[i])}, IEEE as {@link Math}: log(0) = -inf, log(-1) = NaN, sqrt(-1) = NaN. */
    static void unary(UnaryOp op, DoubleBuffer a, DoubleBuffer out, int size) {
        switch (op) {
            case EXP -> {
                for (int i = 0; i < size; i++) out.put(i, (double) Math.exp(a.get(i)));
            }
            case LOG -> {
                for (int i = 0; i < size; i++) out.put(i, (double) Math.log(a.get(i)));
            }
            case SQRT -> {
                for (int i = 0; i < size; i++) out.put(i, (double) Math.sqrt(a.get(i)));
            }
            case NEG -> {
                for (int i = 0; i < size; i++) out.put(i, -a.get(i));
            }
        }
    }

    /** {@code out[i] = (a[i] op s) ? 1 : 0}; every comparison with NaN is false. */
    static void compare(CompareOp op, DoubleBuffer a, double s, DoubleBuffer out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) > s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case GE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) >= s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case LT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) < s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case LE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) <= s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case EQ -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) == s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
        }
    }

    /** {@code out[i] = (a[i] op b[i]) ? 1 : 0}; every comparison with NaN is false. */
    static void compare(CompareOp op, DoubleBuffer a, DoubleBuffer b, DoubleBuffer out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) > b.get(i) ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case GE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) >= b.get(i) ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case LT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) < b.get(i) ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case LE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) <= b.get(i) ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
            case EQ -> {
                for (int i = 0; i < size; i++) {
                    int bit = a.get(i) == b.get(i) ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out.put(i, bit);
                }
            }
        }
    }

    /**
     * {@code out[i] = mask[i] != 0 ? value : a[i]}: a select on the bits, so unmasked elements are copied exactly
     * (arithmetic such as {@code a * (1 - m)} would turn inf into NaN). A NaN mask element counts as set.
     */
    static void maskedFill(DoubleBuffer a, DoubleBuffer mask, double value, DoubleBuffer out, int size) {
        /*64*/long fill = /*64*/Double.doubleToRawLongBits((/*64*/double) value);
        for (int i = 0; i < size; i++) { // a select on the bits: a branch would mispredict on a ReLU's random mask
            long keep = mask.get(i) != 0 ? 0L : -1L;
            out.put(i, (double) Nd4jTensor.selectBits(a.get(i), keep, fill));
        }
    }

    // ---- reductions -----------------------------------------------------------------------------

    /** Reduces {@code x} along the middle axis of {@code span} into {@code out} ({@code [outer, inner]}). */
    static void reduce(ReduceOp op, DoubleBuffer x, ReduceSpan span, DoubleBuffer out) {
        switch (op) {
            case SUM -> sum(x, span, out, 1);
            case MEAN -> sum(x, span, out, span.length()); // an empty axis gives 0 / 0 = NaN, as NumPy's mean
            case MAX -> max(x, span, out);
            case ARGMAX -> argmax(x, span, out);
        }
    }

    /**
     * The sums along the axis divided by {@code divisor}. Along a contiguous row ({@code inner == 1}) one
     * 64-bit accumulator, rounded once; across rows (the {@code [n, inner]} blocks, such as the bias
     * gradient's axis 0) whole rows are added into {@code out} in the element type, as NumPy's
     * {@code sum(axis=0)} does, so that the reads run along memory.
     */
    private static void sum(DoubleBuffer x, ReduceSpan span, DoubleBuffer out, int divisor) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            int base = span.start(o, 0);
            int dst = o * inner;
            if (inner == 1) {
                /*64*/double acc = 0;
                for (int j = 0; j < n; j++) acc += x.get(base + j);
                out.put(o, (double) (acc / divisor));
                continue;
            }
            for (int i = 0; i < inner; i++) out.put(dst + i, 0);
            for (int j = 0; j < n; j++) {
                int src = base + j * inner;
                for (int i = 0; i < inner; i++) out.put(dst + i, out.get(dst + i) + x.get(src + i));
            }
            if (divisor != 1) {
                for (int i = dst; i < dst + inner; i++) out.put(i, out.get(i) / divisor);
            }
        }
    }

    /** Math.max along the axis: NaN as soon as one element is NaN (ND4J's own max skipped NaN). */
    private static void max(DoubleBuffer x, ReduceSpan span, DoubleBuffer out) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            int base = span.start(o, 0);
            int dst = o * inner;
            if (inner == 1) {
                double m = x.get(base);
                for (int j = 1; j < n; j++) m = Math.max(m, x.get(base + j));
                out.put(o, m);
                continue;
            }
            for (int i = 0; i < inner; i++) out.put(dst + i, x.get(base + i));
            for (int j = 1; j < n; j++) {
                int src = base + j * inner;
                for (int i = 0; i < inner; i++) out.put(dst + i, Math.max(out.get(dst + i), x.get(src + i)));
            }
        }
    }

    private static void argmax(DoubleBuffer x, ReduceSpan span, DoubleBuffer out) {
        for (int o = 0; o < span.outer(); o++) {
            for (int i = 0; i < span.inner(); i++) {
                out.put(o * span.inner() + i, argmax(x, span.start(o, i), span.length(), span.inner()));
            }
        }
    }

    /** The index of the first maximum of {@code x[from + j * stride]}, or of the first NaN, as NumPy's argmax. */
    private static int argmax(DoubleBuffer x, int from, int n, int stride) {
        int best = 0;
        double bestValue = x.get(from);
        for (int j = 1; j < n && !Double.isNaN(bestValue); j++) {
            double v = x.get(from + j * stride);
            if (v > bestValue || Double.isNaN(v)) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    // ---- layout ---------------------------------------------------------------------------------

    /** {@code out = aᵀ} for {@code a} of {@code [rows, cols]}. */
    static void transpose(DoubleBuffer a, int rows, int cols, DoubleBuffer out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out.put(c * rows + r, a.get(r * cols + c));
            }
        }
    }

    /**
     * Row {@code i} of {@code out} is row {@code rows[i]} of {@code a}, rows being {@code rowLength} long:
     * one bulk copy per row (100 rows of 784: 15 µs, where {@code Nd4j.pullRows} took 0.1-0.5 ms).
     */
    static void gatherRows(DoubleBuffer a, int[] rows, int rowLength, DoubleBuffer out) {
        for (int i = 0; i < rows.length; i++) {
            out.put(i * rowLength, a, rows[i] * rowLength, rowLength);
        }
    }

    // ---- BLAS -----------------------------------------------------------------------------------

    /**
     * {@code c = op(a) · op(b)} by OpenBLAS's gemm on the row-major buffers: {@code op(a)} is
     * {@code [m, k]}, {@code op(b)} is {@code [k, n]}, {@code lda} and {@code ldb} are the stored
     * arrays' column counts; all of m, n, k positive. beta = 0, so c's old contents (even NaN) never leak.
     * Called directly rather than through {@code Nd4j.gemm}: for [100, 784] x [784, 50], dgemm 210 µs
     * against 230-450 µs (sgemm: 116 µs).
     */
    static void gemm(DoubleBuffer a, boolean ta, int lda, DoubleBuffer b, boolean tb, int ldb, DoubleBuffer c,
            int m, int n, int k) {
        cblas_dgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                1, a, lda, b, ldb, 0, c, n);
    }

    /**
     * {@code y += alpha · x} over {@code n} elements, {@code alpha} rounded to the element type. OpenBLAS's
     * axpy (daxpy 6 µs for the 784 x 50 weights, saxpy 3 µs) beats the loop (12 µs; 7-70 µs for floats);
     * when {@code x} is {@code y} the loop is used, since BLAS does not allow aliasing.
     */
    static void axpy(int n, /*64*/double alpha, DoubleBuffer x, DoubleBuffer y) {
        double a = (double) alpha;
        if (x == y) {
            for (int i = 0; i < n; i++) y.put(i, y.get(i) + a * y.get(i));
        } else {
            cblas_daxpy(n, a, x, 1, y, 1);
        }
    }

    // ---- softmax along the last axis ------------------------------------------------------------

    /** The largest of {@code cols} elements from {@code from}, by Math.max (NaN if one is NaN). */
    private static double rowMax(DoubleBuffer x, int from, int cols) {
        double m = x.get(from);
        for (int j = from + 1; j < from + cols; j++) m = Math.max(m, x.get(j));
        return m;
    }

    /**
     * Writes {@code e_j = exp(x_j - m)} of one row into {@code out} and returns their sum (added in 64
     * bits, rounded once); {@code m} is the row's maximum, so nothing overflows and the largest term is 1.
     */
    private static double expShifted(DoubleBuffer x, double m, DoubleBuffer out, int from, int cols) {
        /*64*/double sum = 0;
        for (int j = from; j < from + cols; j++) {
            double e = (double) Math.exp(x.get(j) - m);
            out.put(j, e);
            sum += e;
        }
        return (double) sum;
    }

    /**
     * Softmax of each row of {@code cols} elements: {@code exp(x - m) / Σ exp(x - m)}, the arithmetic of
     * {@code ReferenceOps.softmax} in one pass per row (an all -inf row gives NaN, as there: -inf - -inf).
     */
    static void softmax(DoubleBuffer x, DoubleBuffer out, int rows, int cols) {
        for (int from = 0; from < rows * cols; from += cols) {
            double sum = expShifted(x, rowMax(x, from, cols), out, from, cols);
            for (int j = from; j < from + cols; j++) out.put(j, out.get(j) / sum);
        }
    }

    /** Log-softmax of each row: {@code (x - m) - log Σ exp(x - m)}, as {@code ReferenceOps.logSoftmax}. */
    static void logSoftmax(DoubleBuffer x, DoubleBuffer out, int rows, int cols) {
        for (int from = 0; from < rows * cols; from += cols) {
            double m = rowMax(x, from, cols);
            double logSum = (double) Math.log(expShifted(x, m, out, from, cols));
            for (int j = from; j < from + cols; j++) out.put(j, (x.get(j) - m) - logSum);
        }
    }

    /**
     * Softmax of each row into {@code p}, returning {@code -Σ t · logSoftmax(x)} over the elements where
     * {@code t != 0} (a dropped term may be {@code 0 · -inf}); the terms are added in row-major order, in
     * 64 bits, and the total is rounded to the element type at the end.
     */
    static /*64*/double softmaxCrossEntropy(DoubleBuffer x, DoubleBuffer t, DoubleBuffer p, int rows, int cols) {
        /*64*/double total = 0;
        for (int from = 0; from < rows * cols; from += cols) {
            double m = rowMax(x, from, cols);
            double sum = expShifted(x, m, p, from, cols);
            double logSum = (double) Math.log(sum);
            for (int j = from; j < from + cols; j++) {
                p.put(j, p.get(j) / sum);
                double label = t.get(j);
                if (label != 0) {
                    total += label * ((x.get(j) - m) - logSum);
                }
            }
        }
        return -(double) total;
    }

    // ---- convolution and pooling (the book's chapter 7) ------------------------------------------

    /**
     * The book's im2col of {@code x} ({@code [n, c, h, w]}) into {@code col}: one row per output cell in
     * (image, row, column) order, written front to back; each window row is one run of {@code fw}
     * elements of {@code x} (contiguous for any stride), with zeros where it falls in the padding.
     */
    static void im2col(DoubleBuffer x, int n, int c, int h, int w, int fh, int fw, int stride, int pad, DoubleBuffer col) {
        int oh = (h + 2 * pad - fh) / stride + 1, ow = (w + 2 * pad - fw) / stride + 1;
        int k = 0;
        for (int img = 0; img < n; img++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int x0 = xo * stride - pad;
                    int from = Math.max(0, -x0), to = Math.max(from, Math.min(fw, w - x0));
                    for (int ch = 0; ch < c; ch++) {
                        int plane = (img * c + ch) * h;
                        for (int i = 0; i < fh; i++, k += fw) {
                            int row = y * stride + i - pad;
                            if (row < 0 || row >= h) {
                                for (int j = 0; j < fw; j++) col.put(k + j, 0);
                                continue;
                            }
                            int src = (plane + row) * w + x0;
                            for (int j = 0; j < from; j++) col.put(k + j, 0);
                            col.put(k + from, x, src + from, to - from); // one bulk copy per window row
                            for (int j = to; j < fw; j++) col.put(k + j, 0);
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: {@code x} zeroed, then each column element added to its cell. */
    static void col2im(DoubleBuffer col, int n, int c, int h, int w, int fh, int fw, int stride, int pad, DoubleBuffer x) {
        int oh = (h + 2 * pad - fh) / stride + 1, ow = (w + 2 * pad - fw) / stride + 1;
        for (int i = 0, size = n * c * h * w; i < size; i++) x.put(i, 0);
        int k = 0;
        for (int img = 0; img < n; img++) {
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int x0 = xo * stride - pad;
                    int from = Math.max(0, -x0), to = Math.max(from, Math.min(fw, w - x0));
                    for (int ch = 0; ch < c; ch++) {
                        int plane = (img * c + ch) * h;
                        for (int i = 0; i < fh; i++, k += fw) {
                            int row = y * stride + i - pad;
                            if (row < 0 || row >= h) {
                                continue;
                            }
                            int dst = (plane + row) * w + x0;
                            for (int j = from; j < to; j++) x.put(dst + j, x.get(dst + j) + col.get(k + j));
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code out[b, j, i] = a[b, i, j]} for {@code a} of {@code [batch, rows, cols]}, in square tiles so
     * that both the reads and the writes stay within a few cache lines.
     */
    static void transposeBatch(DoubleBuffer a, int batch, int rows, int cols, DoubleBuffer out) {
        final int tile = 16;
        int plane = rows * cols;
        for (int b = 0, off = 0; b < batch; b++, off += plane) {
            if (rows == 1 || cols == 1) {
                out.put(off, a, off, plane);
                continue;
            }
            for (int r0 = 0; r0 < rows; r0 += tile) {
                int r1 = Math.min(rows, r0 + tile);
                for (int c0 = 0; c0 < cols; c0 += tile) {
                    int c1 = Math.min(cols, c0 + tile);
                    for (int r = r0; r < r1; r++) {
                        int src = off + r * cols;
                        for (int j = c0; j < c1; j++) {
                            out.put(off + j * rows + r, a.get(src + j));
                        }
                    }
                }
            }
        }
    }

    /**
     * Max pooling of {@code x} ({@code [planes, h, w]}): each window's first maximum over its real cells
     * (a NaN beats any number, the first NaN stays) into {@code max}, its {@code row · w + column} into
     * {@code argMax}.
     */
    static void maxPool(DoubleBuffer x, int planes, int h, int w, int ph, int pw, int stride, int pad,
            DoubleBuffer max, DoubleBuffer argMax) {
        int oh = (h + 2 * pad - ph) / stride + 1, ow = (w + 2 * pad - pw) / stride + 1;
        if (ph == 2 && pw == 2 && pad == 0) {
            maxPool2x2(x, planes, h, w, stride, oh, ow, max, argMax);
            return;
        }
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                int r0 = y * stride - pad;
                int iFrom = Math.max(0, -r0), iTo = Math.min(ph, h - r0);
                for (int xo = 0; xo < ow; xo++, k++) {
                    int c0 = xo * stride - pad;
                    int jFrom = Math.max(0, -c0), jTo = Math.min(pw, w - c0);
                    int at = (r0 + iFrom) * w + c0 + jFrom;
                    double best = x.get(base + at);
                    window:
                    for (int i = iFrom; best == best && i < iTo; i++) { // best == best: not NaN, else it stays
                        int cell = base + (r0 + i) * w + c0;
                        for (int j = jFrom; j < jTo; j++) {
                            double v = x.get(cell + j);
                            if (v > best) {
                                best = v;
                                at = cell - base + j;
                            } else if (v != v) { // the first NaN wins and ends the window
                                best = v;
                                at = cell - base + j;
                                break window;
                            }
                        }
                    }
                    max.put(k, best);
                    argMax.put(k, (double) at);
                }
            }
        }
    }

    /**
     * {@link #maxPool} for the common 2x2 window without padding (the book's SimpleConvNet): the maximum by
     * {@code Math.max}, then the first cell equal to it by integer selects rather than branches (on random
     * data a branch per comparison mispredicts every other time: 4 times slower, measured); the value is
     * read back from that cell, so that of 0.0 and -0.0 the first is kept, as a strict comparison would.
     */
    private static void maxPool2x2(DoubleBuffer x, int planes, int h, int w, int stride, int oh, int ow, DoubleBuffer max,
            DoubleBuffer argMax) {
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                int top = y * stride * w; // the window's first cell in the plane
                for (int xo = 0; xo < ow; xo++, k++) {
                    int c = top + xo * stride;
                    double a0 = x.get(base + c), a1 = x.get(base + c + 1), a2 = x.get(base + c + w), a3 = x.get(base + c + w + 1);
                    double m = Math.max(Math.max(a0, a1), Math.max(a2, a3)); // NaN if one is NaN
                    if (m != m) { // a NaN: the first one wins
                        int at = a0 != a0 ? c : a1 != a1 ? c + 1 : a2 != a2 ? c + w : c + w + 1;
                        max.put(k, m);
                        argMax.put(k, (double) at);
                        continue;
                    }
                    int at = a2 == m ? c + w : c + w + 1; // the first cell equal to the maximum, last test first
                    at = a1 == m ? c + 1 : at;
                    at = a0 == m ? c : at;
                    max.put(k, x.get(base + at));
                    argMax.put(k, (double) at);
                }
            }
        }
    }

    /**
     * The max-pooling backward scatter: {@code dx} ({@code [planes, inPlane]}) zeroed, then
     * {@code dx[p, argMax[p, q]] += dout[p, q]}; returns the flat index of the first position that is
     * not an integer in {@code 0 .. inPlane − 1} (nothing more is written then), or -1.
     */
    static int maxPoolBackward(DoubleBuffer dout, DoubleBuffer argMax, int planes, int outPlane, int inPlane, DoubleBuffer dx) {
        for (int i = 0, size = planes * inPlane; i < size; i++) dx.put(i, 0);
        for (int p = 0, k = 0; p < planes; p++) {
            int base = p * inPlane;
            for (int q = 0; q < outPlane; q++, k++) {
                double v = argMax.get(k);
                int at = (int) v;
                if (at != v || at < 0 || at >= inPlane) { // NaN casts to 0 and fails the first test
                    return k;
                }
                dx.put(base + at, dx.get(base + at) + dout.get(k));
            }
        }
        return -1;
    }
}
