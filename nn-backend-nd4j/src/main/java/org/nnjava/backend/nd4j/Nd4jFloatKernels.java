package org.nnjava.backend.nd4j;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_saxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.FloatBuffer;
import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.CompareOp;
import org.nnjava.spi.ReduceOp;
import org.nnjava.spi.ReduceSpan;
import org.nnjava.spi.ScalarOp;
import org.nnjava.spi.UnaryOp;

/**
 * The float32 kernels, the twins of {@link Nd4jDoubleKernels} (see there for the layout and aliasing
 * rules). They compute as a float32 op would: arithmetic in {@code float}, functions through
 * {@link Math} in double rounded back to float, scalars rounded to float first; sums alone accumulate
 * in {@code double} and are rounded once at the end, for accuracy over long axes.
 */
final class Nd4jFloatKernels {

    private Nd4jFloatKernels() {
    }

    // ---- elementwise ----------------------------------------------------------------------------

    /** {@code out = a op b}, {@code b} laid out as {@code mode} says; {@code cols} is a's last dimension. */
    static void binary(BinaryOp op, Broadcast mode, FloatBuffer a, FloatBuffer b, FloatBuffer out, int size, int cols) {
        switch (mode) {
            case SAME -> pairwise(op, a, b, out, 0, size);
            case SCALAR -> withScalar(op.scalarForm(), a, b.get(0), out, 0, size);
            case ROW -> {
                for (int from = 0; from < size; from += cols) {
                    pairwise(op, a, b, out, from, cols);
                }
            }
            case COLUMN -> {
                ScalarOp scalarOp = op.scalarForm();
                for (int r = 0, from = 0; from < size; r++, from += cols) {
                    withScalar(scalarOp, a, b.get(r), out, from, from + cols);
                }
            }
        }
    }

