package org.nnjava.backend.ejml;

import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.CompareOp;
import org.nnjava.spi.ReduceOp;
import org.nnjava.spi.ReduceSpan;
import org.nnjava.spi.ScalarOp;
import org.nnjava.spi.UnaryOp;

/**
 * The float32 loops, computing in {@code float} as Java's float arithmetic does (functions through
 * {@code Math} in double, rounded back), except that sums accumulate in {@code double} for accuracy.
 * Each operation has its own loop, chosen once per call (or once per row), so the inner loops are
 * plain array arithmetic that the JIT can unroll and vectorise. Elementwise loops read {@code a[i]}
 * and {@code b[i]} before writing {@code out[i]}, so {@code out} may be {@code a} or {@code b}.
 */
final class FloatKernels {

    private FloatKernels() {
    }

    /** {@code out = a op b}, {@code b} laid out as {@code mode} says; {@code cols} is a's last dim. */
    static void binary(BinaryOp op, Broadcast mode, float[] a, float[] b, float[] out, int size, int cols) {
        switch (mode) {
            case SAME -> pairwise(op, a, b, out, 0, size);
            case SCALAR -> withScalar(op.scalarForm(), a, b[0], out, 0, size);
            case ROW -> {
                for (int from = 0; from < size; from += cols) {
                    pairwise(op, a, b, out, from, cols);
                }
            }
            case COLUMN -> {
                for (int r = 0, from = 0; from < size; r++, from += cols) {
                    withScalar(op.scalarForm(), a, b[r], out, from, from + cols);
                }
            }
        }
    }

    /** {@code out[from + i] = a[from + i] op b[i]} for {@code i < len}: a row, or all with from 0. */
    private static void pairwise(BinaryOp op, float[] a, float[] b, float[] out, int from, int len) {
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
    static void withScalar(ScalarOp op, float[] a, float s, float[] out, int from, int to) {
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
    static void unary(UnaryOp op, float[] a, float[] out, int size) {
        switch (op) {
            case EXP -> {
                for (int i = 0; i < size; i++) out[i] = (float) Math.exp(a[i]);
            }
            case LOG -> {
                for (int i = 0; i < size; i++) out[i] = (float) Math.log(a[i]);
            }
            case SQRT -> {
                for (int i = 0; i < size; i++) out[i] = (float) Math.sqrt(a[i]);
            }
            case NEG -> {
                for (int i = 0; i < size; i++) out[i] = -a[i];
            }
        }
    }

    /** {@code out[i] = (a[i] op s) ? 1 : 0}; any comparison with NaN is false. */
    static void compare(CompareOp op, float[] a, float s, float[] out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) out[i] = a[i] > s ? 1 : 0;
            }
            case GE -> {
                for (int i = 0; i < size; i++) out[i] = a[i] >= s ? 1 : 0;
            }
            case LT -> {
                for (int i = 0; i < size; i++) out[i] = a[i] < s ? 1 : 0;
            }
            case LE -> {
                for (int i = 0; i < size; i++) out[i] = a[i] <= s ? 1 : 0;
            }
            case EQ -> {
                for (int i = 0; i < size; i++) out[i] = a[i] == s ? 1 : 0;
            }
        }
    }

    /** {@code out[i] = (a[i] op b[i]) ? 1 : 0}. */
    static void compare(CompareOp op, float[] a, float[] b, float[] out, int size) {
        switch (op) {
            case GT -> {
                for (int i = 0; i < size; i++) out[i] = a[i] > b[i] ? 1 : 0;
            }
            case GE -> {
                for (int i = 0; i < size; i++) out[i] = a[i] >= b[i] ? 1 : 0;
            }
            case LT -> {
                for (int i = 0; i < size; i++) out[i] = a[i] < b[i] ? 1 : 0;
            }
            case LE -> {
                for (int i = 0; i < size; i++) out[i] = a[i] <= b[i] ? 1 : 0;
            }
            case EQ -> {
                for (int i = 0; i < size; i++) out[i] = a[i] == b[i] ? 1 : 0;
            }
        }
    }

    /** {@code out[i] = mask[i] != 0 ? value : a[i]}. */
    static void maskedFill(float[] a, float[] mask, float value, float[] out, int size) {
        for (int i = 0; i < size; i++) {
            out[i] = mask[i] != 0 ? value : a[i];
        }
    }

    /** Reduces {@code x} over the middle axis of {@code span} into {@code out} ({@code [outer, inner]}). */
    static void reduce(ReduceOp op, float[] x, ReduceSpan span, float[] out) {
        switch (op) {
            case SUM -> sum(x, span, out);
            case MEAN -> mean(x, span, out);
            case MAX -> max(x, span, out);
            case ARGMAX -> argmax(x, span, out);
        }
    }

    private static void sum(float[] x, ReduceSpan span, float[] out) {
        double[] sums = sums(x, span);
        for (int i = 0; i < sums.length; i++) out[i] = (float) sums[i];
    }

    private static void mean(float[] x, ReduceSpan span, float[] out) {
        double[] sums = sums(x, span);
        int n = span.length();
        for (int i = 0; i < sums.length; i++) out[i] = (float) (sums[i] / n);
    }

    /** The sums in double, {@code [outer, inner]}: float accumulation loses digits over long axes. */
    private static double[] sums(float[] x, ReduceSpan span) {
        int n = span.length();
        int inner = span.inner();
        double[] acc = new double[span.outer() * inner];
        for (int o = 0; o < span.outer(); o++) {
            int base = o * n * inner;
            int dst = o * inner;
            if (inner == 1) {
                double s = 0;
                for (int j = 0; j < n; j++) s += x[base + j];
                acc[o] = s;
                continue;
            }
            // Accumulate whole rows of [n, inner] so that the reads run along memory.
            for (int j = 0; j < n; j++) {
                int src = base + j * inner;
                for (int k = 0; k < inner; k++) acc[dst + k] += x[src + k];
            }
        }
        return acc;
    }

    private static void max(float[] x, ReduceSpan span, float[] out) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            int base = o * n * inner;
            if (inner == 1) {
                float m = x[base];
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

    private static void argmax(float[] x, ReduceSpan span, float[] out) {
        int n = span.length();
        int inner = span.inner();
        for (int o = 0; o < span.outer(); o++) {
            for (int k = 0; k < inner; k++) {
                out[o * inner + k] = argmax(x, o * n * inner + k, n, inner);
            }
        }
    }

    /** The index of the first maximum of {@code x[from + j * stride]}, or of the first NaN (as NumPy). */
    private static int argmax(float[] x, int from, int n, int stride) {
        int best = 0;
        float bestValue = x[from];
        if (Float.isNaN(bestValue)) {
            return 0;
        }
        for (int j = 1; j < n; j++) {
            float v = x[from + j * stride];
            if (Float.isNaN(v)) {
                return j;
            }
            if (v > bestValue) {
                best = j;
                bestValue = v;
            }
        }
        return best;
    }
}
