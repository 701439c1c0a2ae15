package org.nnjava.conformance;

import java.util.Random;
import org.nnjava.tensor.DType;

/**
 * Deterministic inputs for the kit. Every value is a float (stored in a double), so that a float32
 * backend holds exactly the numbers the {@link Oracle} computes with, and the two dtypes see one input.
 */
public final class TestData {

    private TestData() {
    }

    /** {@code n} standard normal values from {@code new Random(seed)}, rounded to float. */
    public static double[] gaussian(long seed, int n) {
        Random random = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) random.nextGaussian();
        }
        return out;
    }

    /** {@code n} class indices in {@code [0, classes)} from {@code new Random(seed)}. */
    public static int[] labels(long seed, int n, int classes) {
        Random random = new Random(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextInt(classes);
        }
        return out;
    }

    /** {@code n} values in {@code [0.5, 2)} from {@code new Random(seed)}, rounded to float: safe to divide by, take logs and roots of. */
    public static double[] positive(long seed, int n) {
        Random random = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (0.5 + 1.5 * random.nextDouble());
        }
        return out;
    }

    /** {@code n} values of {@code [0.5, 2)}, each given a random sign: away from zero, safe to divide by. */
    public static double[] nonZero(long seed, int n) {
        double[] out = positive(seed, n);
        Random signs = new Random(~seed);
        for (int i = 0; i < n; i++) {
            out[i] = signs.nextBoolean() ? out[i] : -out[i];
        }
        return out;
    }

    /** {@code 1, 2, ..., n}: easy to read in a failure message. */
    public static double[] counting(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i + 1;
        }
        return out;
    }

    /** The given literals in the dtype's precision (rounded to float for float32), as the backend will hold them. */
    public static double[] inPrecision(DType dtype, double... values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Tolerance.inPrecision(values[i], dtype);
        }
        return out;
    }
}
