package org.nnjava.benchmarks.bench;

import java.util.Locale;
import org.nnjava.tensor.DType;

/**
 * Whether two contestants computed the same step: the largest relative difference between their losses,
 * {@code |a - b| / max(|a|, |b|)}, over the steps both ran in a range; and the tolerances it is held to.
 *
 * <p>The library and the lean NumPy do the same arithmetic, in a different order only inside the
 * products and sums, so in float64 their losses must agree to {@value #FLOAT64} over hundreds of steps.
 * In float32 the rounding differences grow along the trajectory (SGD amplifies them): over the default
 * 800 steps they reach 9.3e-4 between the library and NumPy, and just as much between NumPy on one
 * thread and on two (measured); {@value #FLOAT32} still catches a step that computes something else,
 * which is off by far more within a few steps. The book-style NumPy adds 1e-7 inside its log (the book's
 * {@code cross_entropy_error}), which moves the loss by about 1e-7 relative per sample: its losses are held to
 * {@value #BOOK}.
 */
record LossAgreement(double maxRelativeDifference, int compared) {

    static final double FLOAT64 = 1e-9;
    static final double FLOAT32 = 1e-2;
    static final double BOOK = 1e-5;

    /** The comparison of {@code a} and {@code b} over steps {@code [from, to)} where both are known (not NaN). */
    static LossAgreement of(double[] a, double[] b, int from, int to) {
        double max = 0;
        int n = 0;
        for (int k = from; k < Math.min(to, Math.min(a.length, b.length)); k++) {
            if (Double.isNaN(a[k]) || Double.isNaN(b[k])) {
                continue;
            }
            double scale = Math.max(Math.abs(a[k]), Math.abs(b[k]));
            double d = scale == 0 ? 0 : Math.abs(a[k] - b[k]) / scale;
            max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
            n++;
        }
        return new LossAgreement(n == 0 ? Double.NaN : max, n);
    }

    /** The tolerance against the lean NumPy: {@link #FLOAT64} or {@link #FLOAT32}; for the book-style one, {@link #BOOK} at least. */
    static double tolerance(DType dtype, boolean book) {
        double t = dtype == DType.FLOAT64 ? FLOAT64 : FLOAT32;
        return book ? Math.max(t, BOOK) : t;
    }

    /** Whether at least one step was compared and every difference is within {@code tolerance}. */
    boolean agrees(double tolerance) {
        return compared > 0 && maxRelativeDifference <= tolerance;
    }

    String describe() {
        return compared == 0 ? "no common step" : String.format(Locale.ROOT, "max rel. diff %.1e over %d steps",
                maxRelativeDifference, compared);
    }
}
