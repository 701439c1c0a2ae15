package org.nnjava.backend.ejml;

import java.util.Arrays;
import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.CompareOp;
import org.nnjava.spi.ReduceOp;
import org.nnjava.spi.ReduceSpan;
import org.nnjava.spi.ScalarOp;
import org.nnjava.spi.UnaryOp;

//64 FloatKernels is generated from this file at build time by the float32 rules in the parent pom
//64 (docs/backends.md): a cast to the element type, redundant here, rounds a Math result to float
//64 there; a /*64*/double stays double there; these //64 lines are left out there.
/**
 * The float64 loops. Each operation has its own loop, chosen once per call (or once per row), so the
 * inner loops are plain array arithmetic that the JIT can unroll and vectorise. Elementwise loops
 * read {@code a[i]} and {@code b[i]} before writing {@code out[i]}, so {@code out} may be {@code a}
 * or {@code b}. In float32 the arithmetic is Java's {@code float} arithmetic, and {@code Math}'s
 * functions are computed in 64 bits and rounded once.
 */
@SuppressWarnings("cast")
final class DoubleKernels {

    private DoubleKernels() {
    }

    /** {@code out = a op b}, {@code b} laid out as {@code mode} says; {@code cols} is a's last dim. */
    static void binary(BinaryOp op, Broadcast mode, double[] a, double[] b, double[] out, int size, int cols) {
        switch (mode) {
            case SAME -> pairwise(op, a, b, out, 0, size);
            case SCALAR -> withScalar(op.scalarForm(), a, b[0], out, 0, size);
            case ROW -> rows(op, a, b, out, size, cols);
            case COLUMN -> {
                for (int r = 0, from = 0; from < size; r++, from += cols) {
                    withScalar(op.scalarForm(), a, b[r], out, from, from + cols);
                }
            }
        }
    }

