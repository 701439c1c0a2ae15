package org.nnjava.backend.ejml;

/**
 * The fused softmax with cross-entropy ({@link org.nnjava.tensor.Tensor#softmaxCrossEntropy}) as one
 * pass per row over the backing arrays, computing what {@link org.nnjava.tensor.ReferenceOps#softmaxCrossEntropy}
 * composes from five tensor operations and their temporaries: per row, {@code m = max x} (NaN if any is
 * NaN), {@code logP = (x - m) - log Σ exp(x - m)}, {@code p = exp(logP)}, and the loss
 * {@code -Σ t · logP} over the elements where {@code t != 0}.
 */
final class SoftmaxCrossEntropyKernels {

    private SoftmaxCrossEntropyKernels() {
    }

    /** float64: rows of {@code cols} elements of {@code x} and {@code t}; writes {@code p}; returns the summed loss. */
    static double of(double[] x, double[] t, double[] p, int rows, int cols) {
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double max = rowMax(x, o, cols);
            double sum = 0;
            for (int j = o; j < o + cols; j++) {
                sum += Math.exp(x[j] - max);
            }
            double logSum = Math.log(sum);
            for (int j = o; j < o + cols; j++) {
                double logP = (x[j] - max) - logSum;
                p[j] = Math.exp(logP);
                if (t[j] != 0) {
                    total -= t[j] * logP;
                }
            }
        }
        return total;
    }

    /** float32: as {@link #of(double[], double[], double[], int, int)}, computed in double and rounded once. */
    static double of(float[] x, float[] t, float[] p, int rows, int cols) {
        double total = 0;
        for (int r = 0, o = 0; r < rows; r++, o += cols) {
            double max = rowMax(x, o, cols);
            double sum = 0;
            for (int j = o; j < o + cols; j++) {
                sum += Math.exp(x[j] - max);
            }
            double logSum = Math.log(sum);
            for (int j = o; j < o + cols; j++) {
                double logP = (x[j] - max) - logSum;
                p[j] = (float) Math.exp(logP);
                if (t[j] != 0) {
                    total -= t[j] * logP;
                }
            }
        }
        return total;
    }

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

    private static double rowMax(float[] x, int from, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = from; j < from + n; j++) {
            float v = x[j];
            if (Float.isNaN(v)) {
                return Double.NaN;
            }
            max = Math.max(max, v);
        }
        return max;
    }
}
