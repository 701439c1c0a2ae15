package org.nnjava.backend.ejml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.conformance.StaleStorage;
import org.nnjava.tensor.Tensor;

/**
 * Checks {@link DoubleGemm} and {@link FloatGemm} (generated from it at build time) against a plain
 * triple loop written here, for every transpose combination, both the direct and the transposed
 * computation, one and two threads, and shapes that are and are not multiples of the kernel's 3x3
 * block; and that the tensors' matmul reaches them with the operands the right way round.
 */
class GemmTest {

    /** {@code m, n, k}: the output's rows and columns and the depth. */
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 1, 5}, {1, 7, 1}, {6, 1, 1}, {2, 2, 2}, {3, 3, 3}, {4, 4, 4}, {2, 5, 4},
        {7, 5, 13}, {5, 11, 7}, {13, 7, 5}, {31, 3, 17}, {3, 31, 17}, {64, 65, 66}, {100, 10, 50},
        {100, 50, 10}, {50, 10, 100}, {100, 50, 784}, {784, 50, 100},
    };

    static List<int[]> shapes() {
        return Arrays.asList(SHAPES);
    }

    /** The oracle: {@code Σ_p op(a)[i, p] · op(b)[p, j]} in float64, and the sum of the terms' sizes. */
    private static double[][] oracle(double[] a, boolean ta, double[] b, boolean tb, int m, int n, int k) {
        double[] sum = new double[m * n];
        double[] magnitude = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    double x = ta ? a[p * m + i] : a[i * k + p];
                    double y = tb ? b[j * k + p] : b[p * n + j];
                    sum[i * n + j] += x * y;
                    magnitude[i * n + j] += Math.abs(x * y);
                }
            }
        }
        return new double[][] {sum, magnitude};
    }

    private static double[] gaussian(Random random, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static float[] toFloat(double[] values) {
        float[] result = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (float) values[i];
        }
        return result;
    }

    private static double[] toDouble(float[] values) {
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i];
        }
        return result;
    }

    /** Every element within {@code tolerance} times the sum of its terms' sizes of the oracle's value. */
    private static void assertClose(double[][] expected, double[] actual, double tolerance, String what) {
        double[] sum = expected[0];
        double[] magnitude = expected[1];
        for (int i = 0; i < sum.length; i++) {
            double allowed = tolerance * Math.max(magnitude[i], Double.MIN_NORMAL);
            assertTrue(Math.abs(actual[i] - sum[i]) <= allowed,
                    what + ": element " + i + " is " + actual[i] + ", expected " + sum[i] + " within " + allowed);
        }
    }

    private static String describe(int[] shape, boolean ta, boolean tb, int parts, boolean transposed) {
        return "m=" + shape[0] + " n=" + shape[1] + " k=" + shape[2] + (ta ? " Aᵀ" : " A") + (tb ? " Bᵀ" : " B")
                + ", " + parts + " thread(s), " + (transposed ? "computing cᵀ" : "computing c");
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void float64MatchesTheOracle(int[] shape) {
        int m = shape[0];
        int n = shape[1];
        int k = shape[2];
        Random random = new Random(31L * m + 7L * n + k);
        double[] a = gaussian(random, m * k);
        double[] b = gaussian(random, k * n);
        for (int combination = 0; combination < 4; combination++) {
            boolean ta = (combination & 1) != 0;
            boolean tb = (combination & 2) != 0;
            double[][] expected = oracle(a, ta, b, tb, m, n, k);
            for (int parts = 1; parts <= 2; parts++) {
                for (boolean transposed : new boolean[] {false, true}) {
                    double[] c = new double[m * n + 3];
                    Arrays.fill(c, Double.NaN); // old contents must not leak
                    DoubleGemm.multiply(a, ta, b, tb, c, m, n, k, parts, transposed);
                    String what = describe(shape, ta, tb, parts, transposed);
                    assertClose(expected, c, 1e-12, what);
                    for (int i = m * n; i < c.length; i++) {
                        assertTrue(Double.isNaN(c[i]), what + ": wrote past the matrix at " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void float32MatchesTheOracle(int[] shape) {
        int m = shape[0];
        int n = shape[1];
        int k = shape[2];
        Random random = new Random(17L * m + 5L * n + k);
        float[] a = toFloat(gaussian(random, m * k));
        float[] b = toFloat(gaussian(random, k * n));
        for (int combination = 0; combination < 4; combination++) {
            boolean ta = (combination & 1) != 0;
            boolean tb = (combination & 2) != 0;
            double[][] expected = oracle(toDouble(a), ta, toDouble(b), tb, m, n, k);
            for (int parts = 1; parts <= 2; parts++) {
                for (boolean transposed : new boolean[] {false, true}) {
                    float[] c = new float[m * n];
                    Arrays.fill(c, Float.NaN);
                    FloatGemm.multiply(a, ta, b, tb, c, m, n, k, parts, transposed);
                    assertClose(expected, toDouble(c), 1e-5, describe(shape, ta, tb, parts, transposed));
                }
            }
        }
    }

    @Test
    void theDefaultChoicesMatchTheOracleOnTheTrainingStepsShapes() {
        int[][] products = {{100, 50, 784, 0}, {784, 50, 100, 1}, {100, 10, 50, 0}, {100, 50, 10, 2}, {50, 10, 100, 1}};
        Random random = new Random(1);
        for (int[] product : products) {
            int m = product[0];
            int n = product[1];
            int k = product[2];
            boolean ta = product[3] == 1;
            boolean tb = product[3] == 2;
            double[] a = gaussian(random, m * k);
            double[] b = gaussian(random, k * n);
            double[][] expected = oracle(a, ta, b, tb, m, n, k);
            double[] c = new double[m * n];
            DoubleGemm.multiply(a, ta, b, tb, c, m, n, k);
            assertClose(expected, c, 1e-12, "float64 " + Arrays.toString(product));
            float[] cf = new float[m * n];
            FloatGemm.multiply(toFloat(a), ta, toFloat(b), tb, cf, m, n, k);
            double[][] expectedFloat = oracle(toDouble(toFloat(a)), ta, toDouble(toFloat(b)), tb, m, n, k);
            assertClose(expectedFloat, toDouble(cf), 1e-5, "float32 " + Arrays.toString(product));
        }
    }

    @Test
    void scratchReusedAcrossShrinkingAndGrowingShapesGivesTheSameResults() {
        int[][] sequence = {{64, 65, 66}, {5, 3, 2}, {100, 50, 784}, {7, 13, 5}, {64, 65, 66}};
        Random random = new Random(2);
        for (int[] shape : sequence) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            double[] a = gaussian(random, m * k);
            double[] b = gaussian(random, k * n);
            double[][] expected = oracle(a, false, b, true, m, n, k);
            double[] c = new double[m * n];
            Arrays.fill(c, Double.NaN);
            DoubleGemm.multiply(a, false, b, true, c, m, n, k, 2, m > n);
            assertClose(expected, c, 1e-12, "shape " + Arrays.toString(shape));
        }
    }

    @Test
    void emptyOutputsAreLeftAlone() {
        double[] c = {Double.NaN};
        DoubleGemm.multiply(new double[0], false, new double[3], false, c, 0, 1, 3, 2, false);
        DoubleGemm.multiply(new double[3], false, new double[0], false, c, 1, 0, 3, 2, true);
        assertTrue(Double.isNaN(c[0]));
    }

    /** Several threads multiplying at once share the helper threads; each must get its own product. */
    @Test
    void concurrentCallersEachGetTheirOwnProduct() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int caller = 0; caller < 8; caller++) {
                long seed = caller;
                Callable<Boolean> work = () -> {
                    Random random = new Random(seed);
                    int m = 40 + (int) seed;
                    int n = 30;
                    int k = 50;
                    double[] a = gaussian(random, m * k);
                    double[] b = gaussian(random, k * n);
                    double[][] expected = oracle(a, false, b, false, m, n, k);
                    double[] c = new double[m * n];
                    for (int round = 0; round < 20; round++) {
                        DoubleGemm.multiply(a, false, b, false, c, m, n, k, 2, round % 2 == 0);
                        assertClose(expected, c, 1e-12, "caller " + seed + ", round " + round);
                    }
                    return true;
                };
                results.add(pool.submit(work));
            }
            for (Future<Boolean> result : results) {
                assertEquals(true, result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Big enough for the tensors to use the pure-Java kernel rather than EJML's. */
    @ParameterizedTest
    @EnumSource(DType.class)
    void tensorMatmulUsesTheKernelWithTheOperandsTheRightWayRound(DType dtype) {
        Backend backend = new EjmlBackendProvider().create(dtype);
        int m = 40;
        int n = 30;
        int k = 50;
        assertTrue(EjmlTensor.usesOwnGemm(m, n, k) || !FmaSupport.isIntrinsic());
        Random random = new Random(3);
        double tolerance = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
        for (int combination = 0; combination < 4; combination++) {
            boolean ta = (combination & 1) != 0;
            boolean tb = (combination & 2) != 0;
            double[] a = toDouble(toFloat(gaussian(random, m * k))); // exact in both dtypes
            double[] b = toDouble(toFloat(gaussian(random, k * n)));
            Tensor left = ta ? backend.fromArray(a, k, m) : backend.fromArray(a, m, k);
            Tensor right = tb ? backend.fromArray(b, n, k) : backend.fromArray(b, k, n);
            double[][] expected = oracle(a, ta, b, tb, m, n, k);
            assertClose(expected, left.matmul(right, ta, tb).toDoubleArray(), tolerance, dtype + " " + combination);
            // In a step arena the product gets the storage the previous step left all NaN: the kernel
            // must overwrite every element.
            Tensor product = StaleStorage.onStaleStorage(backend, new int[] {m, n}, () -> left.matmul(right, ta, tb));
            assertClose(expected, product.toDoubleArray(), tolerance, dtype + " " + combination + " into stale storage");
        }
    }
}
