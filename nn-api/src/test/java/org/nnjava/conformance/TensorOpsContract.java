package org.nnjava.conformance;

import static org.nnjava.conformance.StaleStorage.onStaleStorage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertCloseScalar;
import static org.nnjava.conformance.TensorAssertions.assertExactly;
import static org.nnjava.conformance.TensorAssertions.assertShape;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.util.Arrays;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
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
import org.nnjava.tensor.IncompatibleTensorsException;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;
import org.nnjava.tensor.TensorIndexException;

/**
 * The {@link Tensor} contract: every operation in both dtypes against the {@link Oracle}, the IEEE 754
 * behaviour at the extremes, and every error with its exception type and message. A backend's test
 * subclasses this and returns its provider.
 */
public abstract class TensorOpsContract {

    /** The provider of the backend under test. */
    protected abstract BackendProvider provider();

    private static final String OPS = "org.nnjava.conformance.TensorOpsContract#";
    private static final boolean[] BOOLEANS = {false, true};

    private Backend backend(DType dtype) {
        return provider().create(dtype);
    }

    private static DType other(DType dtype) {
        return dtype == DType.FLOAT64 ? DType.FLOAT32 : DType.FLOAT64;
    }

    private static int[] dims(int... dims) {
        return dims;
    }

    private static String describe(Object what, int[]... shapes) {
        StringBuilder sb = new StringBuilder(String.valueOf(what));
        for (int[] shape : shapes) {
            sb.append(' ').append(Arrays.toString(shape));
        }
        return sb.toString();
    }

