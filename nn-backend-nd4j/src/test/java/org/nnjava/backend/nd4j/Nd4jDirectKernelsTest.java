package org.nnjava.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nnjava.conformance.StaleStorage;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ReferenceOps;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.SoftmaxCrossEntropy;
import org.nnjava.tensor.Tensor;

/**
 * What the conformance kit does not reach in this backend's own kernels: the layout the NIO views and
 * the direct OpenBLAS calls rely on (element 0 of the array at index 0 of the buffer, for arrays that
 * start inside their buffer and for reshape views), the fused softmax with cross-entropy on extreme rows
 * against a plain-Java oracle, float32 exp and log where ND4J's native ops compute them, and float32
 * sums accumulated in double.
 */
class Nd4jDirectKernelsTest {

    private static final double INF = Double.POSITIVE_INFINITY;

    private static Backend backend(DType dtype) {
        return new Nd4jBackendProvider().create(dtype);
    }

    private static double tolerance(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
    }

    // ---- layout ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void anArrayStartingInsideItsBufferIsCopiedSoThatItsFirstElementIsAtIndexZero(DType dtype) {
        Nd4jBackend nd = (Nd4jBackend) backend(dtype);
        INDArray whole = Nd4j.create(new double[] {0, 1, 2, 10, 11, 12}, new long[] {2, 3}, 'c').castTo(nd.dataType());
        INDArray row = whole.getRow(1).reshape('c', new long[] {1, 3}); // a view at offset 3 of whole's buffer
        assertTrue(row.offset() > 0 || row.data().offset() > 0, "the test needs a view inside its buffer");
        Nd4jTensor t = new Nd4jTensor(nd, Shape.of(1, 3), row);
        assertArrayEquals(new double[] {10, 11, 12}, t.toDoubleArray());
        Tensor product = t.matmul(nd.fromArray(new double[] {1, 0, 0, 1, 1, 1}, 3, 2));
        assertArrayEquals(new double[] {10 + 12, 11 + 12}, product.toDoubleArray());
        assertEquals(33, t.sum().item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulReadsAndWritesThroughReshapeViews(DType dtype) {
        Backend nd = backend(dtype);
        Tensor a = nd.fromArray(new double[] {1, 2, 3, 4, 5, 6}, 6).reshape(2, 3);
        Tensor b = nd.fromArray(new double[] {1, 0, 0, 1, 2, 3}, 1, 6).reshape(3, 2);
        double[] expected = {1 + 6, 2 + 9, 4 + 12, 5 + 18};
        assertArrayEquals(expected, a.matmul(b, false, false).toDoubleArray());
        // a stored transposed, behind a view, and read with the transpose flag: (aᵀ)ᵀ · b = a · b.
        Tensor aT = a.transpose().reshape(3, 2);
        assertArrayEquals(expected, aT.matmul(b, true, false).toDoubleArray());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void addScaledWithAViewOfItselfDoublesCorrectly(DType dtype) {
        Backend nd = backend(dtype);
        Tensor w = nd.fromArray(new double[] {1, -2, 3, 0.5}, 2, 2);
        w.addScaledInPlace(w.reshape(4).reshape(2, 2), 1.0); // the same storage as the operand: y += y
        assertArrayEquals(new double[] {2, -4, 6, 1}, w.toDoubleArray());
        w.addScaledInPlace(nd.fromArray(new double[] {1, 1, 1, 1}, 2, 2), -0.5);
        assertArrayEquals(new double[] {1.5, -4.5, 5.5, 0.5}, w.toDoubleArray());
    }

    // ---- elementwise functions ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void expAndLogOfTensorsLargeEnoughForNd4jsNativeFloatOpsFollowIeee(DType dtype) {
        int n = Nd4jTensor.NATIVE_FLOAT_FUNCTIONS_FROM + 7;
        double[] special = {0, -0.0, -1, INF, -INF, Double.NaN, 1e-30, 100, -200, 1};
        double[] values = new double[n];
        Random random = new Random(11);
        for (int i = 0; i < n; i++) {
            values[i] = i < special.length ? special[i] : (float) (20 * random.nextGaussian());
        }
        Tensor x = backend(dtype).fromArray(values, n);
        assertFunction(values, x.exp(), Math::exp, dtype);
        assertFunction(values, x.log(), Math::log, dtype);
    }

    /** Each element equals {@code f} of the input rounded to the dtype, within 2 ulps; NaN and infinities exactly. */
    private static void assertFunction(double[] input, Tensor actual, DoubleUnaryOperator f,
            DType dtype) {
        double[] got = actual.toDoubleArray();
        for (int i = 0; i < input.length; i++) {
            double x = dtype == DType.FLOAT32 ? (float) input[i] : input[i];
            double expected = dtype == DType.FLOAT32 ? (float) f.applyAsDouble(x) : f.applyAsDouble(x);
            double ulp = dtype == DType.FLOAT32 ? Math.ulp((float) expected) : Math.ulp(expected);
            if (Double.isNaN(expected) || Double.isInfinite(expected)) {
                assertEquals(expected, got[i], "f(" + x + ")");
            } else {
                assertEquals(expected, got[i], 2 * ulp, "f(" + x + ")");
            }
        }
    }

    // ---- reductions -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void sumsOfManySmallTermsAccumulateInDouble(DType dtype) {
        // 1 + 20000 · 2^-24: a float accumulator stays at 1 (each term is half an ulp of 1 and rounds away).
        int n = 20001;
        double[] values = new double[n];
        values[0] = 1;
        for (int i = 1; i < n; i++) {
            values[i] = Math.scalb(1.0, -24);
        }
        double expected = 1 + (n - 1) * Math.scalb(1.0, -24);
        Backend nd = backend(dtype);
        assertEquals(expected, nd.fromArray(values, n).sum().item(), 1e-7);
        assertEquals(expected, nd.fromArray(values, n, 1).sum(0).item(), 1e-7);
        assertEquals(expected / n, nd.fromArray(values, 1, n).mean(1).item(), 1e-9);
    }

