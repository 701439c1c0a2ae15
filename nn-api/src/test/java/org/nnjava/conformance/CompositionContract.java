package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertExactly;
import static org.nnjava.conformance.TensorAssertions.assertFinite;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ReferenceOps;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.SoftmaxCrossEntropy;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * The compositions {@link Tensor#softmax()}, {@link Tensor#logSoftmax()}, {@link Tensor#sigmoid()} and
 * the fused {@link Tensor#softmaxCrossEntropy}:
 * against the {@link Oracle}, against {@link ReferenceOps} run on the same backend (so that an override
 * is held to the reference), and at the extremes where a naive formula overflows. A backend's test
 * subclasses this and returns its provider.
 */
public abstract class CompositionContract {

    /** The provider of the backend under test. */
    protected abstract BackendProvider provider();

    private static final double INF = Double.POSITIVE_INFINITY;

    private Backend backend(DType dtype) {
        return provider().create(dtype);
    }

    /** Oracle values for an input of a shape. */
    interface OracleFunction {
        double[] apply(double[] values, int[] shape);
    }

    private static int lastDim(int[] shape) {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** A composition, the reference it must agree with, and its oracle. */
    enum Composition {
        SOFTMAX(Tensor::softmax, ReferenceOps::softmax, (v, shape) -> Oracle.softmax(v, lastDim(shape))),
        LOG_SOFTMAX(Tensor::logSoftmax, ReferenceOps::logSoftmax, (v, shape) -> Oracle.logSoftmax(v, lastDim(shape))),
        SIGMOID(Tensor::sigmoid, ReferenceOps::sigmoid, (v, shape) -> Oracle.sigmoid(v));

        final UnaryOperator<Tensor> op;
        final UnaryOperator<Tensor> reference;
        final OracleFunction oracle;

        Composition(UnaryOperator<Tensor> op, UnaryOperator<Tensor> reference, OracleFunction oracle) {
            this.op = op;
            this.reference = reference;
            this.oracle = oracle;
        }
    }

    static Stream<Arguments> compositionCases() {
        return Arrays.stream(DType.values())
                .flatMap(d -> Arrays.stream(Composition.values()).map(c -> Arguments.of(d, c)));
    }

    private static final String CASES = "org.nnjava.conformance.CompositionContract#compositionCases";

    /** Shapes: 1-D, 2-D, a single row, a single column, 3-D, and a scalar. */
    private static final int[][] SHAPES = {{5}, {3, 4}, {1, 5}, {4, 1}, {2, 3, 4}, {}};

    /** Checks the composition of {@code values} against the oracle and the reference, and that the input is unchanged. */
    private void check(DType dtype, Composition composition, double[] values, int[] shape) {
        Tensor x = backend(dtype).fromArray(values, shape);
        String context = composition + " of " + Arrays.toString(shape);
        Tensor result = composition.op.apply(x);
        assertClose(context + " against the oracle", composition.oracle.apply(values, shape), shape, result, dtype);
        Tensor reference = composition.reference.apply(x);
        assertClose(context + " against ReferenceOps", reference.toDoubleArray(), shape, result, dtype);
        assertExactly(values, x);
    }

    @ParameterizedTest
    @MethodSource(CASES)
    void compositionMatchesTheOracleAndTheReferenceInEveryShape(DType dtype, Composition composition) {
        for (int[] shape : SHAPES) {
            check(dtype, composition, TestData.gaussian(81, Oracle.size(shape)), shape);
        }
    }

    /**
     * What {@code real} returns when it runs in the second step of a new {@link StepArena} whose first
     * step ran {@code stale}: the same computation on NaN inputs, so that every tensor the second step
     * makes (the result and each temporary) is on recycled storage holding NaN, which a kernel must
     * overwrite. The result stays valid: the arena never begins again.
     */
    private static <T> T afterAStaleStep(Supplier<?> stale, Supplier<T> real) {
        StepArena arena = new StepArena();
        arena.begin();
        try {
            stale.get();
        } finally {
            arena.end();
        }
        arena.begin();
        try {
            return real.get();
        } finally {
            arena.end();
        }
    }

    private static double[] nans(int n) {
        double[] values = new double[n];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    @ParameterizedTest
    @MethodSource(CASES)
    void compositionOnRecycledStorageOverwritesIt(DType dtype, Composition composition) {
        Backend be = backend(dtype);
        for (int[] shape : SHAPES) {
            double[] values = TestData.gaussian(92, Oracle.size(shape));
            Tensor x = be.fromArray(values, shape);
            Tensor stale = be.fromArray(nans(values.length), shape);
            Tensor y = afterAStaleStep(() -> composition.op.apply(stale), () -> composition.op.apply(x));
            assertClose(composition + " of " + Arrays.toString(shape) + " on recycled storage",
                    composition.oracle.apply(values, shape), shape, y, dtype);
            assertExactly(values, x);
        }
    }

    @ParameterizedTest
    @MethodSource(CASES)
    void compositionOfWidelySpreadInputs(DType dtype, Composition composition) {
        double[] values = TestData.gaussian(82, 24);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (values[i] * 30);
        }
        check(dtype, composition, values, new int[] {4, 6});
    }

    // ---- softmax --------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxRowsSumToOne(DType dtype) {
        Tensor y = backend(dtype).fromArray(TestData.gaussian(83, 35), 7, 5).softmax();
        assertClose(new double[] {1, 1, 1, 1, 1, 1, 1}, new int[] {7}, y.sum(1), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxOfLargeEqualLogitsIsUniform(DType dtype) {
        Backend be = backend(dtype);
        assertClose(new double[] {0.5, 0.5}, new int[] {2}, be.fromArray(new double[] {1000, 1000}, 2).softmax(), dtype);
        double third = 1.0 / 3;
        assertClose(new double[] {0.5, 0.5, 0, third, third, third}, new int[] {2, 3},
                be.fromArray(new double[] {1000, 1000, -1000, -1000, -1000, -1000}, 2, 3).softmax(), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxOfAFarLargerLogitIsOneHot(DType dtype) {
        Tensor y = backend(dtype).fromArray(new double[] {0, 1000, -1000}, 3).softmax();
        assertFinite(y);
        assertClose(new double[] {0, 1, 0}, new int[] {3}, y, dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxOfASingleColumnIsAllOnes(DType dtype) {
        assertExactly(new double[] {1, 1, 1}, backend(dtype).fromArray(new double[] {-5, 0, 700}, 3, 1).softmax());
        assertExactly(new double[] {0, 0, 0}, backend(dtype).fromArray(new double[] {-5, 0, 700}, 3, 1).logSoftmax());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void minusInfinityLogitsGetZeroProbability(DType dtype) {
        double[] values = {0, -INF, 1, -INF, 2, 2};
        Tensor x = backend(dtype).fromArray(values, 2, 3);
        Tensor softmax = x.softmax();
        assertFinite(softmax);
        assertClose(Oracle.softmax(values, 3), new int[] {2, 3}, softmax, dtype);
        assertClose(Oracle.logSoftmax(values, 3), new int[] {2, 3}, x.logSoftmax(), dtype);
    }

    // ---- logSoftmax -----------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void logSoftmaxOfTheLargestFiniteValueIsFinite(DType dtype) {
        double big = dtype == DType.FLOAT64 ? Double.MAX_VALUE : 3e38f;
        double[] values = {big, 1, 2, 3};
        Tensor y = backend(dtype).fromArray(values, 4).logSoftmax();
        assertFinite(y);
        assertClose(Oracle.logSoftmax(values, 4), new int[] {4}, y, dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void logSoftmaxIsTheLogOfSoftmax(DType dtype) {
        Tensor x = backend(dtype).fromArray(TestData.gaussian(84, 12), 3, 4);
        assertClose(x.softmax().log().toDoubleArray(), new int[] {3, 4}, x.logSoftmax(), dtype);
    }

    // ---- sigmoid --------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void sigmoidSaturatesExactlyWithoutNaN(DType dtype) {
        double far = dtype == DType.FLOAT64 ? 1000 : 100;
        Tensor y = backend(dtype).fromArray(new double[] {far, -far, INF, -INF}, 2, 2).sigmoid();
        assertExactly(new double[] {1, 0, 1, 0}, y);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sigmoidOfZeroIsOneHalf(DType dtype) {
        assertEquals(0.5, backend(dtype).scalar(0).sigmoid().item());
        assertExactly(new double[] {0.5, 0.5}, backend(dtype).fromArray(new double[] {0, -0.0}, 2).sigmoid());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sigmoidIsANewTensorOnRecycledStorageToo(DType dtype) {
        double[] values = TestData.gaussian(91, 12);
        Tensor x = backend(dtype).fromArray(values, 3, 4);
        Tensor y = x.sigmoid();
        assertNotSame(x, y);
        assertClose(Oracle.sigmoid(values), new int[] {3, 4}, y, dtype);
        Tensor stale = backend(dtype).fromArray(nans(12), 3, 4);
        assertClose("on recycled storage", Oracle.sigmoid(values), new int[] {3, 4},
                afterAStaleStep(stale::sigmoid, x::sigmoid), dtype);
        assertExactly(values, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sigmoidIsSymmetric(DType dtype) {
        double[] values = TestData.gaussian(85, 8);
        Tensor x = backend(dtype).fromArray(values, 8);
        assertClose(Oracle.map(Oracle.sigmoid(values), v -> 1 - v), new int[] {8}, x.neg().sigmoid(), dtype);
    }

    @ParameterizedTest
    @MethodSource(CASES)
    void compositionPropagatesNaN(DType dtype, Composition composition) {
        check(dtype, composition, new double[] {1, Double.NaN, 3}, new int[] {3});
        check(dtype, composition, new double[] {1, 2, 3, Double.NaN, 0, 0}, new int[] {2, 3});
    }

    // ---- softmax with cross-entropy (fused) -----------------------------------------------------

    /** The oracle: {@code -Σ t·logSoftmax(x)} over the elements where {@code t != 0}, in plain Java. */
    private static double crossEntropyOracle(double[] x, double[] t, int cols) {
        double[] logP = Oracle.logSoftmax(x, cols);
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            if (t[i] != 0) {
                total -= t[i] * logP[i];
            }
        }
        return total;
    }

    /** Checks the fused op against the oracle and against {@link ReferenceOps#softmaxCrossEntropy} on the same backend. */
    private void checkSoftmaxCrossEntropy(DType dtype, double[] xv, double[] tv, int... shape) {
        Backend be = backend(dtype);
        Tensor x = be.fromArray(xv, shape);
        Tensor t = be.fromArray(tv, shape);
        String context = "softmaxCrossEntropy of " + Arrays.toString(shape);
        SoftmaxCrossEntropy result = x.softmaxCrossEntropy(t);
        double loss = result.loss();
        Tensor p = result.probabilities();
        assertNotSame(x, p, context + ": the probabilities are a new tensor");
        assertNotSame(t, p, context + ": the probabilities are a new tensor");
        double expected = crossEntropyOracle(xv, tv, lastDim(shape));
        assertTrue(Tolerance.close(expected, loss, dtype), context + ": loss " + loss + ", expected " + expected);
        assertClose(context + ": probabilities", Oracle.softmax(xv, lastDim(shape)), shape, p, dtype);
        Tensor referenceP = be.zeros(shape);
        double reference = ReferenceOps.softmaxCrossEntropy(x, t, referenceP);
        assertTrue(Tolerance.close(reference, loss, dtype), context + ": loss " + loss + ", reference " + reference);
        assertClose(context + ": probabilities against ReferenceOps", referenceP.toDoubleArray(), shape, p, dtype);
        Tensor staleX = be.fromArray(nans(xv.length), shape);
        SoftmaxCrossEntropy recycled = afterAStaleStep(() -> staleX.softmaxCrossEntropy(t), () -> x.softmaxCrossEntropy(t));
        assertTrue(Tolerance.close(expected, recycled.loss(), dtype), context + " on recycled storage: loss "
                + recycled.loss() + ", expected " + expected);
        assertClose(context + ": probabilities on recycled storage", Oracle.softmax(xv, lastDim(shape)), shape,
                recycled.probabilities(), dtype);
        assertExactly(xv, x);
        assertExactly(tv, t);
    }

    /** One-hot rows for class indices. */
    private static double[] oneHot(int classes, int... labels) {
        double[] t = new double[labels.length * classes];
        for (int n = 0; n < labels.length; n++) {
            t[n * classes + labels[n]] = 1;
        }
        return t;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyMatchesTheOracleAndTheReference(DType dtype) {
        checkSoftmaxCrossEntropy(dtype, TestData.gaussian(86, 12), oneHot(4, 2, 0, 3), 3, 4);
        checkSoftmaxCrossEntropy(dtype, TestData.gaussian(87, 5), oneHot(5, 1), 5);
        checkSoftmaxCrossEntropy(dtype, TestData.gaussian(88, 1000), oneHot(10, TestData.labels(89, 100, 10)), 100, 10);
        double[] soft = {0.25, 0.25, 0.5, 0, 0.125, 0.875};
        checkSoftmaxCrossEntropy(dtype, TestData.gaussian(90, 6), soft, 2, 3);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyStaysFiniteWhereAProbabilityUnderflows(DType dtype) {
        // Row 0: class 2 gets probability exp(-2000) = 0 but its label is 0, so the term is dropped, not 0 * -inf.
        // Row 1: equal huge logits; row 2: a -inf logit on an unlabelled class.
        double[] x = {1000, 0, -1000, 1000, 1000, 1000, 0, Double.NEGATIVE_INFINITY, 1};
        checkSoftmaxCrossEntropy(dtype, x, oneHot(3, 0, 1, 2), 3, 3);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyPropagatesNaN(DType dtype) {
        Backend be = backend(dtype);
        SoftmaxCrossEntropy result = be.fromArray(new double[] {1, Double.NaN, 3, 0, 1, 2}, 2, 3)
                .softmaxCrossEntropy(be.fromArray(oneHot(3, 0, 1), 2, 3));
        double loss = result.loss();
        Tensor p = result.probabilities();
        assertTrue(Double.isNaN(loss), "a NaN score gives a NaN loss, not " + loss);
        assertTrue(Double.isNaN(p.get(0, 0)), "and NaN probabilities in its row");
        assertClose(Oracle.softmax(new double[] {0, 1, 2}, 3), new int[] {3}, p.reshape(2, 3).gatherRows(new int[] {1})
                .reshape(3), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyRejectsMismatchedLabelsAndScoresWithoutClasses(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.zeros(2, 3);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> x.softmaxCrossEntropy(be.zeros(2)),
                "softmaxCrossEntropy: scores [2, 3], labels [2]: the labels must have the scores' shape");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.zeros(2, 0).softmaxCrossEntropy(be.zeros(2, 0)),
                "softmaxCrossEntropy: [2, 0]: needs at least one class along the last axis");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.scalar(1).softmaxCrossEntropy(be.scalar(1)),
                "softmaxCrossEntropy: []: needs at least one class along the last axis");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void softmaxCrossEntropyOfNoRowsIsZero(DType dtype) {
        Backend be = backend(dtype);
        SoftmaxCrossEntropy result = be.zeros(0, 3).softmaxCrossEntropy(be.zeros(0, 3));
        assertEquals(0.0, result.loss());
        assertEquals(be.zeros(0, 3).shape(), result.probabilities().shape());
    }
}
