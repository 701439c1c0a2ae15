package org.nnjava.backend.ejml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnjava.spi.AbstractTensor;
import org.nnjava.spi.BackendProvider;
import org.nnjava.spi.BinaryOp;
import org.nnjava.spi.Broadcast;
import org.nnjava.spi.ReduceOp;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.IncompatibleTensorsException;
import org.nnjava.tensor.Tensor;

/**
 * A fast check of every EJML kernel in both dtypes on small inputs. Expected values come from plain
 * loops over {@code double[]} here, rounded to the dtype. The inputs are quarter-integers, so sums,
 * products and matrix products are exact in float32 too and most checks can demand equality; the
 * conformance kit does the thorough job.
 */
class EjmlSmokeTest {

    private static final BinaryOp[] BINARY_OPS = BinaryOp.values();

    private static Backend backend(DType dtype) {
        return new EjmlBackendProvider().create(dtype);
    }

    /** Quarter-integers in [-5, 5], never 0 (so that division is defined). */
    private static double[] values(int n, long seed) {
        Random random = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (random.nextInt(40) - 20) / 4.0 + 0.125;
        }
        return v;
    }

    private static double round(double v, DType dtype) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }

    private static void assertValues(double[] expected, Tensor actual, DType dtype, double tolerance) {
        double[] rounded = new double[expected.length];
        for (int i = 0; i < expected.length; i++) {
            rounded[i] = round(expected[i], dtype);
        }
        assertArrayEquals(rounded, actual.toDoubleArray(), tolerance, () -> "got " + actual);
    }

    private static void assertExact(double[] expected, Tensor actual) {
        assertValues(expected, actual, actual.dtype(), 0.0);
    }

    private static double apply(BinaryOp op, double x, double y) {
        return switch (op) {
            case ADD -> x + y;
            case SUB -> x - y;
            case MUL -> x * y;
            case DIV -> x / y;
        };
    }

    private static Tensor call(BinaryOp op, Tensor a, Tensor b, boolean inPlace) {
        return switch (op) {
            case ADD -> inPlace ? a.addInPlace(b) : a.add(b);
            case SUB -> inPlace ? a.subInPlace(b) : a.sub(b);
            case MUL -> inPlace ? a.mulInPlace(b) : a.mul(b);
            case DIV -> inPlace ? a.divInPlace(b) : a.div(b);
        };
    }

    /** Checks {@code op} against the oracle, with {@code bIndex} mapping a's flat index to b's. */
    private static void checkBinary(Tensor a, Tensor b, IntUnaryOperator bIndex) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        for (BinaryOp op : BINARY_OPS) {
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = apply(op, x[i], y[bIndex.applyAsInt(i)]);
            }
            // Exact even for quotients: a float quotient of floats is the double one rounded to float.
            assertExact(expected, call(op, a, b, false));
            Tensor target = a.copy();
            assertSame(target, call(op, target, b, true));
            assertExact(expected, target);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryOpsInEveryBroadcastMode(DType dtype) {
        Backend be = backend(dtype);
        Tensor a = be.fromArray(values(24, 1), 2, 3, 4);
        checkBinary(a, be.fromArray(values(24, 2), 2, 3, 4), i -> i);
        checkBinary(a, be.scalar(2.5), i -> 0);
        checkBinary(a, be.fromArray(new double[] {-1.5}, 1, 1, 1), i -> 0);
        checkBinary(a, be.fromArray(values(4, 3), 4), i -> i % 4);
        checkBinary(a, be.fromArray(values(4, 4), 1, 4), i -> i % 4);
        Tensor m = be.fromArray(values(12, 5), 3, 4);
        checkBinary(m, be.fromArray(values(3, 6), 3, 1), i -> i / 4);
        checkBinary(m, be.fromArray(values(4, 7), 4), i -> i % 4);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void binaryKernelsWorkWhenOutIsAnOperand(DType dtype) {
        Backend be = backend(dtype);
        double[] x = values(6, 8);
        Tensor t = be.fromArray(x, 2, 3);
        t.addInPlace(t);
        double[] doubled = new double[6];
        for (int i = 0; i < 6; i++) {
            doubled[i] = 2 * x[i];
        }
        assertExact(doubled, t);
        t.divInPlace(t);
        assertExact(new double[] {1, 1, 1, 1, 1, 1}, t);

        // out == b, which no public method produces: call the kernel directly.
        Tensor a = be.fromArray(x, 2, 3);
        Tensor b = be.fromArray(values(6, 9), 2, 3);
        double[] y = b.toDoubleArray();
        kernel(a, BinaryOp.SUB, b, Broadcast.SAME, b);
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = x[i] - y[i];
        }
        assertExact(expected, b);
    }

    private static void kernel(Tensor a, BinaryOp op, Tensor b, Broadcast mode, Tensor out) {
        if (a instanceof EjmlDoubleTensor d) {
            d.binaryKernel(op, (AbstractTensor) b, mode, (AbstractTensor) out);
        } else {
            ((EjmlFloatTensor) a).binaryKernel(op, (AbstractTensor) b, mode, (AbstractTensor) out);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarOpsAndNaNInMaximum(DType dtype) {
        Backend be = backend(dtype);
        Tensor t = be.fromArray(new double[] {-2, 0.5, 4, Double.NaN}, 4);
        assertExact(new double[] {1, 3.5, 7, Double.NaN}, t.add(3));
        assertExact(new double[] {-5, -2.5, 1, Double.NaN}, t.sub(3));
        assertExact(new double[] {-6, 1.5, 12, Double.NaN}, t.mul(3));
        assertExact(new double[] {-2 / 3.0, 0.5 / 3, 4 / 3.0, Double.NaN}, t.div(3));
        assertExact(new double[] {5, 2.5, -1, Double.NaN}, t.rsub(3));
        assertExact(new double[] {-1.5, 6, 0.75, Double.NaN}, t.rdiv(3));
        assertExact(new double[] {1, 1, 4, Double.NaN}, t.maximum(1));
        Tensor u = t.copy();
        assertSame(u, u.addInPlace(1).mulInPlace(2));
        assertExact(new double[] {0, 3, 10, Double.NaN}, u.maximum(0));
    }

    @Test
    void float32ScalarOperandsAreRoundedToFloat() {
        Tensor t = backend(DType.FLOAT32).fromArray(new double[] {0.1, 0.3}, 2);
        assertExact(new double[] {0.1f * (float) 0.7, 0.3f * (float) 0.7}, t.mul(0.7));
        assertExact(new double[] {1, 0}, t.eq(0.1));
        assertExact(new double[] {0, 1}, t.gt(0.1)); // 0.1f > 0.1 in double, but not in float
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void unaryFunctionsOutOfPlaceAndInPlace(DType dtype) {
        Backend be = backend(dtype);
        double[] x = {-1, 0, 0.5, 2, Double.NaN};
        Tensor t = be.fromArray(x, 5);
        double[] exp = new double[5];
        double[] log = new double[5];
        double[] sqrt = new double[5];
        double[] neg = new double[5];
        for (int i = 0; i < 5; i++) {
            exp[i] = Math.exp(x[i]);
            log[i] = Math.log(x[i]);
            sqrt[i] = Math.sqrt(x[i]);
            neg[i] = -x[i];
        }
        assertExact(exp, t.exp());
        assertExact(log, t.log());
        assertExact(sqrt, t.sqrt());
        assertExact(neg, t.neg());
        assertEquals(Double.NEGATIVE_INFINITY, t.log().get(1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void comparisonsAndMaskedFill(DType dtype) {
        Backend be = backend(dtype);
        Tensor t = be.fromArray(new double[] {-1, 0, 1, Double.NaN}, 2, 2);
        assertExact(new double[] {0, 0, 1, 0}, t.gt(0));
        assertExact(new double[] {0, 1, 1, 0}, t.ge(0));
        assertExact(new double[] {1, 0, 0, 0}, t.lt(0));
        assertExact(new double[] {1, 1, 0, 0}, t.le(0));
        assertExact(new double[] {0, 1, 0, 0}, t.eq(0));
        assertExact(new double[] {1, 1, 1, 0}, t.eq(t));
        Tensor mask = be.fromArray(new double[] {1, 0, 2, 0}, 2, 2);
        assertExact(new double[] {9, 0, 9, Double.NaN}, t.maskedFill(mask, 9));
        assertExact(new double[] {-1, 0, 1, Double.NaN}, t);
        assertExact(new double[] {-3, 0, -3, Double.NaN}, t.maskedFill(mask, -3));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsAlongEveryAxisOfA3dTensor(DType dtype) {
        Backend be = backend(dtype);
        int[] dims = {2, 3, 4};
        double[] x = values(24, 10);
        x[5] = x[9]; // a tie for argmax somewhere
        Tensor t = be.fromArray(x, dims);
        for (int axis = 0; axis < 3; axis++) {
            assertExact(reduceOracle(x, dims, axis, ReduceOp.SUM), t.sum(axis));
            assertExact(reduceOracle(x, dims, axis, ReduceOp.MEAN), t.mean(axis));
            assertExact(reduceOracle(x, dims, axis, ReduceOp.MAX), t.max(axis));
            assertExact(reduceOracle(x, dims, axis, ReduceOp.ARGMAX), t.argmax(axis));
        }
        assertExact(reduceOracle(x, dims, 2, ReduceOp.SUM), t.sum(-1));
        assertExact(reduceOracle(x, dims, 2, ReduceOp.ARGMAX), t.argmax(-1));

        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            sum += v;
            max = Math.max(max, v);
        }
        assertEquals(0, t.sum().rank());
        assertEquals(round(sum, dtype), t.sum().item());
        assertEquals(round(sum / 24, dtype), t.mean().item());
        assertEquals(round(max, dtype), t.max().item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxAndArgmaxWithNaNAndTies(DType dtype) {
        Backend be = backend(dtype);
        Tensor t = be.fromArray(new double[] {3, 1, 3, 0, 7, Double.NaN, 2, Double.NaN, 7}, 3, 3);
        assertExact(new double[] {0, 2, 1}, t.argmax(1));
        assertExact(new double[] {3, Double.NaN, Double.NaN}, t.max(1));
        assertExact(new double[] {0, 2, 1}, t.argmax(0));
        assertExact(new double[] {3, Double.NaN, Double.NaN}, t.max(0));
        assertTrue(Double.isNaN(t.max().item()));
        assertTrue(Double.isNaN(be.zeros(0).mean().item()));
        assertExact(new double[] {0, 0, 0}, be.zeros(0, 3).sum(0));
    }

    /** Reduces by walking every multi-index, independently of the [outer, n, inner] decomposition. */
    private static double[] reduceOracle(double[] x, int[] dims, int axis, ReduceOp op) {
        int outSize = x.length / dims[axis];
        double[] acc = new double[outSize];
        double[] best = new double[outSize];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Arrays.fill(acc, op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0);
        for (int flat = 0; flat < x.length; flat++) {
            int rest = flat;
            int outIndex = 0;
            int outStride = 1;
            int along = 0;
            for (int d = dims.length - 1; d >= 0; d--) {
                int idx = rest % dims[d];
                rest /= dims[d];
                if (d == axis) {
                    along = idx;
                } else {
                    outIndex += idx * outStride;
                    outStride *= dims[d];
                }
            }
            double v = x[flat];
            switch (op) {
                case SUM, MEAN -> acc[outIndex] += v;
                case MAX -> acc[outIndex] = Math.max(acc[outIndex], v);
                case ARGMAX -> {
                    if (v > best[outIndex]) {
                        best[outIndex] = v;
                        acc[outIndex] = along;
                    }
                }
            }
        }
        if (op == ReduceOp.MEAN) {
            for (int i = 0; i < outSize; i++) {
                acc[i] /= dims[axis];
            }
        }
        return acc;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeIsAViewThatSharesWrites(DType dtype) {
        Backend be = backend(dtype);
        Tensor t = be.fromArray(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor v = t.reshape(3, -1);
        assertArrayEquals(new int[] {3, 2}, v.shape().dims());
        v.set(40, 2, 0);
        assertEquals(40, t.get(1, 1));
        t.addInPlace(1);
        assertExact(new double[] {1, 2, 3, 4, 41, 6}, v);
        Tensor scalarView = be.fromArray(new double[] {7}, 1, 1).reshape();
        assertEquals(7, scalarView.item());
        Tensor flat = v.reshape(6).reshape(1, 2, 3);
        flat.mulInPlace(2);
        assertExact(new double[] {2, 4, 6, 8, 82, 12}, t);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithEveryTransposeAgainstATripleLoop(DType dtype) {
        Backend be = backend(dtype);
        checkMatmul(be, 3, 4, 5);
        checkMatmul(be, 1, 7, 1);
        checkMatmul(be, 120, 100, 90); // over the threading threshold
        Tensor empty = be.zeros(2, 0).matmul(be.zeros(0, 3));
        assertExact(new double[6], empty);
        assertArrayEquals(new int[] {2, 3}, empty.shape().dims());
    }

    private static void checkMatmul(Backend be, int m, int k, int n) {
        double[] a = values(m * k, m);
        double[] b = values(k * n, n);
        double[] expected = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i * k + p] * b[p * n + j];
                }
                expected[i * n + j] = s;
            }
        }
        Tensor ta = be.fromArray(a, m, k);
        Tensor tb = be.fromArray(b, k, n);
        Tensor taT = ta.transpose();
        Tensor tbT = tb.transpose();
        assertExact(expected, ta.matmul(tb));
        assertExact(expected, taT.matmul(tb, true, false));
        assertExact(expected, ta.matmul(tbT, false, true));
        assertExact(expected, taT.matmul(tbT, true, true));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposeAndGatherRows(DType dtype) {
        Backend be = backend(dtype);
        Tensor t = be.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor tt = t.transpose();
        assertArrayEquals(new int[] {3, 2}, tt.shape().dims());
        assertExact(new double[] {1, 4, 2, 5, 3, 6}, tt);

        double[] x = values(24, 11);
        Tensor cube = be.fromArray(x, 4, 3, 2);
        int[] rows = {3, 0, 3};
        double[] expected = new double[18];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x, rows[i] * 6, expected, i * 6, 6);
        }
        Tensor gathered = cube.gatherRows(rows);
        assertArrayEquals(new int[] {3, 3, 2}, gathered.shape().dims());
        assertExact(expected, gathered);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementsAndCopies(DType dtype) {
        Backend be = backend(dtype);
        Tensor t = be.zeros(2, 2);
        t.set(0.1, 1, 0);
        assertEquals(round(0.1, dtype), t.get(1, 0));
        Tensor c = t.copy();
        c.set(5, 0, 0);
        assertEquals(0, t.get(0, 0));
        t.assign(c);
        assertEquals(5, t.get(0, 0));
        t.assign(new double[] {1, 2, 3, 0.1});
        assertExact(new double[] {1, 2, 3, 0.1}, t);
        t.assign(new float[] {4, 5, 6, 0.1f});
        assertExact(new double[] {4, 5, 6, 0.1f}, t);
        assertArrayEquals(new float[] {4, 5, 6, 0.1f}, t.toFloatArray());
        assertEquals(3.5, be.scalar(3.5).item());
        assertEquals(dtype, t.dtype());
        assertEquals("ejml", t.backend().name());
    }

    @Test
    void providerIsFoundAndDescribesItself() {
        BackendProvider found = null;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof EjmlBackendProvider) {
                found = p;
            }
        }
        assertNotNull(found, "META-INF/services lists EjmlBackendProvider");
        assertEquals("ejml", found.name());
        assertEquals(10, found.priority());
        assertEquals(BackendProvider.SPI_VERSION, found.spiVersion());
        assertTrue(found.probe().available());
        assertEquals(DType.FLOAT32, found.create(DType.FLOAT32).dtype());
        assertEquals("ejml", found.create(DType.FLOAT64).name());
    }

    @Test
    void mixingDtypesIsRefused() {
        Tensor a = backend(DType.FLOAT64).zeros(2);
        Tensor b = backend(DType.FLOAT32).zeros(2);
        assertThrows(IncompatibleTensorsException.class, () -> a.add(b));
    }
}