    private static Stream<Arguments> crossWithDTypes(Object[] cases) {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(cases).map(c -> Arguments.of(d, c)));
    }

    // =============================================================================================
    // Elementwise arithmetic between tensors: SAME, SCALAR, ROW and COLUMN right operands
    // =============================================================================================

    /** An elementwise operation between tensors, its in-place form, and its formula. */
    enum Elementwise {
        ADD(Tensor::add, Tensor::addInPlace, (x, y) -> x + y),
        SUB(Tensor::sub, Tensor::subInPlace, (x, y) -> x - y),
        MUL(Tensor::mul, Tensor::mulInPlace, (x, y) -> x * y),
        DIV(Tensor::div, Tensor::divInPlace, (x, y) -> x / y);

        final BinaryOperator<Tensor> op;
        final BinaryOperator<Tensor> inPlace;
        final DoubleBinaryOperator formula;

        Elementwise(BinaryOperator<Tensor> op, BinaryOperator<Tensor> inPlace, DoubleBinaryOperator formula) {
            this.op = op;
            this.inPlace = inPlace;
            this.formula = formula;
        }
    }

    static Stream<Arguments> elementwiseCases() {
        return crossWithDTypes(Elementwise.values());
    }

    /** Checks {@code a op b} and {@code a opInPlace b} against the oracle; operands other than the in-place target stay unchanged. */
    private void checkElementwise(DType dtype, Elementwise op, int[] aShape, int[] bShape) {
        Backend be = backend(dtype);
        double[] av = TestData.gaussian(11, Oracle.size(aShape));
        double[] bv = TestData.nonZero(12, Oracle.size(bShape));
        double[] expected = Oracle.broadcast(av, aShape, bv, bShape, op.formula);
        String context = describe(op, aShape, bShape);
        Tensor a = be.fromArray(av, aShape);
        Tensor b = be.fromArray(bv, bShape);

        Tensor result = op.op.apply(a, b);
        assertClose(context, expected, aShape, result, dtype);
        assertNotSame(a, result, context + ": a new tensor");
        assertExactly(av, a);
        assertExactly(bv, b);

        assertClose(context + " on recycled storage", expected, aShape, onStaleStorage(be, aShape, () -> op.op.apply(a, b)),
                dtype);
        assertExactly(av, a);
        assertExactly(bv, b);
        if (Arrays.equals(aShape, bShape)) {
            // The kernel's out may be its right operand: in place with itself as the operand.
            Tensor self = be.fromArray(bv, bShape);
            assertSame(self, op.inPlace.apply(self, self), context + ": in place with itself as the operand");
            assertClose(context + " in place with itself as the operand", Oracle.broadcast(bv, bShape, bv, bShape,
                    op.formula), bShape, self, dtype);
        }

        assertSame(a, op.inPlace.apply(a, b), context + ": in place returns this");
        assertClose(context + " in place", expected, aShape, a, dtype);
        assertExactly(bv, b);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void addScaledInPlaceIsAxpy(DType dtype) {
        double[] yv = TestData.gaussian(41, 2 * 1000);
        double[] xv = TestData.gaussian(42, 2 * 1000);
        double[] expected = new double[yv.length];
        double alpha = Tolerance.inPrecision(-0.1, dtype);
        for (int i = 0; i < yv.length; i++) {
            expected[i] = yv[i] + alpha * xv[i];
        }
        Tensor y = backend(dtype).fromArray(yv, 2, 1000);
        Tensor x = backend(dtype).fromArray(xv, 2, 1000);
        assertSame(y, y.addScaledInPlace(x, -0.1));
        assertClose(expected, dims(2, 1000), y, dtype);
        assertExactly(xv, x);
        Tensor z = backend(dtype).fromArray(new double[] {1, 2}, 2);
        assertClose(new double[] {3, 6}, dims(2), z.addScaledInPlace(z, 2.0), dtype);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> y.addScaledInPlace(backend(dtype).ones(1000), 1.0),
                "addScaledInPlace: [2, 1000] and [1000]: the operands must have the same shape");
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseOfSameShapes(DType dtype, Elementwise op) {
        checkElementwise(dtype, op, dims(5), dims(5));
        checkElementwise(dtype, op, dims(2, 3), dims(2, 3));
        checkElementwise(dtype, op, dims(2, 2, 3), dims(2, 2, 3));
        checkElementwise(dtype, op, dims(), dims());
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseWithOneElementRightOperand(DType dtype, Elementwise op) {
        checkElementwise(dtype, op, dims(2, 3), dims());
        checkElementwise(dtype, op, dims(2, 3), dims(1));
        checkElementwise(dtype, op, dims(2, 3), dims(1, 1));
        checkElementwise(dtype, op, dims(4), dims());
        checkElementwise(dtype, op, dims(4), dims(1));
        checkElementwise(dtype, op, dims(), dims(1));
        checkElementwise(dtype, op, dims(2, 2, 3), dims(1, 1, 1));
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseWithRowVectorRightOperand(DType dtype, Elementwise op) {
        checkElementwise(dtype, op, dims(3, 4), dims(4));
        checkElementwise(dtype, op, dims(3, 4), dims(1, 4));
        checkElementwise(dtype, op, dims(2, 3, 4), dims(4));
        checkElementwise(dtype, op, dims(2, 3, 4), dims(1, 4));
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseWithColumnVectorRightOperand(DType dtype, Elementwise op) {
        checkElementwise(dtype, op, dims(3, 4), dims(3, 1));
        checkElementwise(dtype, op, dims(4, 4), dims(4, 1));
        checkElementwise(dtype, op, dims(1, 5), dims(1, 1));
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseOfALargerTensorInEveryForm(DType dtype, Elementwise op) {
        checkElementwise(dtype, op, dims(128, 200), dims(128, 200));
        checkElementwise(dtype, op, dims(128, 200), dims());
        checkElementwise(dtype, op, dims(128, 200), dims(1, 200));
        checkElementwise(dtype, op, dims(128, 200), dims(128, 1));
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseInPlaceWithItselfAsOperand(DType dtype, Elementwise op) {
        double[] xv = TestData.nonZero(13, 6);
        Tensor x = backend(dtype).fromArray(xv, 2, 3);
        assertSame(x, op.inPlace.apply(x, x));
        assertClose(describe(op + " x with x", dims(2, 3)), Oracle.broadcast(xv, dims(2, 3), xv, dims(2, 3), op.formula),
                dims(2, 3), x, dtype);
    }

    @ParameterizedTest
    @MethodSource(OPS + "elementwiseCases")
    void elementwiseInPlaceWithAViewOfItselfAsOperand(DType dtype, Elementwise op) {
        Backend be = backend(dtype);
        double[] xv = TestData.nonZero(16, 3);
        Tensor row = be.fromArray(xv, 1, 3);
        assertSame(row, op.inPlace.apply(row, row.reshape(3)));
        assertClose(op + " [1, 3] with itself as a row [3]", Oracle.broadcast(xv, dims(3), xv, dims(3), op.formula),
                dims(1, 3), row, dtype);
        Tensor one = be.fromArray(new double[] {xv[0]}, 1);
        assertSame(one, op.inPlace.apply(one, one.reshape()));
        assertCloseScalar(op.formula.applyAsDouble(xv[0], xv[0]), one, dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwiseAcceptsTransposedAndReshapedOperands(DType dtype) {
        Backend be = backend(dtype);
        double[] av = TestData.gaussian(14, 6);
        double[] bv = TestData.gaussian(15, 6);
        Tensor a = be.fromArray(av, 3, 2);
        Tensor b = be.fromArray(bv, 6);
        double[] aT = Oracle.transpose(av, 3, 2);
        assertClose(aT, dims(2, 3), a.transpose(), dtype);
        assertClose(Oracle.broadcast(aT, dims(2, 3), bv, dims(2, 3), (x, y) -> x + y), dims(2, 3),
                a.transpose().add(b.reshape(2, 3)), dtype);
        assertClose(Oracle.broadcast(bv, dims(3, 2), av, dims(3, 2), (x, y) -> x * y), dims(3, 2),
                b.reshape(-1, 2).mul(a), dtype);
        assertClose(Oracle.broadcast(aT, dims(2, 3), Arrays.copyOf(bv, 3), dims(1, 3), (x, y) -> x - y), dims(2, 3),
                a.transpose().sub(b.reshape(2, 3).gatherRows(new int[] {0})), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwiseOnEmptyTensors(DType dtype) {
        Backend be = backend(dtype);
        assertShape(dims(0, 3), be.zeros(0, 3).add(be.zeros(0, 3)));
        assertShape(dims(0, 3), be.zeros(0, 3).mul(be.ones(3)));
        assertShape(dims(0), be.zeros(0).addInPlace(be.scalar(2)));
        assertShape(dims(2, 0), be.zeros(2, 0).sub(be.zeros(2, 1)));
        assertShape(dims(0, 2), be.zeros(0, 2).exp());
        assertShape(dims(0, 2), be.zeros(0, 2).gt(0));
        assertShape(dims(0, 2), be.zeros(0, 2).maskedFill(be.zeros(0, 2), 1));
    }

    // =============================================================================================
    // Arithmetic with a scalar
    // =============================================================================================

    /** A tensor-scalar operation of the new-tensor form. */
    interface ScalarCall {
        Tensor apply(Tensor x, double s);
    }

    /** A tensor-scalar operation, its in-place form where it has one ({@code null} otherwise), and its formula {@code f(x, s)}. */
    enum ScalarArith {
        ADD(Tensor::add, Tensor::addInPlace, (x, s) -> x + s),
        SUB(Tensor::sub, null, (x, s) -> x - s),
        MUL(Tensor::mul, Tensor::mulInPlace, (x, s) -> x * s),
        DIV(Tensor::div, null, (x, s) -> x / s),
        RSUB(Tensor::rsub, null, (x, s) -> s - x),
        RDIV(Tensor::rdiv, null, (x, s) -> s / x),
        MAXIMUM(Tensor::maximum, null, Math::max);

        final ScalarCall op;
        final ScalarCall inPlace;
        final DoubleBinaryOperator formula;

        ScalarArith(ScalarCall op, ScalarCall inPlace, DoubleBinaryOperator formula) {
            this.op = op;
            this.inPlace = inPlace;
            this.formula = formula;
        }
    }

    static Stream<Arguments> scalarCases() {
        return crossWithDTypes(ScalarArith.values());
    }

    @ParameterizedTest
    @MethodSource(OPS + "scalarCases")
    void scalarOperationAppliesToEveryElement(DType dtype, ScalarArith op) {
        Backend be = backend(dtype);
        for (int[] shape : new int[][] {dims(2, 3), dims(), dims(2, 2, 3), dims(0), dims(100, 120)}) {
            for (double s : new double[] {0.75, -1.5, 0.0}) {
                double[] xv = TestData.nonZero(21, Oracle.size(shape));
                Tensor x = be.fromArray(xv, shape);
                double[] expected = Oracle.map(xv, v -> op.formula.applyAsDouble(v, s));
                Tensor result = op.op.apply(x, s);
                assertClose(describe(op + " " + s, shape), expected, shape, result, dtype);
                assertNotSame(x, result);
                assertExactly(xv, x);
                assertClose(describe(op + " " + s + " on recycled storage", shape), expected, shape,
                        onStaleStorage(be, shape, () -> op.op.apply(x, s)), dtype);
                assertExactly(xv, x);
                if (op.inPlace != null) {
                    assertSame(x, op.inPlace.apply(x, s), "in place returns this");
                    assertClose(describe(op + " " + s + " in place", shape), expected, shape, x, dtype);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void scalarInPlaceOperationsModifyAndReturnThis(DType dtype) {
        Backend be = backend(dtype);
        double[] xv = TestData.gaussian(22, 6);
        Tensor x = be.fromArray(xv, 2, 3);
        assertSame(x, x.addInPlace(0.5));
        double[] expected = Oracle.map(xv, v -> v + 0.5);
        assertClose("addInPlace", expected, dims(2, 3), x, dtype);
        assertSame(x, x.mulInPlace(-2));
        expected = Oracle.map(expected, v -> v * -2);
        assertClose("mulInPlace", expected, dims(2, 3), x, dtype);
    }

    // =============================================================================================
    // Elementwise functions
    // =============================================================================================

    /** An elementwise function and its formula. */
    enum UnaryFunction {
        EXP(Tensor::exp, Math::exp),
        LOG(Tensor::log, Math::log),
        SQRT(Tensor::sqrt, Math::sqrt),
        NEG(Tensor::neg, x -> -x);

        final UnaryOperator<Tensor> op;
        final DoubleUnaryOperator formula;

        UnaryFunction(UnaryOperator<Tensor> op, DoubleUnaryOperator formula) {
            this.op = op;
            this.formula = formula;
        }
    }

    static Stream<Arguments> functionCases() {
        return crossWithDTypes(UnaryFunction.values());
    }

    @ParameterizedTest
    @MethodSource(OPS + "functionCases")
    void elementwiseFunctionAppliesToEveryElement(DType dtype, UnaryFunction fn) {
        Backend be = backend(dtype);
        for (int[] shape : new int[][] {dims(2, 3), dims(), dims(2, 1, 4), dims(100, 120), dims(0)}) {
            double[] xv = fn == UnaryFunction.LOG || fn == UnaryFunction.SQRT
                    ? TestData.positive(31, Oracle.size(shape)) : TestData.nonZero(31, Oracle.size(shape));
            double[] expected = Oracle.map(xv, fn.formula);
            Tensor x = be.fromArray(xv, shape);
            assertClose(describe(fn, shape), expected, shape, fn.op.apply(x), dtype);
            assertExactly(xv, x);
            assertClose(describe(fn + " on recycled storage", shape), expected, shape,
                    onStaleStorage(be, shape, () -> fn.op.apply(x)), dtype);
            assertExactly(xv, x);
        }
    }

    // =============================================================================================
    // Matrix product
    // =============================================================================================

    /** Values for an operand: {@code n} numbers from a seed. */
    interface Values {
        double[] of(long seed, int n);
    }

    /**
     * Checks {@code op(a) · op(b)} for {@code [m, k] · [k, n]} in all four transpose combinations; a
     * transposed operand is stored transposed, so that {@code op} restores {@code [m, k]} or {@code [k, n]}.
     * With {@code recycled}, the product is made on stale recycled storage ({@link #onStaleStorage}).
     */
    private void checkMatmul(DType dtype, int m, int k, int n, Values values, boolean recycled) {
        Backend be = backend(dtype);
        double[] av = values.of(41, m * k);
        double[] bv = values.of(42, k * n);
        double[] expected = Oracle.matmul(av, bv, m, k, n);
        for (boolean ta : BOOLEANS) {
            for (boolean tb : BOOLEANS) {
                String context = "matmul " + m + "x" + k + " · " + k + "x" + n + (ta ? ", left transposed" : "")
                        + (tb ? ", right transposed" : "") + (recycled ? ", on recycled storage" : "");
                double[] aStored = ta ? Oracle.transpose(av, m, k) : av;
                double[] bStored = tb ? Oracle.transpose(bv, k, n) : bv;
                Tensor a = be.fromArray(aStored, ta ? dims(k, m) : dims(m, k));
                Tensor b = be.fromArray(bStored, tb ? dims(n, k) : dims(k, n));
                // On recycled storage, stale contents must not leak in (as NaN * 0 would).
                Tensor result = recycled ? onStaleStorage(be, dims(m, n), () -> a.matmul(b, ta, tb)) : a.matmul(b, ta, tb);
                assertClose(context, expected, dims(m, n), result, dtype);
                assertExactly(aStored, a);
                assertExactly(bStored, b);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulInAllFourTransposeCombinations(DType dtype) {
        checkMatmul(dtype, 2, 3, 4, TestData::gaussian, false);
        checkMatmul(dtype, 5, 4, 3, TestData::gaussian, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOnRecycledStorageOverwritesItInAllFourTransposeCombinations(DType dtype) {
        checkMatmul(dtype, 2, 3, 4, TestData::gaussian, true);
        checkMatmul(dtype, 1, 1, 1, TestData::gaussian, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfOneByOneMatrices(DType dtype) {
        checkMatmul(dtype, 1, 1, 1, TestData::gaussian, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithSingleRowOperands(DType dtype) {
        checkMatmul(dtype, 1, 3, 4, TestData::gaussian, false);
        checkMatmul(dtype, 1, 5, 1, TestData::gaussian, false);
        checkMatmul(dtype, 3, 1, 4, TestData::gaussian, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithSingleColumnOperands(DType dtype) {
        checkMatmul(dtype, 4, 3, 1, TestData::gaussian, false);
        checkMatmul(dtype, 4, 1, 3, TestData::gaussian, false);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfLargerMatrices(DType dtype) {
        // Positive values: no cancellation, so float32 accumulation error stays relative to the result.
        checkMatmul(dtype, 67, 130, 45, TestData::positive, false);
        checkMatmul(dtype, 67, 130, 45, TestData::positive, true);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithEmptyDimensions(DType dtype) {
        Backend be = backend(dtype);
        assertExactly(new double[6], be.zeros(2, 0).matmul(be.zeros(0, 3)));
        assertShape(dims(2, 3), be.zeros(2, 0).matmul(be.zeros(0, 3)));
        Tensor a = be.zeros(2, 0);
        Tensor b = be.zeros(0, 3);
        assertExactly(new double[6], onStaleStorage(be, dims(2, 3), () -> a.matmul(b)));
        assertShape(dims(0, 2), be.zeros(0, 3).matmul(be.ones(3, 2)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulWithoutFlagsIsThePlainProduct(DType dtype) {
        Backend be = backend(dtype);
        double[] av = TestData.gaussian(43, 6);
        double[] bv = TestData.gaussian(44, 12);
        assertClose(Oracle.matmul(av, bv, 2, 3, 4), dims(2, 4), be.fromArray(av, 2, 3).matmul(be.fromArray(bv, 3, 4)),
                dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulAcceptsTransposedAndReshapedOperands(DType dtype) {
        Backend be = backend(dtype);
        double[] av = TestData.gaussian(45, 6);
        double[] bv = TestData.gaussian(46, 12);
        Tensor aStoredTransposed = be.fromArray(Oracle.transpose(av, 2, 3), 3, 2);
        Tensor bFlat = be.fromArray(bv, 12);
        double[] expected = Oracle.matmul(av, bv, 2, 3, 4);
        assertClose(expected, dims(2, 4), aStoredTransposed.transpose().matmul(bFlat.reshape(3, 4)), dtype);
        assertClose(expected, dims(2, 4), be.fromArray(av, 6).reshape(2, -1).matmul(bFlat.reshape(-1, 4)), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfATensorWithItself(DType dtype) {
        double[] xv = TestData.gaussian(47, 6);
        Tensor x = backend(dtype).fromArray(xv, 2, 3);
        double[] xT = Oracle.transpose(xv, 2, 3);
        assertClose("x · xᵀ", Oracle.matmul(xv, xT, 2, 3, 2), dims(2, 2), x.matmul(x, false, true), dtype);
        assertClose("xᵀ · x", Oracle.matmul(xT, xv, 3, 2, 3), dims(3, 3), x.matmul(x, true, false), dtype);
        assertExactly(xv, x);
    }

    // =============================================================================================
    // Reductions
    // =============================================================================================

    /** A reduction along an axis. */
    interface AxisCall {
        Tensor apply(Tensor x, int axis);
    }

    /** A reduction along an axis and its oracle. */
    enum Reduce {
        SUM(Tensor::sum, Oracle.Reduction.SUM),
        MAX(Tensor::max, Oracle.Reduction.MAX),
        MEAN(Tensor::mean, Oracle.Reduction.MEAN),
        ARGMAX(Tensor::argmax, Oracle.Reduction.ARGMAX);

        final AxisCall alongAxis;
        final Oracle.Reduction oracle;

        Reduce(AxisCall alongAxis, Oracle.Reduction oracle) {
            this.alongAxis = alongAxis;
            this.oracle = oracle;
        }
    }

    static Stream<Arguments> reductionCases() {
        return crossWithDTypes(Reduce.values());
    }

    /** Checks the reduction along every axis of {@code shape}, given both as 0..rank-1 and as -rank..-1. */
    private void checkAlongEveryAxis(DType dtype, Reduce reduce, int[] shape, double[] values) {
        Tensor x = backend(dtype).fromArray(values, shape);
        for (int axis = -shape.length; axis < shape.length; axis++) {
            int normalized = axis < 0 ? axis + shape.length : axis;
            double[] expected = Oracle.reduce(values, shape, normalized, reduce.oracle);
            assertClose(describe(reduce + " along axis " + axis + " of", shape), expected,
                    Oracle.dropAxis(shape, normalized), reduce.alongAxis.apply(x, axis), dtype);
        }
        assertExactly(values, x);
    }

    @ParameterizedTest
    @MethodSource(OPS + "reductionCases")
    void reductionAlongEachAxisOf1D2DAnd3DTensors(DType dtype, Reduce reduce) {
        for (int[] shape : new int[][] {dims(5), dims(3, 4), dims(2, 3, 4), dims(1, 1), dims(4, 1), dims(1, 4)}) {
            checkAlongEveryAxis(dtype, reduce, shape, TestData.gaussian(51, Oracle.size(shape)));
        }
    }

    @ParameterizedTest
    @MethodSource(OPS + "reductionCases")
    void reductionAlongEachAxisOfALargerTensor(DType dtype, Reduce reduce) {
        // Positive values: a float32 sum of 300 terms without cancellation stays within the relative tolerance.
        checkAlongEveryAxis(dtype, reduce, dims(64, 300), TestData.positive(52, 64 * 300));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void argmaxTakesTheFirstOfTiedMaximaInLargerTensors(DType dtype) {
        // Few distinct values: every line has many tied maxima, wherever a parallel reduction splits it.
        for (int[] shape : new int[][] {dims(50, 400), dims(20, 30, 40)}) {
            double[] values = TestData.gaussian(59, Oracle.size(shape));
            for (int i = 0; i < values.length; i++) {
                values[i] = Math.floor(values[i]);
            }
            checkAlongEveryAxis(dtype, Reduce.ARGMAX, shape, values);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nanAnywhereInALargerTensorReachesMaxSumAndMean(DType dtype) {
        int[] shape = dims(64, 300);
        double[] values = TestData.positive(60, 64 * 300);
        for (int index : new int[] {5 * 300 + 123, 17 * 300, 63 * 300 + 299}) {
            values[index] = Double.NaN;
        }
        checkAlongEveryAxis(dtype, Reduce.MAX, shape, values);
        checkAlongEveryAxis(dtype, Reduce.SUM, shape, values);
        checkAlongEveryAxis(dtype, Reduce.MEAN, shape, values);
        Tensor x = backend(dtype).fromArray(values, shape);
        assertExactly(new double[] {Double.NaN}, x.max());
        assertExactly(new double[] {Double.NaN}, x.sum());
        assertExactly(new double[] {Double.NaN}, x.mean());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxOverAllElementsOfALargerTensor(DType dtype) {
        double[] values = TestData.gaussian(61, 64 * 300);
        assertCloseScalar(Oracle.max(values), backend(dtype).fromArray(values, 64, 300).max(), dtype);
        values[64 * 300 - 1] = 100;
        assertCloseScalar(100, backend(dtype).fromArray(values, 64, 300).max(), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sumMaxAndMeanOverAllElementsGiveRankZero(DType dtype) {
        Backend be = backend(dtype);
        for (int[] shape : new int[][] {dims(), dims(5), dims(3, 4), dims(2, 3, 4)}) {
            double[] values = TestData.gaussian(53, Oracle.size(shape));
            Tensor x = be.fromArray(values, shape);
            assertClose(describe("sum()", shape), new double[] {Oracle.sum(values)}, dims(), x.sum(), dtype);
            assertClose(describe("max()", shape), new double[] {Oracle.max(values)}, dims(), x.max(), dtype);
            assertClose(describe("mean()", shape), new double[] {Oracle.mean(values)}, dims(), x.mean(), dtype);
            assertExactly(values, x);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsOnRecycledStorageOverwriteIt(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(54, 24);
        Tensor x = be.fromArray(values, 2, 3, 4);
        for (Reduce reduce : Reduce.values()) {
            for (int axis : new int[] {0, 1, 2, -1}) {
                int normalized = axis < 0 ? axis + 3 : axis;
                int[] reduced = Oracle.dropAxis(dims(2, 3, 4), normalized);
                int a = axis;
                assertClose(reduce + " along " + axis + " on recycled storage", Oracle.reduce(values, dims(2, 3, 4),
                        normalized, reduce.oracle), reduced, onStaleStorage(be, reduced, () -> reduce.alongAxis.apply(x, a)),
                        dtype);
            }
        }
        assertClose("sum() on recycled storage", new double[] {Oracle.sum(values)}, dims(),
                onStaleStorage(be, dims(), x::sum), dtype);
        Tensor empty = be.ones(0, 3);
        assertExactly(new double[3], onStaleStorage(be, dims(3), () -> empty.sum(0)));
        assertExactly(new double[] {0}, onStaleStorage(be, dims(), be.zeros(0)::sum));
        assertExactly(values, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void argmaxTakesTheFirstOfTiedMaxima(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.fromArray(new double[] {1, 3, 3, 2, 2, 1, 5, 5, 5}, 3, 3);
        assertClose(new double[] {1, 0, 0}, dims(3), x.argmax(1), dtype);
        assertClose(new double[] {2, 2, 2}, dims(3), x.argmax(0), dtype);
        Tensor columns = be.fromArray(new double[] {4, 1, 2, 4, 3, 2}, 2, 3);
        assertClose(new double[] {0, 1, 0}, dims(3), columns.argmax(0), dtype);
        assertCloseScalar(1, be.fromArray(new double[] {2, 7, 7, 1}, 4).argmax(0), dtype);
        double inf = Double.NEGATIVE_INFINITY;
        assertCloseScalar(0, be.fromArray(new double[] {inf, inf, inf}, 3).argmax(-1), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsOfEmptyTensors(DType dtype) {
        Backend be = backend(dtype);
        assertClose(new double[] {0}, dims(), be.zeros(0).sum(), dtype);
        assertClose(new double[] {0, 0, 0}, dims(3), be.ones(0, 3).sum(0), dtype);
        assertShape(dims(0), be.ones(0, 3).sum(1));
        assertShape(dims(0), be.ones(0, 3).max(1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reductionsOfTransposedAndReshapedTensors(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(55, 12);
        double[] transposed = Oracle.transpose(values, 3, 4);
        Tensor x = be.fromArray(values, 3, 4);
        assertClose(Oracle.reduce(transposed, dims(4, 3), 1, Oracle.Reduction.SUM), dims(4), x.transpose().sum(1), dtype);
        assertClose(Oracle.reduce(values, dims(2, 6), 0, Oracle.Reduction.MAX), dims(6), x.reshape(2, 6).max(0), dtype);
        assertClose(Oracle.reduce(values, dims(6, 2), 1, Oracle.Reduction.MEAN), dims(6), x.reshape(-1, 2).mean(-1),
                dtype);
    }

    // =============================================================================================
    // Comparisons and masks
    // =============================================================================================

    /** A comparison with a scalar. */
    interface Comparison {
        boolean test(double x, double s);
    }

    /** A comparison producing a mask, and its formula in Java (where any comparison with NaN is false). */
    enum Compare {
        GT(Tensor::gt, (x, s) -> x > s),
        GE(Tensor::ge, (x, s) -> x >= s),
        LT(Tensor::lt, (x, s) -> x < s),
        LE(Tensor::le, (x, s) -> x <= s),
        EQ(Tensor::eq, (x, s) -> x == s);

        final ScalarCall op;
        final Comparison formula;

        Compare(ScalarCall op, Comparison formula) {
            this.op = op;
            this.formula = formula;
        }
    }

    static Stream<Arguments> comparisonCases() {
        return crossWithDTypes(Compare.values());
    }

    @ParameterizedTest
    @MethodSource(OPS + "comparisonCases")
    void comparisonWithScalarGivesMaskOfOnesAndZeros(DType dtype, Compare compare) {
        double[] xv = {-1, 0, 0.5, 1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5, -0.0};
        Tensor x = backend(dtype).fromArray(xv, 3, 3);
        for (double s : new double[] {0.5, 0.0, Double.POSITIVE_INFINITY, Double.NaN}) {
            double[] expected = Oracle.mask(xv, v -> compare.formula.test(v, s));
            assertClose(compare + " " + s, expected, dims(3, 3), compare.op.apply(x, s), dtype);
            double threshold = s;
            assertClose(compare + " " + s + " on recycled storage", expected, dims(3, 3),
                    onStaleStorage(backend(dtype), dims(3, 3), () -> compare.op.apply(x, threshold)), dtype);
        }
        assertExactly(xv, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void eqOfTwoTensorsIsElementwiseAndNaNNeverEqual(DType dtype) {
        Backend be = backend(dtype);
        double nan = Double.NaN;
        double inf = Double.POSITIVE_INFINITY;
        Tensor a = be.fromArray(new double[] {1, 2, nan, inf, 0, -inf}, 2, 3);
        Tensor b = be.fromArray(new double[] {1, 3, nan, inf, -0.0, inf}, 2, 3);
        assertClose(new double[] {1, 0, 0, 1, 1, 0}, dims(2, 3), a.eq(b), dtype);
        assertClose(new double[] {1, 1, 0, 1, 1, 1}, dims(2, 3), a.eq(a), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maskedFillWritesValueWhereMaskIsNonZeroIntoACopy(DType dtype) {
        Backend be = backend(dtype);
        double[] xv = TestData.counting(6);
        Tensor x = be.fromArray(xv, 2, 3);
        Tensor mask = be.fromArray(new double[] {1, 0, 0.5, -2, 0, 1}, 2, 3);
        double ninf = Double.NEGATIVE_INFINITY;
        assertClose(new double[] {ninf, 2, ninf, ninf, 5, ninf}, dims(2, 3), x.maskedFill(mask, ninf), dtype);
        assertClose(new double[] {9, 2, 9, 9, 5, 9}, dims(2, 3), x.maskedFill(mask, 9), dtype);
        assertExactly(xv, x);
        assertClose(new double[] {0, 0, 0, 4, 5, 6}, dims(2, 3), x.maskedFill(x.le(3), 0), dtype);
        assertClose(new double[] {9, 2, 9, 9, 5, 9}, dims(2, 3), onStaleStorage(be, dims(2, 3), () -> x.maskedFill(mask, 9)),
                dtype);
        assertExactly(xv, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maskedFillOfItsOwnResultAndWithNaN(DType dtype) {
        Backend be = backend(dtype);
        double[] xv = TestData.counting(6);
        Tensor x = be.fromArray(xv, 3, 2);
        Tensor mask = be.fromArray(new double[] {0, 1, 1, 0, 0, 1}, 3, 2);
        Tensor filled = x.maskedFill(mask, -0.5);
        assertClose(new double[] {1, -0.5, -0.5, 4, 5, -0.5}, dims(3, 2), filled, dtype);
        assertClose(new double[] {1, Double.NaN, Double.NaN, 4, 5, Double.NaN}, dims(3, 2),
                filled.maskedFill(filled.lt(0), Double.NaN), dtype);
        assertClose(new double[] {1, -0.5, -0.5, 4, 5, -0.5}, dims(3, 2), filled, dtype);
        assertExactly(xv, x);
    }

    // =============================================================================================
    // Shape: reshape, transpose, gatherRows
    // =============================================================================================

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeKeepsRowMajorOrderAndInfersMinusOne(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.counting(12);
        Tensor x = be.fromArray(values, 3, 4);
        assertClose(values, dims(4, 3), x.reshape(4, 3), dtype);
        assertClose(values, dims(2, 3, 2), x.reshape(2, 3, 2), dtype);
        assertClose(values, dims(12), x.reshape(-1), dtype);
        assertClose(values, dims(6, 2), x.reshape(-1, 2), dtype);
        assertClose(values, dims(2, 1, 6), x.reshape(2, 1, -1), dtype);
        assertClose(values, dims(1, 12), x.reshape(1, -1).reshape(1, 12), dtype);
        assertClose(new double[] {5}, dims(), be.scalar(5).reshape(1, 1).reshape(), dtype);
        assertShape(dims(3, 0), be.zeros(0, 3).reshape(3, 0));
        assertShape(dims(0, 3), be.zeros(3, 0).reshape(-1, 3));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeIsAViewWritesThroughEitherAreSeenByBoth(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.fromArray(TestData.counting(6), 2, 3);
        Tensor view = x.reshape(3, 2);
        view.set(-1, 2, 1);
        assertEquals(-1, x.get(1, 2), "set through the view, read through the original");
        x.set(-2, 0, 0);
        assertEquals(-2, view.get(0, 0), "set through the original, read through the view");
        view.addInPlace(10);
        assertClose(new double[] {8, 12, 13, 14, 15, 9}, dims(2, 3), x, dtype);
        x.mulInPlace(be.fromArray(new double[] {1, 2, 3}, 3));
        assertClose(new double[] {8, 24, 39, 14, 30, 27}, dims(3, 2), view, dtype);
        x.assign(new double[] {6, 5, 4, 3, 2, 1});
        assertClose(new double[] {6, 5, 4, 3, 2, 1}, dims(3, 2), view, dtype);
        view.reshape(6).assign(be.fromArray(TestData.counting(6), 6));
        assertClose(TestData.counting(6), dims(2, 3), x, dtype);
    }

    /** An in-place write, named for failure messages. */
    record InPlaceWrite(String name, UnaryOperator<Tensor> apply) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every kind of in-place write, each applicable to a tensor of any shape with 6 positive elements. */
    private static InPlaceWrite[] inPlaceWrites(Backend be) {
        return new InPlaceWrite[] {
            new InPlaceWrite("addInPlace(tensor)", t -> t.addInPlace(be.scalar(1.5))),
            new InPlaceWrite("subInPlace(tensor)", t -> t.subInPlace(be.scalar(1.5))),
            new InPlaceWrite("mulInPlace(tensor)", t -> t.mulInPlace(be.scalar(-2))),
            new InPlaceWrite("divInPlace(tensor)", t -> t.divInPlace(be.scalar(4))),
            new InPlaceWrite("addInPlace(s)", t -> t.addInPlace(0.5)),
            new InPlaceWrite("mulInPlace(s)", t -> t.mulInPlace(-3)),
            new InPlaceWrite("addScaledInPlace", t -> t.addScaledInPlace(be.full(2, t.shape().dims()), -0.5)),
            new InPlaceWrite("addInPlace(itself)", t -> t.addInPlace(t)),
            new InPlaceWrite("assign(tensor)", t -> t.assign(t.neg())),
            new InPlaceWrite("assign(double[])", t -> t.assign(TestData.counting(6))),
            new InPlaceWrite("assign(float[])", t -> t.assign(new float[] {6, 5, 4, 3, 2, 1})),
            new InPlaceWrite("set", t -> {
                t.set(9, new int[t.rank()]);
                return t;
            }),
        };
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void everyInPlaceWriteThroughAReshapeIsSeenByTheOriginalAndBack(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.positive(56, 6);
        for (InPlaceWrite write : inPlaceWrites(be)) {
            Tensor expected = write.apply.apply(be.fromArray(values, 6));
            Tensor original = be.fromArray(values, 2, 3);
            write.apply.apply(original.reshape(3, 2));
            assertClose(write + " through a view", expected.toDoubleArray(), dims(2, 3), original, dtype);
            Tensor view = original.assign(values).reshape(1, 6).reshape(6);
            write.apply.apply(original);
            assertClose(write + " seen through a view of a view", expected.toDoubleArray(), dims(6), view, dtype);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposeOfMatrixIsANewTensor(DType dtype) {
        Backend be = backend(dtype);
        for (int[] shape : new int[][] {dims(2, 3), dims(1, 4), dims(4, 1), dims(1, 1), dims(0, 3)}) {
            double[] values = TestData.gaussian(61, Oracle.size(shape));
            Tensor x = be.fromArray(values, shape);
            Tensor t = x.transpose();
            assertClose(describe("transpose", shape), Oracle.transpose(values, shape[0], shape[1]),
                    dims(shape[1], shape[0]), t, dtype);
            t.assign(new double[t.size()]);
            assertExactly(values, x);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposeOfVectorOrScalarIsAnIndependentCopy(DType dtype) {
        Backend be = backend(dtype);
        for (int[] shape : new int[][] {dims(3), dims()}) {
            double[] values = TestData.gaussian(62, Oracle.size(shape));
            Tensor x = be.fromArray(values, shape);
            Tensor t = x.transpose();
            assertNotSame(x, t);
            assertClose(describe("transpose", shape), values, shape, t, dtype);
            t.assign(new double[t.size()]);
            assertExactly(values, x);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherRowsInTheGivenOrderWithRepeats(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(63, 12);
        Tensor x = be.fromArray(values, 4, 3);
        int[] rows = {2, 0, 2, 3};
        Tensor gathered = x.gatherRows(rows);
        assertClose(Oracle.gatherRows(values, dims(4, 3), rows), dims(4, 3), gathered, dtype);
        gathered.assign(new double[12]);
        assertExactly(values, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherRowsOf1DAnd3DTensors(DType dtype) {
        Backend be = backend(dtype);
        double[] cube = TestData.gaussian(64, 24);
        int[] rows = {3, 1, 1};
        assertClose(Oracle.gatherRows(cube, dims(4, 2, 3), rows), dims(3, 2, 3),
                be.fromArray(cube, 4, 2, 3).gatherRows(rows), dtype);
        double[] vector = TestData.gaussian(65, 5);
        assertClose(new double[] {vector[4], vector[0]}, dims(2), be.fromArray(vector, 5).gatherRows(new int[] {4, 0}),
                dtype);
        assertShape(dims(0, 3), be.ones(4, 3).gatherRows(new int[0]));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void gatherRowsOnRecycledStorageOverwritesIt(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(66, 15);
        int[] rows = {4, 4, 0};
        Tensor x = be.fromArray(values, 5, 3);
        assertClose(Oracle.gatherRows(values, dims(5, 3), rows), dims(3, 3), onStaleStorage(be, dims(3, 3),
                () -> x.gatherRows(rows)), dtype);
        assertExactly(values, x);
    }

    // =============================================================================================
    // Elements and copies
    // =============================================================================================

    @ParameterizedTest
    @EnumSource(DType.class)
    void getReadsTheRowMajorElement(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(71, 24);
        Tensor x = be.fromArray(values, 2, 3, 4);
        assertEquals(values[0], x.get(0, 0, 0));
        assertEquals(values[1 * 12 + 2 * 4 + 3], x.get(1, 2, 3));
        assertEquals(values[0 * 12 + 1 * 4 + 2], x.get(0, 1, 2));
        assertEquals(values[7], be.fromArray(values, 24).get(7));
        assertEquals(values[0], be.fromArray(new double[] {values[0]}).get());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void setWritesOneElementInTheDTypesPrecision(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.zeros(2, 3);
        x.set(0.1, 1, 2);
        x.set(-4, 0, 1);
        assertEquals(Tolerance.inPrecision(0.1, dtype), x.get(1, 2));
        assertExactly(new double[] {0, -4, 0, 0, 0, Tolerance.inPrecision(0.1, dtype)}, x);
        Tensor scalar = be.scalar(1);
        scalar.set(3);
        assertEquals(3, scalar.item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void itemOfAOneElementTensorOfAnyRank(DType dtype) {
        Backend be = backend(dtype);
        assertEquals(2.5, be.scalar(2.5).item());
        assertEquals(-3, be.fromArray(new double[] {-3}, 1).item());
        assertEquals(4, be.full(4, 1, 1, 1).item());
        assertEquals(Tolerance.inPrecision(0.1, dtype), be.scalar(0.1).item());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void copyIsDeepAndIndependent(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(72, 6);
        Tensor x = be.fromArray(values, 2, 3);
        Tensor copy = x.copy();
        assertNotSame(x, copy);
        assertClose(values, dims(2, 3), copy, dtype);
        copy.set(100, 0, 0);
        assertExactly(values, x);
        x.set(-100, 1, 1);
        assertEquals(values[4], copy.get(1, 1));
        Tensor viewCopy = x.reshape(3, 2).copy();
        x.addInPlace(1);
        assertShape(dims(3, 2), viewCopy);
        assertEquals(-100, viewCopy.get(2, 0));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void assignFromTensorCopiesAndReturnsThis(DType dtype) {
        Backend be = backend(dtype);
        double[] values = TestData.gaussian(73, 6);
        Tensor source = be.fromArray(values, 2, 3);
        Tensor x = be.zeros(2, 3);
        assertSame(x, x.assign(source));
        source.set(50, 0, 0);
        assertExactly(values, x);
        assertSame(x, x.assign(x));
        assertExactly(values, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void assignFromJavaArraysCopiesInTheDTypesPrecision(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.zeros(3);
        double[] doubles = {1.0 / 3, -2, 1e-3};
        assertSame(x, x.assign(doubles));
        doubles[0] = 9;
        assertExactly(TestData.inPrecision(dtype, 1.0 / 3, -2, 1e-3), x);
        float[] floats = {0.1f, 2.5f, -7f};
        assertSame(x, x.assign(floats));
        floats[0] = 9;
        assertExactly(new double[] {0.1f, 2.5f, -7f}, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void toDoubleArrayAndToFloatArrayReturnFreshRowMajorCopies(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.fromArray(new double[] {1.0 / 3, 2, -1e-3, 4}, 2, 2);
        double[] doubles = x.toDoubleArray();
        assertArrayEquals(TestData.inPrecision(dtype, 1.0 / 3, 2, -1e-3, 4), doubles);
        doubles[0] = 99;
        assertNotSame(doubles, x.toDoubleArray());
        assertEquals(Tolerance.inPrecision(1.0 / 3, dtype), x.get(0, 0));
        float[] floats = x.toFloatArray();
        assertArrayEquals(new float[] {1f / 3, 2, -1e-3f, 4}, floats);
        floats[1] = 99;
        assertEquals(2, x.get(0, 1));
        assertEquals(0, be.zeros(0, 4).toFloatArray().length);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void toStringPrintsNestedBrackets(DType dtype) {
        Backend be = backend(dtype);
        assertEquals("[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]", be.fromArray(TestData.counting(6), 2, 3).toString());
        assertEquals("2.5", be.scalar(2.5).toString());
        assertEquals("[]", be.zeros(0).toString());
    }

    // =============================================================================================
    // Extreme values and IEEE 754
    // =============================================================================================

    /** A magnitude near the top of the dtype's range: 1e300 in float64, 1e38 in float32. */
    private static double huge(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e300 : 1e38;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void hugeValuesStayFiniteWhileTheResultFits(DType dtype) {
        Backend be = backend(dtype);
        double[] xv = TestData.inPrecision(dtype, huge(dtype), -huge(dtype), huge(dtype) / 2);
        Tensor x = be.fromArray(xv, 3);
        assertClose(Oracle.map(xv, v -> v + v), dims(3), x.add(x), dtype);
        assertClose(Oracle.map(xv, v -> v - -v), dims(3), x.sub(x.neg()), dtype);
        assertClose(Oracle.map(xv, v -> v * 3), dims(3), x.mul(3), dtype);
        assertClose(Oracle.map(xv, v -> v / 0.5), dims(3), x.div(be.scalar(0.5)), dtype);
        assertCloseScalar(xv[0] + xv[2], be.fromArray(new double[] {xv[0], xv[2]}, 2).sum(), dtype);
        assertCloseScalar(xv[0], be.fromArray(new double[] {xv[0], xv[0]}, 2).mean(), dtype);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void overflowGivesSignedInfinity(DType dtype) {
        Backend be = backend(dtype);
        double big = huge(dtype);
        double largest = dtype == DType.FLOAT64 ? Double.MAX_VALUE : Float.MAX_VALUE;
        double inf = Double.POSITIVE_INFINITY;
        Tensor x = be.fromArray(new double[] {big, -big, big}, 3);
        assertExactly(new double[] {inf, -inf, inf}, x.mul(be.full(big, 3)));
        assertExactly(new double[] {inf, -inf, inf}, x.mul(big));
        Tensor extremes = be.fromArray(new double[] {largest, -largest}, 2);
        assertExactly(new double[] {inf, -inf}, extremes.add(extremes));
        assertExactly(new double[] {inf, -inf}, extremes.mul(2));
        assertExactly(new double[] {inf}, be.full(largest, 2).sum());
        assertExactly(new double[] {-inf}, be.full(-largest, 2, 1).sum(0).reshape());
        assertExactly(new double[] {inf, inf}, be.fromArray(new double[] {1000, 800}, 2).exp());
        assertExactly(new double[] {inf}, be.full(big, 1, 2).matmul(be.full(big, 2, 1)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nanPropagatesThroughArithmeticFunctionsAndReductions(DType dtype) {
        Backend be = backend(dtype);
        double nan = Double.NaN;
        double[] values = {1, nan, 3, 4};
        Tensor x = be.fromArray(values, 2, 2);
        assertExactly(new double[] {2, nan, 6, 8}, x.add(x));
        assertExactly(new double[] {nan, nan, nan, nan}, x.mul(be.scalar(nan)));
        assertClose(Oracle.map(values, Math::exp), dims(2, 2), x.exp(), dtype);
        assertExactly(new double[] {1, nan, 3, 4}, x.maximum(0));
        assertExactly(new double[] {nan}, x.sum());
        assertExactly(new double[] {nan}, x.mean());
        assertExactly(new double[] {nan}, x.max());
        assertExactly(new double[] {nan}, be.fromArray(new double[] {nan, 1}, 2).max());
        assertExactly(new double[] {nan, 4}, x.max(1));
        assertExactly(new double[] {3, nan}, x.max(0));
        assertExactly(new double[] {nan, 7}, x.sum(-1));
        assertExactly(new double[] {nan, 3.5}, x.mean(1));
        assertExactly(new double[] {nan, nan, 15, 22}, x.matmul(be.fromArray(new double[] {1, 2, 3, 4}, 2, 2)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maximumWithANaNScalarIsNaN(DType dtype) {
        // "NaN and infinities propagate" (Tensor): max(x, NaN) is NaN, as Math.max and IEEE 754-2019 maximum give.
        Backend be = backend(dtype);
        double nan = Double.NaN;
        assertExactly(new double[] {nan, nan, nan}, be.fromArray(new double[] {-1, 0, 1}, 3).maximum(nan));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void infinitiesAndSignedZerosFollowIeee(DType dtype) {
        Backend be = backend(dtype);
        double inf = Double.POSITIVE_INFINITY;
        double nan = Double.NaN;
        Tensor x = be.fromArray(new double[] {-inf, inf, 0, -0.0}, 4);
        assertExactly(new double[] {0, inf, 1, 1}, x.exp());
        assertExactly(new double[] {nan, inf, -inf, -inf}, x.log());
        assertExactly(new double[] {nan, inf, 0, -0.0}, x.sqrt());
        assertExactly(new double[] {inf, -inf, -0.0, 0}, x.neg());
        assertExactly(new double[] {nan, nan, 0, 0}, x.sub(x));
        assertExactly(new double[] {nan, nan, 0, -0.0}, x.mul(0));
        assertExactly(new double[] {-0.0, 0, inf, -inf}, x.rdiv(1));
        assertExactly(new double[] {nan, inf, inf, inf}, x.add(inf));
        assertExactly(new double[] {inf, -inf, nan}, be.fromArray(new double[] {1, -1, 0}, 3).div(be.zeros(3)));
        assertExactly(new double[] {inf, -inf, nan}, be.fromArray(new double[] {1, -1, 0}, 3).div(0));
        assertExactly(new double[] {inf, 0}, be.fromArray(new double[] {inf, -inf}, 2).maximum(0));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void logAndSqrtOfNegativeAreNaNAndLogOfZeroIsMinusInfinity(DType dtype) {
        Tensor x = backend(dtype).fromArray(new double[] {-1, 0, -1e-30, 1}, 4);
        assertExactly(new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.NaN, 0}, x.log());
        assertExactly(new double[] {Double.NaN, 0, Double.NaN, 1}, x.sqrt());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void comparisonsWithNaNAreFalse(DType dtype) {
        Backend be = backend(dtype);
        Tensor nan = be.fromArray(new double[] {Double.NaN, Double.NaN}, 2);
        for (Compare compare : Compare.values()) {
            assertExactly(new double[] {0, 0}, compare.op.apply(nan, 0));
            assertExactly(new double[] {0, 0}, compare.op.apply(nan, Double.NaN));
        }
        assertExactly(new double[] {0, 0}, nan.eq(nan));
        assertExactly(new double[] {0, 0}, be.ones(2).lt(Double.NaN));
    }

    // =============================================================================================
    // Errors: exception type and message
    // =============================================================================================

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementwiseOfMismatchedShapesIsAShapeMismatch(DType dtype) {
        Backend be = backend(dtype);
        Tensor a = be.ones(2, 3);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.add(be.ones(3, 2)),
                "add: [2, 3] + [3, 2]", "the right operand must have the left's shape [2, 3]",
                "a row vector [3] or [1, 3]", "a column vector [2, 1]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.subInPlace(be.ones(2)),
                "subInPlace: [2, 3] - [2]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(3).mul(be.ones(2, 3)),
                "mul: [3] * [2, 3]", "swap the operands");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(2, 3, 4).div(be.ones(2, 1)),
                "div: [2, 3, 4] / [2, 1]", "a row vector [4] or [1, 4]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(3).add(be.ones(1, 1)),
                "add: [3] + [1, 1]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(2, 3).divInPlace(be.ones(1, 2, 3)),
                "divInPlace: [2, 3] / [1, 2, 3]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void failedInPlaceOperationLeavesTheTensorUnchanged(DType dtype) {
        Backend be = backend(dtype);
        Tensor a = be.fromArray(TestData.counting(6), 2, 3);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.addInPlace(be.ones(3, 2)), "addInPlace");
        Tensor otherDType = backend(other(dtype)).ones(2, 3);
        IncompatibleTensorsException e = assertThrows(IncompatibleTensorsException.class, () -> a.mulInPlace(otherDType));
        assertExactly(TestData.counting(6), a);
        assertTrue(e.getMessage().startsWith("mulInPlace"), "the message names mulInPlace: " + e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfMismatchedInnerDimensionsIsAShapeMismatch(DType dtype) {
        Backend be = backend(dtype);
        Tensor a = be.ones(2, 3);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.matmul(be.ones(4, 5)),
                "matmul: [2, 3] x [4, 5]: 3 != 4", "the left operand's columns must equal the right operand's rows");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.matmul(be.ones(3, 5), true, false),
                "matmul: [2, 3]ᵀ x [3, 5]: 2 != 3");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.matmul(be.ones(5, 4), false, true),
                "matmul: [2, 3] x [5, 4]ᵀ: 3 != 4");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void matmulOfNon2DOperandsIsAShapeMismatch(DType dtype) {
        Backend be = backend(dtype);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(3).matmul(be.ones(3, 2)),
                "matmul: [3] x [3, 2]: both operands must be 2-D", "reshape a vector to [1, n] or [n, 1]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(2, 3).matmul(be.ones(3)),
                "matmul: [2, 3] x [3]: both operands must be 2-D");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(2, 2, 2).matmul(be.ones(2, 2)),
                "matmul: [2, 2, 2] x [2, 2]: both operands must be 2-D");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void invalidShapesAreRejected(DType dtype) {
        Backend be = backend(dtype);
        assertThrowsWithMessage(InvalidShapeException.class, () -> be.zeros(2, -1),
                "shape [2, -1]: dimension 1 is -1", "dimensions must be zero or positive");
        assertThrowsWithMessage(InvalidShapeException.class, () -> Shape.of(65536, 65536),
                "shape [65536, 65536]: more than 2147483647 elements");
        assertThrowsWithMessage(InvalidShapeException.class, () -> be.zeros(65536, 65536),
                "more than 2147483647 elements");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reshapeToAnotherSizeIsAnInvalidShape(DType dtype) {
        Tensor x = backend(dtype).ones(2, 3);
        assertThrowsWithMessage(InvalidShapeException.class, () -> x.reshape(4, 4),
                "reshape: [2, 3] -> [4, 4]: 6 elements cannot become 16");
        assertThrowsWithMessage(InvalidShapeException.class, () -> x.reshape(-1, 4),
                "reshape: [2, 3] -> [-1, 4]: 6 elements do not divide into dimensions of 4");
        assertThrowsWithMessage(InvalidShapeException.class, () -> x.reshape(-1, -1),
                "reshape: [2, 3] -> [-1, -1]: dimension 1 is -1", "at most one -1");
        assertThrowsWithMessage(InvalidShapeException.class, () -> x.reshape(-2, -3),
                "dimension 0 is -2");
        assertThrowsWithMessage(InvalidShapeException.class, () -> x.reshape(-1, 0),
                "do not divide into dimensions of 0");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void axisOutOfRangeIsAnIndexError(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.ones(2, 3);
        assertThrowsWithMessage(TensorIndexException.class, () -> x.sum(2),
                "sum: axis 2 is out of range for [2, 3]: a rank-2 tensor has axes 0..1 (or -2..-1)");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.max(-3), "max: axis -3 is out of range for [2, 3]");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.mean(5), "mean: axis 5 is out of range");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.argmax(-4), "argmax: axis -4 is out of range");
        assertThrowsWithMessage(TensorIndexException.class, () -> be.scalar(1).sum(0),
                "sum: axis 0 is out of range for []", "none (it is a scalar)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rowIndexOutOfRangeIsAnIndexError(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.ones(3, 2);
        assertThrowsWithMessage(TensorIndexException.class, () -> x.gatherRows(new int[] {0, 3}),
                "gatherRows: row index 3 at position 1 is out of range for [3, 2]: rows run 0..2");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.gatherRows(new int[] {-1}),
                "gatherRows: row index -1 at position 0");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.scalar(1).gatherRows(new int[] {0}),
                "gatherRows: a scalar has no rows");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void elementIndexOutOfRangeIsAnIndexError(DType dtype) {
        Tensor x = backend(dtype).ones(2, 3);
        assertThrowsWithMessage(TensorIndexException.class, () -> x.get(2, 0),
                "get: index [2, 0] is out of range for [2, 3]: axis 0 runs 0..1");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.get(0, -1),
                "get: index [0, -1] is out of range for [2, 3]: axis 1 runs 0..2");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.set(5, 1, 3),
                "set: index [1, 3] is out of range for [2, 3]: axis 1 runs 0..2");
        assertExactly(new double[] {1, 1, 1, 1, 1, 1}, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void wrongNumberOfIndicesIsAnIndexError(DType dtype) {
        Backend be = backend(dtype);
        assertThrowsWithMessage(TensorIndexException.class, () -> be.ones(2, 3).get(1),
                "get: index [1] has 1 entries; a tensor of shape [2, 3] needs 2");
        assertThrowsWithMessage(TensorIndexException.class, () -> be.ones(2, 3).set(0, 1, 1, 1),
                "set: index [1, 1, 1] has 3 entries; a tensor of shape [2, 3] needs 2");
        assertThrowsWithMessage(TensorIndexException.class, () -> be.scalar(1).get(0),
                "get: index [0] has 1 entries; a tensor of shape [] needs 0");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void itemOfOtherThanOneElementIsAShapeMismatch(DType dtype) {
        Backend be = backend(dtype);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(2, 3).item(),
                "item: [2, 3] holds 6 elements; item() needs exactly one");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.zeros(0).item(), "item: [0] holds 0 elements");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void mixingDTypesIsIncompatibleAndNamesBoth(DType dtype) {
        Tensor a = backend(dtype).ones(2, 2);
        Tensor b = backend(other(dtype)).ones(2, 2);
        String[] both = {dtype.label(), other(dtype).label()};
        assertIncompatible("add", () -> a.add(b), both);
        assertIncompatible("addScaledInPlace", () -> a.addScaledInPlace(b, 1.0), both);
        assertIncompatible("matmul", () -> a.matmul(b), both);
        assertIncompatible("matmul", () -> a.matmul(b, true, false), both);
        assertIncompatible("eq", () -> a.eq(b), both);
        assertIncompatible("maskedFill", () -> a.maskedFill(b, 0), both);
        assertIncompatible("assign", () -> a.assign(b), both);
        assertIncompatible("softmaxCrossEntropy", () -> a.softmaxCrossEntropy(b), both);
        assertIncompatible("subInPlace", () -> a.subInPlace(b), both);
    }

    private static void assertIncompatible(String operation, org.junit.jupiter.api.function.Executable call,
            String[] dtypes) {
        assertThrowsWithMessage(IncompatibleTensorsException.class, call, operation + ": operands from different dtypes",
                dtypes[0] + " [", dtypes[1] + " [", "backend.copyOf(tensor)");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void nullOperandIsANullPointerNamingTheOperation(DType dtype) {
        Tensor a = backend(dtype).ones(2);
        assertThrowsWithMessage(NullPointerException.class, () -> a.add(null), "add: the tensor operand is null");
        assertThrowsWithMessage(NullPointerException.class, () -> a.matmul(null), "matmul: the tensor operand is null");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void operandsOfOtherShapesThanThisAreAShapeMismatch(DType dtype) {
        Backend be = backend(dtype);
        Tensor a = be.ones(2, 3);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.eq(be.ones(3, 2)),
                "eq: [2, 3] and [3, 2]: the operands must have the same shape");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.maskedFill(be.ones(3), 0),
                "maskedFill: [2, 3] and [3]: the operands must have the same shape");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> a.assign(be.ones(6)),
                "assign: [2, 3] and [6]: the operands must have the same shape");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void assignFromAnArrayOfTheWrongLengthIsAnInvalidShape(DType dtype) {
        Tensor a = backend(dtype).ones(2, 3);
        assertThrowsWithMessage(InvalidShapeException.class, () -> a.assign(new double[5]),
                "assign: 5 values for a tensor of shape [2, 3], which holds 6");
        assertThrowsWithMessage(InvalidShapeException.class, () -> a.assign(new float[7]),
                "assign: 7 values for a tensor of shape [2, 3], which holds 6");
        assertExactly(new double[] {1, 1, 1, 1, 1, 1}, a);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposeOfRankThreeIsAShapeMismatch(DType dtype) {
        assertThrowsWithMessage(ShapeMismatchException.class, () -> backend(dtype).ones(2, 3, 4).transpose(),
                "transpose: [2, 3, 4]: only 2-D tensors", "reshape to 2-D first");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maximumOfNothingIsAShapeMismatch(DType dtype) {
        Backend be = backend(dtype);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.zeros(0).max(),
                "max: [0] has no elements to take the maximum of");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.zeros(0, 3).max(0),
                "max along axis 0: [0, 3] has no elements");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.zeros(2, 0).argmax(-1),
                "argmax along axis -1: [2, 0] has no elements");
    }
}