    /** {@code out[i] = a[i] op b[i - from]} for {@code from <= i < from + len}: one row, or everything from 0. */
    private static void pairwise(BinaryOp op, FloatBuffer a, FloatBuffer b, FloatBuffer out, int from, int len) {
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
    static void withScalar(ScalarOp op, FloatBuffer a, float s, FloatBuffer out, int from, int to) {
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
    static void unary(UnaryOp op, FloatBuffer a, FloatBuffer out, int size) {
        switch (op) {
            case EXP -> {
                for (int i = 0; i < size; i++) out.put(i, (float) Math.exp(a.get(i)));
            }
            case LOG -> {
                for (int i = 0; i < size; i++) out.put(i, (float) Math.log(a.get(i)));
            }
            case SQRT -> {
                for (int i = 0; i < size; i++) out.put(i, (float) Math.sqrt(a.get(i)));
            }
            case NEG -> {
                for (int i = 0; i < size; i++) out.put(i, -a.get(i));
            }
        }
    }

    /** {@code out[i] = (a[i] op s) ? 1 : 0}; every comparison with NaN is false. */
    static void compare(CompareOp op, FloatBuffer a, float s, FloatBuffer out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) > s ? 1 : 0);
            }
            case GE -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) >= s ? 1 : 0);
            }
            case LT -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) < s ? 1 : 0);
            }
            case LE -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) <= s ? 1 : 0);
            }
            case EQ -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) == s ? 1 : 0);
            }
        }
    }

    /** {@code out[i] = (a[i] op b[i]) ? 1 : 0}; every comparison with NaN is false. */
    static void compare(CompareOp op, FloatBuffer a, FloatBuffer b, FloatBuffer out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) > b.get(i) ? 1 : 0);
            }
            case GE -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) >= b.get(i) ? 1 : 0);
            }
            case LT -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) < b.get(i) ? 1 : 0);
            }
            case LE -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) <= b.get(i) ? 1 : 0);
            }
            case EQ -> {
                for (int i = 0; i < size; i++) out.put(i, a.get(i) == b.get(i) ? 1 : 0);
            }
        }
    }

    /** {@code out[i] = mask[i] != 0 ? value : a[i]}, a select (see {@link Nd4jDoubleKernels#maskedFill}). */
    static void maskedFill(FloatBuffer a, FloatBuffer mask, float value, FloatBuffer out, int size) {
        for (int i = 0; i < size; i++) {
            out.put(i, mask.get(i) != 0 ? value : a.get(i));
        }
    }

    // ---- reductions -----------------------------------------------------------------------------

    /** Reduces {@code x} along the middle axis of {@code span} into {@code out} ({@code [outer, inner]}). */
    static void reduce(ReduceOp op, FloatBuffer x, ReduceSpan span, FloatBuffer out) {
        switch (op) {
            case SUM -> sum(x, span, out, false);
            case MEAN -> sum(x, span, out, true); // an empty axis gives 0 / 0 = NaN, as NumPy's mean
            case MAX -> max(x, span, out);
            case ARGMAX -> argmax(x, span, out);
        }
    }

    /**
     * Sums (or means) in double, each rounded once to float. One accumulator per output element walks
     * its axis with stride {@code inner}: no scratch array, and for the step's [100, 50] the strided
     * reads stay in L1.
     */
    private static void sum(FloatBuffer x, ReduceSpan span, FloatBuffer out, boolean mean) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            for (int i = 0; i < inner; i++) {
                int from = span.start(o, i);
                double acc = 0;
                for (int j = 0; j < n; j++) acc += x.get(from + j * inner);
                out.put(o * inner + i, (float) (mean ? acc / n : acc));
            }
        }
    }

    /** Math.max along the axis: NaN as soon as one element is NaN (ND4J's own max skipped NaN). */
    private static void max(FloatBuffer x, ReduceSpan span, FloatBuffer out) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            int base = span.start(o, 0);
            int dst = o * inner;
            if (inner == 1) {
                float m = x.get(base);
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

    private static void argmax(FloatBuffer x, ReduceSpan span, FloatBuffer out) {
        for (int o = 0; o < span.outer(); o++) {
            for (int i = 0; i < span.inner(); i++) {
                out.put(o * span.inner() + i, argmax(x, span.start(o, i), span.length(), span.inner()));
            }
        }
    }

    /** The index of the first maximum of {@code x[from + j * stride]}, or of the first NaN, as NumPy's argmax. */
    private static int argmax(FloatBuffer x, int from, int n, int stride) {
        int best = 0;
        float bestValue = x.get(from);
        for (int j = 1; j < n && !Float.isNaN(bestValue); j++) {
            float v = x.get(from + j * stride);
            if (v > bestValue || Float.isNaN(v)) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    // ---- layout ---------------------------------------------------------------------------------

    /** {@code out = aᵀ} for {@code a} of {@code [rows, cols]}. */
    static void transpose(FloatBuffer a, int rows, int cols, FloatBuffer out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out.put(c * rows + r, a.get(r * cols + c));
            }
        }
    }

    /** Row {@code i} of {@code out} is row {@code rows[i]} of {@code a}: one bulk copy per row. */
    static void gatherRows(FloatBuffer a, int[] rows, int rowLength, FloatBuffer out) {
        for (int i = 0; i < rows.length; i++) {
            out.put(i * rowLength, a, rows[i] * rowLength, rowLength);
        }
    }

    // ---- BLAS -----------------------------------------------------------------------------------

    /** {@code c = op(a) · op(b)} by OpenBLAS's sgemm, as {@link Nd4jDoubleKernels#gemm} (116 µs for [100, 784] x [784, 50]). */
    static void gemm(FloatBuffer a, boolean ta, int lda, FloatBuffer b, boolean tb, int ldb, FloatBuffer c,
            int m, int n, int k) {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                1f, a, lda, b, ldb, 0f, c, n);
    }

    /**
     * {@code y += alpha · x} over {@code n} elements, alpha rounded to float. OpenBLAS's saxpy (3 µs for
     * the 784 x 50 weights) against 7-70 µs for a loop; the loop only when {@code x} is {@code y}.
     */
    static void axpy(int n, double alpha, FloatBuffer x, FloatBuffer y) {
        float a = (float) alpha;
        if (x == y) {
            for (int i = 0; i < n; i++) y.put(i, y.get(i) + a * y.get(i));
        } else {
            cblas_saxpy(n, a, x, 1, y, 1);
        }
    }

    // ---- softmax along the last axis ------------------------------------------------------------
    // Each step rounds to float where ReferenceOps on float32 tensors would, so results match it closely.

    /** The largest of {@code cols} elements from {@code from}, by Math.max (NaN if one is NaN). */
    private static float rowMax(FloatBuffer x, int from, int cols) {
        float m = x.get(from);
        for (int j = from + 1; j < from + cols; j++) m = Math.max(m, x.get(j));
        return m;
    }

    /** Writes {@code e_j = exp(x_j - m)} of one row into {@code out}; returns their sum, rounded to float. */
    private static float expShifted(FloatBuffer x, float m, FloatBuffer out, int from, int cols) {
        double sum = 0;
        for (int j = from; j < from + cols; j++) {
            float e = (float) Math.exp(x.get(j) - m);
            out.put(j, e);
            sum += e;
        }
        return (float) sum;
    }

    /** Softmax of each row: {@code exp(x - m) / Σ exp(x - m)}, as {@link Nd4jDoubleKernels#softmax}. */
    static void softmax(FloatBuffer x, FloatBuffer out, int rows, int cols) {
        for (int from = 0; from < rows * cols; from += cols) {
            float sum = expShifted(x, rowMax(x, from, cols), out, from, cols);
            for (int j = from; j < from + cols; j++) out.put(j, out.get(j) / sum);
        }
    }

    /** Log-softmax of each row: {@code (x - m) - log Σ exp(x - m)}. */
    static void logSoftmax(FloatBuffer x, FloatBuffer out, int rows, int cols) {
        for (int from = 0; from < rows * cols; from += cols) {
            float m = rowMax(x, from, cols);
            float logSum = (float) Math.log(expShifted(x, m, out, from, cols));
            for (int j = from; j < from + cols; j++) out.put(j, (x.get(j) - m) - logSum);
        }
    }

    /**
     * Softmax of each row into {@code p}, returning {@code -Σ t · logSoftmax(x)} over the elements where
     * {@code t != 0}: each term rounded to float, the sum in double and rounded to float at the end.
     */
    static double softmaxCrossEntropy(FloatBuffer x, FloatBuffer t, FloatBuffer p, int rows, int cols) {
        double total = 0;
        for (int from = 0; from < rows * cols; from += cols) {
            float m = rowMax(x, from, cols);
            float sum = expShifted(x, m, p, from, cols);
            float logSum = (float) Math.log(sum);
            for (int j = from; j < from + cols; j++) {
                p.put(j, p.get(j) / sum);
                float label = t.get(j);
                if (label != 0) {
                    total += label * ((x.get(j) - m) - logSum);
                }
            }
        }
        return -(float) total;
    }
}