    /**
     * {@code out[r, j] = a[r, j] op b[j]} for every row: the operation chosen once, not once per row (a
     * convolution's bias is added to 57,600 rows of 30).
     */
    private static void rows(BinaryOp op, double[] a, double[] b, double[] out, int size, int cols) {
        switch (op) {
            case ADD -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out[from + j] = a[from + j] + b[j];
                }
            }
            case SUB -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out[from + j] = a[from + j] - b[j];
                }
            }
            case MUL -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out[from + j] = a[from + j] * b[j];
                }
            }
            case DIV -> {
                for (int from = 0; from < size; from += cols) {
                    for (int j = 0; j < cols; j++) out[from + j] = a[from + j] / b[j];
                }
            }
        }
    }

    /** {@code out[from + i] = a[from + i] op b[i]} for {@code i < len}: a row, or all with from 0. */
    private static void pairwise(BinaryOp op, double[] a, double[] b, double[] out, int from, int len) {
        int shift = -from;
        int to = from + len;
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) out[i] = a[i] + b[i + shift];
            }
            case SUB -> {
                for (int i = from; i < to; i++) out[i] = a[i] - b[i + shift];
            }
            case MUL -> {
                for (int i = from; i < to; i++) out[i] = a[i] * b[i + shift];
            }
            case DIV -> {
                for (int i = from; i < to; i++) out[i] = a[i] / b[i + shift];
            }
        }
    }

    /** {@code out[i] = a[i] op s} for {@code from <= i < to} (operand order per {@link ScalarOp}). */
    static void withScalar(ScalarOp op, double[] a, double s, double[] out, int from, int to) {
        switch (op) {
            case ADD -> {
                for (int i = from; i < to; i++) out[i] = a[i] + s;
            }
            case SUB -> {
                for (int i = from; i < to; i++) out[i] = a[i] - s;
            }
            case MUL -> {
                for (int i = from; i < to; i++) out[i] = a[i] * s;
            }
            case DIV -> {
                for (int i = from; i < to; i++) out[i] = a[i] / s;
            }
            case RSUB -> {
                for (int i = from; i < to; i++) out[i] = s - a[i];
            }
            case RDIV -> {
                for (int i = from; i < to; i++) out[i] = s / a[i];
            }
            case MAX -> {
                // Math.max returns NaN when a[i] is NaN, as the contract asks.
                for (int i = from; i < to; i++) out[i] = Math.max(a[i], s);
            }
        }
    }

    /** {@code out[i] = f(a[i])}. */
    static void unary(UnaryOp op, double[] a, double[] out, int size) {
        switch (op) {
            case EXP -> {
                for (int i = 0; i < size; i++) out[i] = (double) Math.exp(a[i]);
            }
            case LOG -> {
                for (int i = 0; i < size; i++) out[i] = (double) Math.log(a[i]);
            }
            case SQRT -> {
                for (int i = 0; i < size; i++) out[i] = (double) Math.sqrt(a[i]);
            }
            case NEG -> {
                for (int i = 0; i < size; i++) out[i] = -a[i];
            }
        }
    }

    /** {@code out[i] = (a[i] op s) ? 1 : 0}; any comparison with NaN is false. */
    static void compare(CompareOp op, double[] a, double s, double[] out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] > s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case GE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] >= s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case LT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] < s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case LE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] <= s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case EQ -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] == s ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
        }
    }

    /** {@code out[i] = (a[i] op b[i]) ? 1 : 0}. */
    static void compare(CompareOp op, double[] a, double[] b, double[] out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] > b[i] ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case GE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] >= b[i] ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case LT -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] < b[i] ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case LE -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] <= b[i] ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
            case EQ -> {
                for (int i = 0; i < size; i++) {
                    int bit = a[i] == b[i] ? 1 : 0; // an int, not the constants 1.0 and 0.0: no branch
                    out[i] = bit;
                }
            }
        }
    }

    /** {@code out[i] = mask[i] != 0 ? value : a[i]}. */
    static void maskedFill(double[] a, double[] mask, double value, double[] out, int size) {
        /*64*/long fill = /*64*/Double.doubleToRawLongBits((/*64*/double) value);
        for (int i = 0; i < size; i++) { // a select on the bits: a branch would mispredict on a ReLU's random mask
            long keep = mask[i] != 0 ? 0L : -1L;
            out[i] = (double) EjmlTensor.selectBits(a[i], keep, fill);
        }
    }

    /** Reduces {@code x} over the middle axis of {@code span} into {@code out} ({@code [outer, inner]}). */
    static void reduce(ReduceOp op, double[] x, ReduceSpan span, double[] out) {
        switch (op) {
            case SUM -> sum(x, span, out, 1);
            case MEAN -> sum(x, span, out, span.length()); // an empty axis gives 0 / 0 = NaN, as NumPy's mean
            case MAX -> max(x, span, out);
            case ARGMAX -> argmax(x, span, out);
        }
    }

    /**
     * The sums along the axis divided by {@code divisor}. Along a contiguous row ({@code inner == 1}) one
     * 64-bit accumulator, rounded once (in float32 too: float accumulation loses digits over long axes);
     * across rows (the {@code [n, inner]} blocks, such as the bias gradient's axis 0) whole rows are added
     * into {@code out} in the element type, as NumPy's {@code sum(axis=0)} does, so that the reads run
     * along memory and nothing is allocated.
     */
    private static void sum(double[] x, ReduceSpan span, double[] out, int divisor) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            int base = o * n * inner;
            if (inner == 1) {
                /*64*/double acc = 0;
                for (int j = 0; j < n; j++) acc += x[base + j];
                out[o] = (double) (acc / divisor);
                continue;
            }
            int dst = o * inner;
            Arrays.fill(out, dst, dst + inner, 0);
            for (int j = 0; j < n; j++) {
                int src = base + j * inner;
                for (int k = 0; k < inner; k++) out[dst + k] += x[src + k];
            }
            if (divisor != 1) {
                for (int k = dst; k < dst + inner; k++) out[k] = out[k] / divisor;
            }
        }
    }

    private static void max(double[] x, ReduceSpan span, double[] out) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            int base = o * n * inner;
            if (inner == 1) {
                double m = x[base];
                for (int j = 1; j < n; j++) m = Math.max(m, x[base + j]);
                out[o] = m;
                continue;
            }
            int dst = o * inner;
            System.arraycopy(x, base, out, dst, inner);
            for (int j = 1; j < n; j++) {
                int src = base + j * inner;
                for (int k = 0; k < inner; k++) out[dst + k] = Math.max(out[dst + k], x[src + k]);
            }
        }
    }

    private static void argmax(double[] x, ReduceSpan span, double[] out) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            for (int k = 0; k < inner; k++) {
                out[o * inner + k] = argmax(x, o * n * inner + k, n, inner);
            }
        }
    }

    /** The index of the first maximum of {@code x[from + j * stride]}, or of the first NaN (as NumPy). */
    private static int argmax(double[] x, int from, int n, int stride) {
        int best = 0;
        double bestValue = x[from];
        if (Double.isNaN(bestValue)) {
            return 0;
        }
        for (int j = 1; j < n; j++) {
            double v = x[from + j * stride];
            if (Double.isNaN(v)) {
                return j;
            }
            if (v > bestValue) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }

    /**
     * Softmax of each row of {@code cols} elements of {@code x} into {@code p}, returning the summed
     * cross-entropy {@code -Σ t · log p} over the elements where {@code t != 0}: one pass per row instead
     * of the reference's five operations and temporaries. The row's maximum, log-sum-exp, log-probabilities
     * and the total are 64-bit in both element types (in float32 only {@code p} is rounded, once).
     */
    static /*64*/double softmaxCrossEntropy(double[] x, double[] t, double[] p, int rows, int cols) {
        /*64*/double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            /*64*/double max = rowMax(x, o, cols);
            /*64*/double sum = 0;
            for (int j = o; j < o + cols; j++) {
                sum += Math.exp(x[j] - max);
            }
            /*64*/double logSum = Math.log(sum);
            for (int j = o; j < o + cols; j++) {
                /*64*/double logP = (x[j] - max) - logSum;
                p[j] = (double) Math.exp(logP);
                if (t[j] != 0) {
                    total -= t[j] * logP;
                }
            }
        }
        return total;
    }

    /** The largest of {@code n} elements from {@code from}; NaN if one is NaN. */
    private static double rowMax(double[] x, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + n; j++) {
            double v = x[j];
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        return max;
    }

    // ---- convolution and pooling (the book's chapter 7) ------------------------------------------

    /**
     * The book's im2col of {@code x} ({@code [n, c, h, w]}) into {@code col}: one row per output cell in
     * (image, row, column) order, written front to back; each window row is one run of {@code fw}
     * elements of {@code x} (contiguous for any stride), with zeros where it falls in the padding.
     */
    static void im2col(double[] x, int n, int c, int h, int w, int fh, int fw, int stride, int pad, double[] col) {
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
                                Arrays.fill(col, k, k + fw, 0);
                                continue;
                            }
                            int src = (plane + row) * w + x0;
                            for (int j = 0; j < from; j++) col[k + j] = 0;
                            for (int j = from; j < to; j++) col[k + j] = x[src + j];
                            for (int j = to; j < fw; j++) col[k + j] = 0;
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: {@code x} zeroed, then each column element added to its cell. */
    static void col2im(double[] col, int n, int c, int h, int w, int fh, int fw, int stride, int pad, double[] x) {
        int oh = (h + 2 * pad - fh) / stride + 1, ow = (w + 2 * pad - fw) / stride + 1;
        Arrays.fill(x, 0, n * c * h * w, 0);
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
                            for (int j = from; j < to; j++) x[dst + j] += col[k + j];
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
    static void transposeBatch(double[] a, int batch, int rows, int cols, double[] out) {
        final int tile = 16;
        int plane = rows * cols;
        for (int b = 0, off = 0; b < batch; b++, off += plane) {
            if (rows == 1 || cols == 1) {
                System.arraycopy(a, off, out, off, plane);
                continue;
            }
            for (int r0 = 0; r0 < rows; r0 += tile) {
                int r1 = Math.min(rows, r0 + tile);
                for (int c0 = 0; c0 < cols; c0 += tile) {
                    int c1 = Math.min(cols, c0 + tile);
                    for (int r = r0; r < r1; r++) {
                        int src = off + r * cols;
                        for (int j = c0; j < c1; j++) {
                            out[off + j * rows + r] = a[src + j];
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
    static void maxPool(double[] x, int planes, int h, int w, int ph, int pw, int stride, int pad,
            double[] max, double[] argMax) {
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
                    double best = x[base + at];
                    window:
                    for (int i = iFrom; best == best && i < iTo; i++) { // best == best: not NaN, else it stays
                        int cell = base + (r0 + i) * w + c0;
                        for (int j = jFrom; j < jTo; j++) {
                            double v = x[cell + j];
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
                    max[k] = best;
                    argMax[k] = (double) at;
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
    private static void maxPool2x2(double[] x, int planes, int h, int w, int stride, int oh, int ow, double[] max,
            double[] argMax) {
        int k = 0;
        for (int p = 0; p < planes; p++) {
            int base = p * h * w;
            for (int y = 0; y < oh; y++) {
                int top = y * stride * w; // the window's first cell in the plane
                for (int xo = 0; xo < ow; xo++, k++) {
                    int c = top + xo * stride;
                    double a0 = x[base + c], a1 = x[base + c + 1], a2 = x[base + c + w], a3 = x[base + c + w + 1];
                    double m = Math.max(Math.max(a0, a1), Math.max(a2, a3)); // NaN if one is NaN
                    if (m != m) { // a NaN: the first one wins
                        int at = a0 != a0 ? c : a1 != a1 ? c + 1 : a2 != a2 ? c + w : c + w + 1;
                        max[k] = m;
                        argMax[k] = (double) at;
                        continue;
                    }
                    int at = a2 == m ? c + w : c + w + 1; // the first cell equal to the maximum, last test first
                    at = a1 == m ? c + 1 : at;
                    at = a0 == m ? c : at;
                    max[k] = x[base + at];
                    argMax[k] = (double) at;
                }
            }
        }
    }

    /**
     * The max-pooling backward scatter: {@code dx} ({@code [planes, inPlane]}) zeroed, then
     * {@code dx[p, argMax[p, q]] += dout[p, q]}; returns the flat index of the first position that is
     * not an integer in {@code 0 .. inPlane − 1} (nothing more is written then), or -1.
     */
    static int maxPoolBackward(double[] dout, double[] argMax, int planes, int outPlane, int inPlane, double[] dx) {
        Arrays.fill(dx, 0, planes * inPlane, 0);
        for (int p = 0, k = 0; p < planes; p++) {
            int base = p * inPlane;
            for (int q = 0; q < outPlane; q++, k++) {
                double v = argMax[k];
                int at = (int) v;
                if (at != v || at < 0 || at >= inPlane) { // NaN casts to 0 and fails the first test
                    return k;
                }
                dx[base + at] += dout[k];
            }
        }
        return -1;
    }
}
