package org.nnjava.backend.nd4j;

import static org.nnjava.conformance.StaleStorage.onStaleStorage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * Every kernel of the nd4j backend on small inputs, in both dtypes, against plain Java loops; and the
 * places where ND4J's own ops depart from IEEE 754 / NumPy, which the backend once patched and now
 * avoids (NaN in max, maximum and argmax; BOOL comparison results; empty arrays; the global default
 * dtype). The conformance kit checks the contract at length; this test gives quick feedback.
 */
class Nd4jSmokeTest {

    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    // ---- elementwise ----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void sameShapeArithmeticAndAliasing(DType dtype) {
        Backend nd = backend(dtype);
        Tensor a = nd.randn(1, 2, 3, 4);
        Tensor b = nd.randn(2, 2, 3, 4).addInPlace(5.0); // away from 0, for division
        List<BinaryCase> cases = List.of(
                new BinaryCase(Tensor::add, Tensor::addInPlace, (x, y) -> x + y),
                new BinaryCase(Tensor::sub, Tensor::subInPlace, (x, y) -> x - y),
                new BinaryCase(Tensor::mul, Tensor::mulInPlace, (x, y) -> x * y),
                new BinaryCase(Tensor::div, Tensor::divInPlace, (x, y) -> x / y));
        for (BinaryCase c : cases) {
            double[] expected = zip(a.toDoubleArray(), b.toDoubleArray(), c.oracle());
            assertValues(expected, c.op().apply(a, b), dtype);
            Tensor inPlace = a.copy();
            assertSame(inPlace, c.inPlace().apply(inPlace, b));
            assertValues(expected, inPlace, dtype);
            Tensor self = a.copy(); // out == this == b
            assertValues(zip(a.toDoubleArray(), a.toDoubleArray(), c.oracle()), c.inPlace().apply(self, self), dtype);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rowColumnAndScalarBroadcasts(DType dtype) {
        Backend nd = backend(dtype);
        Tensor m = nd.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(new double[] {11, 22, 33, 14, 25, 36}, m.add(nd.fromArray(new double[] {10, 20, 30}, 3)), dtype);
        assertValues(new double[] {10, 40, 90, 40, 100, 180}, m.mul(nd.fromArray(new double[] {10, 20, 30}, 1, 3)), dtype);
        assertValues(new double[] {-9, -8, -7, -16, -15, -14}, m.sub(nd.fromArray(new double[] {10, 20}, 2, 1)), dtype);
        assertValues(new double[] {0.5, 1, 1.5, 1, 1.25, 1.5}, m.div(nd.fromArray(new double[] {2, 4}, 2, 1)), dtype);
        Tensor cube = nd.fromArray(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
        assertValues(new double[] {0, 0, 0, 3, 3, 3, 6, 6, 6, 9, 9, 9}, cube.sub(nd.fromArray(new double[] {1, 2, 3}, 3)), dtype);
        assertValues(new double[] {3, 4, 5, 6, 7, 8}, m.add(nd.scalar(2)), dtype);
        assertValues(new double[] {2, 4, 6, 8, 10, 12}, m.mul(nd.fromArray(new double[] {2}, 1, 1)), dtype);
        Tensor rowInPlace = m.copy();
        rowInPlace.addInPlace(nd.fromArray(new double[] {1, 1, 1}, 3));
        assertValues(new double[] {2, 3, 4, 5, 6, 7}, rowInPlace, dtype);
        Tensor columnInPlace = m.copy();
        columnInPlace.mulInPlace(nd.fromArray(new double[] {-1, 2}, 2, 1));
        assertValues(new double[] {-1, -2, -3, 8, 10, 12}, columnInPlace, dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarOpsAndNaNInMaximum(DType dtype) {
        Backend nd = backend(dtype);
        double[] x = {-2, -0.5, 0, 1.5, NAN, INF, -INF};
        Tensor t = vector(nd, x);
        assertValues(map(x, v -> v + 2), t.add(2), dtype);
        assertValues(map(x, v -> v - 2), t.sub(2), dtype);
        assertValues(map(x, v -> v * 3), t.mul(3), dtype);
        assertValues(map(x, v -> v / 4), t.div(4), dtype);
        assertValues(map(x, v -> 1 - v), t.rsub(1), dtype);
        assertValues(map(x, v -> 1 / v), t.rdiv(1), dtype);
        // ND4J's ScalarMax would give 0 and 0.5 for the NaN: the contract keeps NaN.
        assertValues(map(x, v -> Math.max(v, 0)), t.maximum(0), dtype);
        assertValues(map(x, v -> Math.max(v, 0.5)), t.maximum(0.5), dtype);
        assertValues(map(x, v -> NAN), t.maximum(NAN), dtype); // ND4J keeps x; Math.max(x, NaN) is NaN
        assertValues(map(x, v -> Math.max(v, 0)), t.maximum(0), dtype);
        assertValues(map(x, v -> v + 1), t.copy().addInPlace(1), dtype);
        assertValues(map(x, v -> v * -1), t.copy().mulInPlace(-1), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryFunctionsFollowIeee(DType dtype) {
        Backend nd = backend(dtype);
        double[] x = {0, -1, 1, 2.5, -INF, INF, NAN, 80};
        Tensor t = vector(nd, x);
        assertValues(map(x, Math::exp), t.exp(), dtype);
        assertValues(map(x, Math::log), t.log(), dtype); // log(0) = -inf, log(-1) = NaN
        assertValues(map(x, Math::sqrt), t.sqrt(), dtype); // sqrt(-1) = NaN
        assertValues(map(x, v -> -v), t.neg(), dtype);
    }

    // ---- matmul ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithEachTransposeAgainstATripleLoop(DType dtype) {
        Backend nd = backend(dtype);
        int m = 3;
        int k = 4;
        int n = 5;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? nd.randn(3, k, m) : nd.randn(3, m, k);
                Tensor b = tb ? nd.randn(4, n, k) : nd.randn(4, k, n);
                double[] expected = matmul(a.toDoubleArray(), ta, b.toDoubleArray(), tb, m, k, n);
                String which = "transposeThis=" + ta + ", transposeB=" + tb;
                assertValues(which, expected, new int[] {m, n}, a.matmul(b, ta, tb), dtype);
                // beta = 0: the old contents of recycled storage, even NaN, must not leak in
                Tensor out = onStaleStorage(nd, new int[] {m, n}, () -> a.matmul(b, ta, tb));
                assertValues(which + " (recycled)", expected, new int[] {m, n}, out, dtype);
            }
        }
        assertValues(new double[6], nd.zeros(2, 0).matmul(nd.zeros(0, 3)), dtype); // ND4J rejects k = 0
    }

    // ---- reductions -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsAlongEveryAxisOfA3dTensor(DType dtype) {
        Backend nd = backend(dtype);
        int[] dims = {2, 3, 4};
        Tensor t = nd.randn(5, dims);
        double[] x = t.toDoubleArray();
        for (int axis : new int[] {0, 1, 2, -1}) {
            int a = axis < 0 ? axis + 3 : axis;
            int[] reduced = dropAxis(dims, a);
            assertValues("sum " + axis, reduce(x, dims, a, Reduction.SUM), reduced, t.sum(axis), dtype);
            assertValues("mean " + axis, reduce(x, dims, a, Reduction.MEAN), reduced, t.mean(axis), dtype);
            assertValues("max " + axis, reduce(x, dims, a, Reduction.MAX), reduced, t.max(axis), dtype);
            assertValues("argmax " + axis, reduce(x, dims, a, Reduction.ARGMAX), reduced, t.argmax(axis), dtype);
            int along = axis;
            Tensor out = onStaleStorage(nd, reduced, () -> t.sum(along));
            assertValues("sum into recycled storage " + axis, reduce(x, dims, a, Reduction.SUM), reduced, out, dtype);
        }
        double total = 0;
        double largest = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            total += v;
            largest = Math.max(largest, v);
        }
        assertValues("sum()", new double[] {total}, new int[0], t.sum(), dtype);
        assertValues("mean()", new double[] {total / x.length}, new int[0], t.mean(), dtype);
        assertValues("max()", new double[] {largest}, new int[0], t.max(), dtype);
        assertValues("sum of a rank-0", new double[] {7}, new int[0], nd.scalar(7).sum(), dtype);
        assertValues("max of a vector", new double[] {3}, new int[0], vector(nd, new double[] {1, 3, 2}).max(0), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxAndArgmaxPropagateNaNAndArgmaxTakesTheFirstTie(DType dtype) {
        Backend nd = backend(dtype);
        Tensor ties = nd.fromArray(new double[] {1, 5, 5, 7, 7, 2}, 2, 3);
        assertValues(new double[] {1, 0}, ties.argmax(1), dtype);
        assertValues(new double[] {1, 1, 0}, ties.argmax(0), dtype);
        // ND4J alone gives max [5, 3] and argmax [2, 0]: it skips NaN. NumPy: NaN, and the first NaN's index.
        Tensor withNaN = nd.fromArray(new double[] {1, NAN, 5, NAN, 3, 2, 1, 0}, 2, 4);
        assertValues(new double[] {NAN, 3}, withNaN.max(1), dtype);
        assertValues(new double[] {1, 0}, withNaN.argmax(1), dtype);
        assertValues(new double[] {3, NAN, 5, NAN}, withNaN.max(0), dtype);
        assertValues(new double[] {1, 0, 0, 0}, withNaN.argmax(0), dtype);
        assertValues(new double[] {NAN}, new int[0], withNaN.max(), dtype);
        Tensor cube = nd.fromArray(new double[] {0, 1, 2, 3, NAN, 5, 6, 7}, 2, 2, 2);
        assertValues(new double[] {2, 3, NAN, 7}, new int[] {2, 2}, cube.max(1), dtype);
        assertValues(new double[] {1, 1, 0, 1}, new int[] {2, 2}, cube.argmax(1), dtype);
    }

    // ---- comparisons and masks ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void comparisonsGiveOneAndZeroInTheTensorsDtypeAndAreFalseForNaN(DType dtype) {
        Backend nd = backend(dtype);
        double[] x = {-1, 0, 0.5, 1, NAN};
        Tensor t = vector(nd, x);
        assertValues(map(x, v -> v > 0.5 ? 1 : 0), t.gt(0.5), dtype);
        assertValues(map(x, v -> v >= 0.5 ? 1 : 0), t.ge(0.5), dtype);
        assertValues(map(x, v -> v < 0.5 ? 1 : 0), t.lt(0.5), dtype);
        assertValues(map(x, v -> v <= 0.5 ? 1 : 0), t.le(0.5), dtype);
        assertValues(map(x, v -> v == 0.5 ? 1 : 0), t.eq(0.5), dtype);
        assertValues(new double[] {1, 0, 1, 1, 0}, t.eq(vector(nd, new double[] {-1, 1e-3, 0.5, 1, NAN})), dtype);
        assertEquals(dtype == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT, array(t.gt(0)).dataType());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maskedFillLeavesUnmaskedElementsBitIdentical(DType dtype) {
        Backend nd = backend(dtype);
        double[] x = {INF, -INF, NAN, -0.0, 1e30, 2, 3};
        double[] mask = {0, 1, 0, 0, 1, 0, NAN}; // NaN is non-zero, so it masks
        double[] expected = {INF, -7, NAN, -0.0, -7, 2, -7};
        Tensor t = vector(nd, x);
        Tensor m = vector(nd, mask);
        assertBits(expected, t.maskedFill(m, -7), dtype);
        assertBits(x, t, dtype); // maskedFill leaves its input alone
    }

    // ---- shape, views, copies -------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeViewsShareWritesBothWays(DType dtype) {
        Backend nd = backend(dtype);
        Tensor t = nd.fromArray(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor v = t.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, v.shape().dims());
        v.set(99, 1, 0);
        assertEquals(99, t.get(0, 2));
        t.set(-1, 1, 2);
        assertEquals(-1, v.get(2, 1));
        v.addInPlace(1.0);
        assertValues(new double[] {1, 2, 100, 4, 5, 0}, new int[] {2, 3}, t, dtype);
        t.reshape(6).assign(new double[] {6, 5, 4, 3, 2, 1});
        assertValues(new double[] {6, 5, 4, 3, 2, 1}, new int[] {3, 2}, v, dtype);
        t.reshape(1, 2, 3).assign(new float[] {1, 1, 1, 1, 1, 1});
        assertValues(new double[] {1, 1, 1, 1, 1, 1}, new int[] {3, 2}, v, dtype);
        v.assign(nd.fromArray(new double[] {7, 7, 7, 7, 7, 7}, 3, 2));
        assertEquals(7, t.get(1, 1));

        Tensor one = nd.zeros(1, 1);
        Tensor scalar = one.reshape();
        assertEquals(0, scalar.rank());
        scalar.set(4);
        assertEquals(4, one.get(0, 0));
        scalar.reshape(1, 1, 1).set(5, 0, 0, 0);
        assertEquals(5, one.item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposeAndGatherRows(DType dtype) {
        Backend nd = backend(dtype);
        Tensor m = nd.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertValues(new double[] {1, 4, 2, 5, 3, 6}, new int[] {3, 2}, m.transpose(), dtype);
        Tensor rows = nd.fromArray(new double[] {0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32}, 4, 3);
        assertValues(new double[] {30, 31, 32, 0, 1, 2, 30, 31, 32}, new int[] {3, 3},
                rows.gatherRows(new int[] {3, 0, 3}), dtype);
        Tensor out = onStaleStorage(nd, new int[] {2, 3}, () -> rows.gatherRows(new int[] {2, 1}));
        assertValues(new double[] {20, 21, 22, 10, 11, 12}, new int[] {2, 3}, out, dtype);
        Tensor cube = nd.fromArray(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 2, 2);
        assertValues(new double[] {8, 9, 10, 11, 0, 1, 2, 3}, new int[] {2, 2, 2}, cube.gatherRows(new int[] {2, 0}), dtype);
        assertValues(new double[] {4, 1}, vector(nd, new double[] {0, 1, 2, 3, 4}).gatherRows(new int[] {4, 1}), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementsAndCopies(DType dtype) {
        Backend nd = backend(dtype);
        Tensor t = nd.zeros(2, 2);
        t.set(0.1, 1, 0);
        double stored = dtype == DType.FLOAT32 ? (float) 0.1 : 0.1;
        assertEquals(stored, t.get(1, 0));
        assertEquals((float) 0.1, t.toFloatArray()[2]);
        Tensor copy = t.copy();
        copy.set(5, 0, 0);
        assertEquals(0, t.get(0, 0)); // a deep copy
        t.assign(new float[] {1.5f, 2.5f, 3.5f, 4.5f});
        assertArrayEquals(new double[] {1.5, 2.5, 3.5, 4.5}, t.toDoubleArray());
        t.assign(new double[] {1e-10, 2, 3, 1 + 1e-12});
        assertEquals(dtype == DType.FLOAT32 ? (double) (float) 1e-10 : 1e-10, t.toDoubleArray()[0]);
        assertEquals(dtype == DType.FLOAT32 ? 1.0 : 1 + 1e-12, t.get(1, 1));
        assertEquals(7.0, nd.scalar(7).item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyResultKeepsTheBackendsDataType(DType dtype) {
        Backend nd = backend(dtype);
        DataType expected = dtype == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
        Tensor a = nd.randn(6, 2, 3);
        Tensor b = nd.randn(7, 3, 2);
        List<Tensor> results = List.of(a.add(a), a.add(2), a.exp(), a.maximum(0), a.matmul(b), a.sum(0), a.sum(),
                a.mean(1), a.max(1), a.argmax(1), a.gt(0), a.eq(a), a.maskedFill(a.gt(0), 1), a.transpose(),
                a.gatherRows(new int[] {1}), a.reshape(6), a.copy(), nd.copyOf(a), a.softmax());
        for (Tensor r : results) {
            assertEquals(dtype, r.dtype());
            assertEquals(expected, array(r).dataType(), () -> "the array under " + r.shape());
            assertEquals('c', array(r).ordering());
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void ignoresNd4jsGlobalDefaultDataType(DType dtype) {
        DataType defaultType = Nd4j.dataType();
        DataType defaultFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.FLOAT16, DataType.FLOAT16);
        try {
            Backend nd = backend(dtype);
            Tensor t = vector(nd, new double[] {1 + 1e-12, 70000}).add(nd.zeros(2)).mul(1.0);
            double expected = dtype == DType.FLOAT64 ? 1 + 1e-12 : 1.0;
            assertValues(new double[] {expected, 70000}, t, dtype); // FLOAT16 would give 1 and inf
            assertEquals(dtype == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT, array(nd.zeros(3)).dataType());
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultFloat);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void emptyShapes(DType dtype) {
        Backend nd = backend(dtype);
        Tensor empty = nd.zeros(0, 3);
        assertEquals(0, empty.size());
        assertEquals(0, empty.copy().toDoubleArray().length);
        assertEquals(0, nd.fromArray(new double[0], 2, 0).toFloatArray().length);
        assertArrayEquals(new int[] {3, 0}, empty.reshape(3, 0).shape().dims());
        assertArrayEquals(new int[] {0, 3}, empty.add(empty).exp().gt(0).shape().dims());
        assertValues(new double[] {0, 0, 0}, empty.sum(0), dtype);
        assertValues(new double[] {NAN, NAN, NAN}, empty.mean(0), dtype);
        assertValues(new double[] {0}, new int[0], empty.sum(), dtype);
        assertArrayEquals(new int[] {0}, empty.max(1).shape().dims());
        assertArrayEquals(new int[] {0, 3}, nd.zeros(4, 3).gatherRows(new int[0]).shape().dims());
        assertArrayEquals(new int[] {3, 0}, empty.transpose().shape().dims());
    }

    // ---- oracles and assertions -----------------------------------------------------------------

    private record BinaryCase(BiFunction<Tensor, Tensor, Tensor> op, BiFunction<Tensor, Tensor, Tensor> inPlace,
            DoubleBinaryOperator oracle) {
    }

    private enum Reduction { SUM, MEAN, MAX, ARGMAX }

    private static Backend backend(DType dtype) {
        return new Nd4jBackendProvider().create(dtype);
    }

    private static org.nd4j.linalg.api.ndarray.INDArray array(Tensor t) {
        return ((Nd4jTensor) t).array();
    }

    private static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i]);
        }
        return out;
    }

    private static double[] zip(double[] x, double[] y, DoubleBinaryOperator f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = f.applyAsDouble(x[i], y[i]);
        }
        return out;
    }

    /** {@code op(a) · op(b)} by the definition, with {@code op(a)} of shape [m, k] and {@code op(b)} [k, n]. */
    private static double[] matmul(double[] a, boolean ta, double[] b, boolean tb, int m, int k, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    /** Reduces a row-major tensor of {@code dims} along {@code axis}, NumPy style (NaN propagates, first index wins). */
    private static double[] reduce(double[] x, int[] dims, int axis, Reduction how) {
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= dims[i];
        }
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        int n = dims[axis];
        double[] out = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                double[] slice = new double[n];
                for (int j = 0; j < n; j++) {
                    slice[j] = x[(o * n + j) * inner + in];
                }
                out[o * inner + in] = reduceSlice(slice, how);
            }
        }
        return out;
    }

    private static double reduceSlice(double[] slice, Reduction how) {
        double sum = 0;
        int best = 0;
        for (int j = 0; j < slice.length; j++) {
            sum += slice[j];
            if (!Double.isNaN(slice[best]) && (Double.isNaN(slice[j]) || slice[j] > slice[best])) {
                best = j;
            }
        }
        return switch (how) {
            case SUM -> sum;
            case MEAN -> sum / slice.length;
            case MAX -> slice[best];
            case ARGMAX -> best;
        };
    }

    private static int[] dropAxis(int[] dims, int axis) {
        int[] out = new int[dims.length - 1];
        for (int i = 0, j = 0; i < dims.length; i++) {
            if (i != axis) {
                out[j++] = dims[i];
            }
        }
        return out;
    }

    /** {@link #assertValues(String, double[], int[], Tensor, DType)} for a result of any shape holding {@code expected}. */
    private static void assertValues(double[] expected, Tensor actual, DType dtype) {
        assertEquals(expected.length, actual.size(), () -> "size of " + actual.shape());
        assertValues("", expected, actual.shape().dims(), actual, dtype);
    }

    private static Tensor vector(Backend nd, double... values) {
        return nd.fromArray(values, values.length);
    }

    private static void assertValues(double[] expected, int[] shape, Tensor actual, DType dtype) {
        assertValues("", expected, shape, actual, dtype);
    }

    /**
     * Shape, dtype, and each element within 1e-12 (float64) or 1e-5 (float32) relative to the expected
     * value rounded to the dtype; NaN matches NaN and infinities match exactly.
     */
    private static void assertValues(String what, double[] expected, int[] shape, Tensor actual, DType dtype) {
        assertEquals(dtype, actual.dtype(), what);
        assertArrayEquals(shape, actual.shape().dims(), () -> what + ": shape " + actual.shape());
        double[] values = actual.toDoubleArray();
        double tolerance = dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
        for (int i = 0; i < expected.length; i++) {
            double e = dtype == DType.FLOAT32 ? (float) expected[i] : expected[i];
            double a = values[i];
            boolean ok = Double.isNaN(e) ? Double.isNaN(a)
                    : Double.isInfinite(e) ? e == a : Math.abs(a - e) <= tolerance * (1 + Math.abs(e));
            if (!ok) {
                fail(what + " element " + i + ": expected " + e + " but was " + a + " in " + actual);
            }
        }
    }

    /** Each element has exactly the expected bits in the tensor's dtype (NaN as any NaN). */
    private static void assertBits(double[] expected, Tensor actual, DType dtype) {
        Function<Double, Long> bits = v -> dtype == DType.FLOAT64
                ? Double.doubleToLongBits(v) : (long) Float.floatToIntBits((float) (double) v);
        double[] values = actual.toDoubleArray();
        assertEquals(expected.length, values.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(bits.apply(expected[i]), bits.apply(values[i]), "element " + i + " of " + actual);
        }
    }
}