    // ---- softmax with cross-entropy against a plain-Java oracle ---------------------------------

    /** Rows of 4 with what the fused kernel must survive; the labels of each row below. */
    private static double[] extremeRows(DType dtype) {
        double huge = dtype == DType.FLOAT64 ? 1e308 : 3e38;
        return new double[] {
            1000, 0, -1000, 5, //        a huge logit: exp(-2000) underflows to a zero probability
            0.5, -1.5, 2, 0.25, //       an ordinary row with soft labels
            -INF, 0, 1, 2, //            a -inf logit: probability exactly 0, unlabelled
            huge, huge, -huge, 0, //     the largest finite logits: no overflow in x - max
            7, 7, 7, 7, //               a tie
        };
    }

    private static final double[] LABELS = {
        1, 0, 0, 0,
        0.25, 0, 0.5, 0.25,
        0, 0, 0, 1,
        0, 1, 0, 0,
        0, 0, 1, 0,
    };

    /** The loss {@code -Σ t · (x - max - log Σ exp(x - max))} over t != 0, with the softmax into {@code p}. */
    private static double oracle(double[] x, double[] t, int cols, double[] p) {
        double loss = 0;
        for (int from = 0; from < x.length; from += cols) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = from; j < from + cols; j++) {
                max = Math.max(max, x[j]);
            }
            double sum = 0;
            for (int j = from; j < from + cols; j++) {
                sum += Math.exp(x[j] - max);
            }
            for (int j = from; j < from + cols; j++) {
                p[j] = Math.exp(x[j] - max) / sum;
                if (t[j] != 0) {
                    loss -= t[j] * (x[j] - max - Math.log(sum));
                }
            }
        }
        return loss;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyOfExtremeRowsMatchesAPlainJavaOracle(DType dtype) {
        Backend nd = backend(dtype);
        double[] xv = extremeRows(dtype);
        Tensor x = nd.fromArray(xv, 5, 4);
        Tensor t = nd.fromArray(LABELS, 5, 4);
        double[] expectedP = new double[xv.length];
        double expected = oracle(x.toDoubleArray(), LABELS, 4, expectedP);
        // In a step arena the probabilities get the storage of the previous step's [5, 4] result, here
        // all NaN: old contents must not leak into the result.
        SoftmaxCrossEntropy[] result = new SoftmaxCrossEntropy[1];
        Tensor p = StaleStorage.onStaleStorage(nd, new int[] {5, 4}, () -> {
            result[0] = x.softmaxCrossEntropy(t);
            return result[0].probabilities();
        });
        double loss = result[0].loss();
        assertTrue(Double.isFinite(loss), "loss " + loss);
        assertEquals(expected, loss, tolerance(dtype) * Math.max(1, Math.abs(expected)));
        assertArrayEquals(expectedP, p.toDoubleArray(), tolerance(dtype));
        assertEquals(0.0, p.get(0, 2), "exp(-2000) is exactly 0");
        assertEquals(0.0, p.get(2, 0), "exp(-inf) is exactly 0");
        assertArrayEquals(expectedP, x.softmax().toDoubleArray(), tolerance(dtype));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxAndLogSoftmaxOfNonFiniteRowsAreThoseOfTheReference(DType dtype) {
        Backend nd = backend(dtype);
        double nan = Double.NaN;
        // An all -inf row and a +inf logit give NaN in the reference (-inf - -inf, inf - inf); NaN propagates.
        double[] values = {-INF, -INF, -INF, 1, INF, 2, 1, nan, 0, 1000, 1000, -INF};
        Tensor x = nd.fromArray(values, 4, 3);
        assertSameValues(ReferenceOps.softmax(x).toDoubleArray(), x.softmax().toDoubleArray(), dtype);
        assertSameValues(ReferenceOps.logSoftmax(x).toDoubleArray(), x.logSoftmax().toDoubleArray(), dtype);
        double[] lastRow = {0.5, 0.5, 0};
        assertArrayEquals(lastRow, x.softmax().gatherRows(new int[] {3}).reshape(3).toDoubleArray(), tolerance(dtype));
        SoftmaxCrossEntropy result = x.softmaxCrossEntropy(nd.fromArray(new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0}, 4, 3));
        assertTrue(Double.isNaN(result.loss()), "a labelled NaN row gives a NaN loss, not " + result.loss());
        assertSameValues(ReferenceOps.softmax(x).toDoubleArray(), result.probabilities().toDoubleArray(), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyOfTheStepsShapeMatchesTheReference(DType dtype) {
        Backend nd = backend(dtype);
        Random random = new Random(7);
        double[] xv = new double[1000];
        double[] tv = new double[1000];
        for (int r = 0; r < 100; r++) {
            for (int c = 0; c < 10; c++) {
                xv[r * 10 + c] = 4 * random.nextGaussian();
            }
            tv[r * 10 + random.nextInt(10)] = 1;
        }
        Tensor x = nd.fromArray(xv, 100, 10);
        Tensor t = nd.fromArray(tv, 100, 10);
        Tensor referenceP = nd.zeros(100, 10);
        double reference = ReferenceOps.softmaxCrossEntropy(x, t, referenceP);
        SoftmaxCrossEntropy fused = x.softmaxCrossEntropy(t);
        assertEquals(reference, fused.loss(), tolerance(dtype) * Math.abs(reference));
        assertArrayEquals(referenceP.toDoubleArray(), fused.probabilities().toDoubleArray(), tolerance(dtype));
    }

    /** Equal within the dtype's tolerance, with NaN only where the expected value is NaN. */
    private static void assertSameValues(double[] expected, double[] actual, DType dtype) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(actual[i]), "element " + i + ": NaN expected, got " + actual[i]);
            } else {
                assertEquals(expected[i], actual[i], tolerance(dtype) * Math.max(1, Math.abs(expected[i])), "element " + i);
            }
        }
    }
}
