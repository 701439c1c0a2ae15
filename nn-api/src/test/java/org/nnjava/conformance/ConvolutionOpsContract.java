package org.nnjava.conformance;

import static org.nnjava.conformance.StaleStorage.onStaleStorage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertExactly;
import static org.nnjava.conformance.TensorAssertions.assertShape;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnjava.conformance.ConvolutionOracle.Geometry;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.MaxPool;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;
import org.nnjava.tensor.TensorIndexException;

/**
 * The primitives of the book's chapter 7 in both dtypes: {@code im2col} and {@code col2im} against their
 * definition ({@link ConvolutionOracle}, direct loops) and each other (the adjoint identity),
 * {@code permute}, {@code oneHot}, {@code maxPool} and its backward (ties, padding, NaN), each on recycled storage full of stale NaN, and every error with its
 * message. A backend that overrides a default kernel of {@code AbstractTensor} is held to the same oracle.
 */
public abstract class ConvolutionOpsContract {

    /** The provider of the backend under test. */
    protected abstract BackendProvider provider();

    private static final String SELF = "org.nnjava.conformance.ConvolutionOpsContract#";

    private Backend backend(DType dtype) {
        return provider().create(dtype);
    }

    /**
     * Strides 1 and 2, pads 0, 1 and 2, square and non-square inputs and windows, one or several
     * channels and images, a window larger than the unpadded input, and sizes that stride does not divide.
     */
    static final Geometry[] GEOMETRIES = {
        new Geometry(1, 1, 4, 4, 2, 2, 1, 0),
        new Geometry(2, 3, 5, 7, 3, 2, 1, 1),
        new Geometry(1, 2, 7, 5, 3, 3, 2, 2),
        new Geometry(2, 1, 6, 6, 2, 2, 2, 0),
        new Geometry(1, 3, 4, 5, 5, 3, 2, 2),
        new Geometry(3, 2, 5, 5, 2, 3, 2, 1),
        new Geometry(1, 1, 1, 1, 1, 1, 1, 0),
    };

    static Stream<Arguments> geometries() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(GEOMETRIES).map(g -> Arguments.of(d, g)));
    }

    // ---- im2col ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(SELF + "geometries")
    void im2colIsTheBooksDefinition(DType dtype, Geometry g) {
        Backend be = backend(dtype);
        double[] xv = TestData.gaussian(1, g.inputSize());
        Tensor x = be.fromArray(xv, g.input());
        int[] shape = {g.n() * g.oh() * g.ow(), g.c() * g.fh() * g.fw()};
        double[] expected = ConvolutionOracle.im2col(xv, g);
        Tensor col = x.im2col(g.fh(), g.fw(), g.stride(), g.pad());
        assertShape(shape, col);
        assertExactly(expected, col); // a copy with zeros: exact in both dtypes
        assertExactly(xv, x);
        assertExactly(expected, onStaleStorage(be, shape, () -> x.im2col(g.fh(), g.fw(), g.stride(), g.pad())));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void im2colHasTheBooksShapes(DType dtype) {
        // ch07: x1 = np.random.rand(1, 3, 7, 7); im2col(x1, 5, 5, stride=1, pad=0).shape == (9, 75); 10 images give (90, 75)
        Backend be = backend(dtype);
        assertShape(new int[] {9, 75}, be.ones(1, 3, 7, 7).im2col(5, 5, 1, 0));
        assertShape(new int[] {90, 75}, be.ones(10, 3, 7, 7).im2col(5, 5, 1, 0));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void outputSizesRoundDownAsTheBooksFloorDivision(DType dtype) {
        // H + 2·pad − fh = 5 is not divisible by stride 2: OH = 5 // 2 + 1 = 3, and the last row and column are never read.
        Backend be = backend(dtype);
        Tensor x = be.fromArray(TestData.counting(49), 1, 1, 7, 7);
        Tensor col = x.im2col(2, 2, 2, 0);
        assertShape(new int[] {9, 4}, col);
        for (double v : col.toDoubleArray()) {
            int cell = (int) v - 1;
            assertEquals(true, cell / 7 < 6 && cell % 7 < 6, "cell " + cell + " of the 7th row or column was read");
        }
        Tensor back = col.col2im(x.shape(), 2, 2, 2, 0);
        for (int i = 0; i < 7; i++) {
            assertEquals(0.0, back.get(0, 0, 6, i), "nothing flows back to the unread row");
            assertEquals(0.0, back.get(0, 0, i, 6), "nothing flows back to the unread column");
        }
    }

    // ---- col2im ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(SELF + "geometries")
    void col2imIsTheBooksDefinition(DType dtype, Geometry g) {
        Backend be = backend(dtype);
        int[] shape = {g.n() * g.oh() * g.ow(), g.c() * g.fh() * g.fw()};
        double[] cv = TestData.gaussian(2, shape[0] * shape[1]);
        Tensor col = be.fromArray(cv, shape);
        double[] expected = ConvolutionOracle.col2im(cv, g);
        Shape input = Shape.of(g.input());
        assertClose(g.toString(), expected, g.input(), col.col2im(input, g.fh(), g.fw(), g.stride(), g.pad()), dtype);
        assertExactly(cv, col);
        assertClose(g + " on recycled storage", expected, g.input(),
                onStaleStorage(be, g.input(), () -> col.col2im(input, g.fh(), g.fw(), g.stride(), g.pad())), dtype);
    }

    @ParameterizedTest
    @MethodSource(SELF + "geometries")
    void col2imIsTheAdjointOfIm2col(DType dtype, Geometry g) {
        // <im2col(x), y> == <x, col2im(y)>: col2im is exactly the backward pass of im2col.
        Backend be = backend(dtype);
        double[] xv = TestData.gaussian(3, g.inputSize());
        int[] shape = {g.n() * g.oh() * g.ow(), g.c() * g.fh() * g.fw()};
        double[] yv = TestData.gaussian(4, shape[0] * shape[1]);
        Tensor x = be.fromArray(xv, g.input());
        Tensor y = be.fromArray(yv, shape);
        double left = ConvolutionOracle.dot(x.im2col(g.fh(), g.fw(), g.stride(), g.pad()).toDoubleArray(), yv);
        double right = ConvolutionOracle.dot(xv, y.col2im(x.shape(), g.fh(), g.fw(), g.stride(), g.pad()).toDoubleArray());
        double scale = Math.sqrt(ConvolutionOracle.dot(yv, yv) * ConvolutionOracle.dot(xv, xv) * g.fh() * g.fw());
        assertEquals(left, right, (dtype == DType.FLOAT32 ? 1e-5 : 1e-12) * Math.max(1, scale), g.toString());
    }

    // ---- permute --------------------------------------------------------------------------------

    /** A shape and an axis order. */
    record Permutation(int[] dims, int[] axes) {
        @Override
        public String toString() {
            return Arrays.toString(dims) + " by " + Arrays.toString(axes);
        }
    }

    static Stream<Arguments> permutations() {
        Permutation[] cases = {
            new Permutation(new int[] {2, 3, 4, 5}, new int[] {0, 3, 1, 2}),
            new Permutation(new int[] {2, 3, 4, 5}, new int[] {0, 2, 3, 1}),
            new Permutation(new int[] {2, 3, 4, 5}, new int[] {3, 2, 1, 0}),
            new Permutation(new int[] {3, 1, 4}, new int[] {2, 0, 1}),
            new Permutation(new int[] {3, 4}, new int[] {1, 0}),
            new Permutation(new int[] {5}, new int[] {0}),
            new Permutation(new int[] {2, 0, 3}, new int[] {2, 1, 0}),
            new Permutation(new int[] {1, 2, 1, 3, 2}, new int[] {4, 1, 3, 0, 2}),
        };
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(cases).map(c -> Arguments.of(d, c)));
    }

    @ParameterizedTest
    @MethodSource(SELF + "permutations")
    void permuteReordersTheAxes(DType dtype, Permutation p) {
        Backend be = backend(dtype);
        double[] xv = TestData.gaussian(5, Oracle.size(p.dims()));
        Tensor x = be.fromArray(xv, p.dims());
        int[] out = new int[p.dims().length];
        for (int k = 0; k < out.length; k++) {
            out[k] = p.dims()[p.axes()[k]];
        }
        double[] expected = ConvolutionOracle.permute(xv, p.dims(), p.axes());
        Tensor y = x.permute(p.axes());
        assertShape(out, y);
        assertExactly(expected, y);
        assertExactly(xv, x);
        assertExactly(expected, onStaleStorage(be, out, () -> x.permute(p.axes())));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void permuteUndoneByTheInversePermutationAndMatchesTranspose(DType dtype) {
        Backend be = backend(dtype);
        double[] xv = TestData.gaussian(6, 2 * 3 * 4 * 5);
        Tensor x = be.fromArray(xv, 2, 3, 4, 5);
        assertExactly(xv, x.permute(0, 2, 3, 1).permute(0, 3, 1, 2));
        assertExactly(x.permute(0, 3, 1, 2).toDoubleArray(), x.permute(0, -1, 1, -2));
        Tensor m = be.fromArray(TestData.gaussian(7, 12), 3, 4);
        assertExactly(m.transpose().toDoubleArray(), m.permute(1, 0));
        assertEquals(2.5, be.scalar(2.5).permute().item());
    }

    // ---- maxPool ----------------------------------------------------------------------------------

    /** Small integers, so that most windows hold ties; exact in both dtypes. */
    private static double[] tied(long seed, int n) {
        double[] v = TestData.gaussian(seed, n);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.floor(v[i] * 1.5);
        }
        return v;
    }

    /** The oracle's flat input indices as positions {@code row · W + column} in their plane. */
    private static double[] inPlane(double[] where, Geometry g) {
        double[] out = new double[where.length];
        for (int k = 0; k < where.length; k++) {
            out[k] = where[k] % (g.h() * g.w());
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource(SELF + "geometries")
    void maxPoolIsTheDirectWindowMaxWithTheFirstMaximumOfTies(DType dtype, Geometry g) {
        Backend be = backend(dtype);
        double[] xv = tied(8, g.inputSize());
        Tensor x = be.fromArray(xv, g.input());
        int[] out = {g.n(), g.c(), g.oh(), g.ow()};
        double[][] expected = ConvolutionOracle.maxPool(xv, g);
        MaxPool pooled = x.maxPool(g.fh(), g.fw(), g.stride(), g.pad());
        assertShape(out, pooled.max());
        assertShape(out, pooled.argMax());
        assertExactly(expected[0], pooled.max());
        assertExactly(inPlane(expected[1], g), pooled.argMax());
        assertExactly(xv, x);
        assertExactly(expected[0], onStaleStorage(be, out, () -> x.maxPool(g.fh(), g.fw(), g.stride(), g.pad()).max()));
        assertExactly(inPlane(expected[1], g),
                onStaleStorage(be, out, () -> x.maxPool(g.fh(), g.fw(), g.stride(), g.pad()).argMax()));
    }

    @ParameterizedTest
    @MethodSource(SELF + "geometries")
    void maxPoolBackwardAddsEachGradientAtItsWindowsFirstMaximum(DType dtype, Geometry g) {
        Backend be = backend(dtype);
        double[] xv = tied(9, g.inputSize());
        Tensor x = be.fromArray(xv, g.input());
        int[] out = {g.n(), g.c(), g.oh(), g.ow()};
        double[] dv = TestData.gaussian(10, Oracle.size(out));
        Tensor dout = be.fromArray(dv, out);
        Tensor argMax = x.maxPool(g.fh(), g.fw(), g.stride(), g.pad()).argMax();
        double[] expected = ConvolutionOracle.maxPoolBackward(xv, dv, g);
        Tensor dx = dout.maxPoolBackward(argMax, x.shape());
        assertShape(g.input(), dx);
        assertClose(g + " dx", expected, g.input(), dx, dtype); // overlapping windows sum
        assertClose(g + " dx on stale storage", expected, g.input(),
                onStaleStorage(be, g.input(), () -> dout.maxPoolBackward(argMax, x.shape())), dtype);
        assertExactly(dv, dout);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void maxPoolTiesPaddingAndNaNByHand(DType dtype) {
        Backend be = backend(dtype);
        Tensor x = be.fromArray(new double[] {
            1, 3, 2, 2,
            3, 0, 2, 2,
            -5, -5, -1, 4,
            -5, -5, 4, -2,
        }, 1, 1, 4, 4);
        MaxPool s2 = x.maxPool(2, 2, 2, 0);
        assertExactly(new double[] {3, 2, -5, 4}, s2.max());
        assertExactly(new double[] {1, 2, 8, 11}, s2.argMax()); // the first maximum in (row, column) order
        MaxPool s1 = x.maxPool(2, 2, 1, 0);
        assertExactly(new double[] {3, 3, 2, 3, 2, 4, -5, 4, 4}, s1.max());
        assertExactly(new double[] {1, 1, 2, 4, 6, 11, 8, 14, 11}, s1.argMax());
        // stride 1: cells 1 and 11 are each the maximum of two windows and sum their gradients
        Tensor dx = be.fromArray(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3).maxPoolBackward(s1.argMax(), x.shape());
        assertExactly(new double[] {0, 3, 3, 0, 4, 0, 5, 0, 7, 0, 0, 15, 0, 0, 8, 0}, dx);
        // pad 1: the border never wins, even over negative cells
        MaxPool padded = be.fromArray(new double[] {-1, -2, -3, -4}, 1, 1, 2, 2).maxPool(2, 2, 2, 1);
        assertExactly(new double[] {-1, -2, -3, -4}, padded.max());
        assertExactly(new double[] {0, 1, 2, 3}, padded.argMax());
        // NaN wins, the first NaN of a window, as NumPy's argmax and max
        MaxPool nan = be.fromArray(new double[] {1, Double.NaN, 5, Double.NaN}, 1, 1, 2, 2).maxPool(2, 2, 2, 0);
        assertEquals(Double.NaN, nan.max().item());
        assertExactly(new double[] {1}, nan.argMax());
    }

    @Test
    void maxPoolRejectsBadArgumentsWithTheFix() {
        Backend be = backend(DType.FLOAT64);
        Tensor x = be.ones(1, 2, 4, 4);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(4, 4).maxPool(2, 2, 2, 0),
                "maxPool: [4, 4]: the image must be 4-D [N, C, H, W]");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> x.maxPool(2, 2, 2, 2),
                "maxPool: window 2x2, pad 2: the pad must be smaller than each window side");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> x.maxPool(2, 2, 0, 0), "stride 0");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> x.maxPool(5, 2, 1, 0),
                "maxPool: [1, 2, 4, 4] with a 5x2 window and pad 0: the padded image [4, 4] is smaller than the window");
        MaxPool p = x.maxPool(2, 2, 2, 0);
        Tensor dout = be.ones(1, 2, 2, 2);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(1, 2, 2, 1).maxPoolBackward(p.argMax(), x.shape()),
                "maxPoolBackward: gradients [1, 2, 2, 1], argMax [1, 2, 2, 2]: both must be the [N, C, OH, OW] shape");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> dout.maxPoolBackward(p.argMax(), Shape.of(1, 3, 4, 4)),
                "maxPoolBackward: gradients [1, 2, 2, 2] for an input [1, 3, 4, 4]: the input must be [N, C, H, W]");
        Tensor bad = be.fromArray(new double[] {0, 1, 2, 3, 4, 5, 16, 7}, 1, 2, 2, 2);
        assertThrowsWithMessage(TensorIndexException.class, () -> dout.maxPoolBackward(bad, x.shape()),
                "maxPoolBackward: position 16.0 at flat index 6 of argMax [1, 2, 2, 2] is not an integer in 0..15");
        Tensor half = be.fromArray(new double[] {0, 1, 2.5, 3, 4, 5, 6, 7}, 1, 2, 2, 2);
        assertThrowsWithMessage(TensorIndexException.class, () -> dout.maxPoolBackward(half, x.shape()), "position 2.5");
        Tensor nan = be.fromArray(new double[] {Double.NaN, 1, 2, 3, 4, 5, 6, 7}, 1, 2, 2, 2);
        assertThrowsWithMessage(TensorIndexException.class, () -> dout.maxPoolBackward(nan, x.shape()), "position NaN");
        Tensor negative = be.fromArray(new double[] {0, 1, 2, 3, 4, 5, 6, -1}, 1, 2, 2, 2);
        assertThrowsWithMessage(TensorIndexException.class, () -> dout.maxPoolBackward(negative, x.shape()), "position -1.0");
        assertThrowsWithMessage(org.nnjava.tensor.IncompatibleTensorsException.class,
                () -> dout.maxPoolBackward(provider().create(DType.FLOAT32).zeros(1, 2, 2, 2), x.shape()), "dtypes");
    }

    // ---- oneHot ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(DType.class)
    void oneHotPutsOneAtEachIndex(DType dtype) {
        Backend be = backend(dtype);
        Tensor indices = be.fromArray(new double[] {2, 0, 3, 3, 1}, 5);
        double[] expected = {
            0, 0, 1, 0,
            1, 0, 0, 0,
            0, 0, 0, 1,
            0, 0, 0, 1,
            0, 1, 0, 0,
        };
        Tensor y = indices.oneHot(4);
        assertShape(new int[] {5, 4}, y);
        assertExactly(expected, y);
        assertExactly(expected, onStaleStorage(be, new int[] {5, 4}, () -> indices.oneHot(4)));
        assertShape(new int[] {0, 3}, be.zeros(0).oneHot(3));
        // the book's dmax[np.arange(M), arg_max] = dout, as a product with a column
        Tensor dout = be.fromArray(new double[] {0.5, -1, 2, 3, 4}, 5, 1);
        assertExactly(new double[] {0, 0, 0.5, 0, -1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 3, 0, 4, 0, 0},
                indices.oneHot(4).mul(dout));
    }

    // ---- errors ---------------------------------------------------------------------------------

    @Test
    void im2colAndCol2imRejectBadShapesWithTheFix() {
        Backend be = backend(DType.FLOAT64);
        Tensor x = be.ones(1, 3, 4, 4);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.ones(3, 4, 4).im2col(2, 2, 1, 0),
                "im2col: [3, 4, 4]: the image must be 4-D [N, C, H, W]; reshape one sample [C, H, W] to [1, C, H, W]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> x.im2col(7, 3, 1, 1),
                "im2col: [1, 3, 4, 4] with a 7x3 window and pad 1: the padded image [6, 6] is smaller than the window;"
                        + " use a smaller window or more padding");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> x.im2col(2, 2, 0, 0),
                "im2col: window 2x2, stride 0, pad 0: the window needs sizes >= 1, the stride >= 1 and the pad >= 0");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> x.im2col(2, 2, 1, -1), "pad -1");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> x.im2col(0, 2, 1, 0), "window 0x2");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> be.zeros(1, 1, 1, 1).im2col(1, 1, 1, 30_000),
                "would exceed 2^31 - 1 elements; use smaller batches");
        Tensor col = be.ones(9, 12);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> col.col2im(Shape.of(1, 3, 4, 4), 3, 3, 1, 0),
                "col2im: columns [9, 12] for an input [1, 3, 4, 4] with a 3x3 window, stride 1, pad 0: the columns"
                        + " must be [N*OH*OW, C*FH*FW] = [4, 27], as im2col of that input gives");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> col.col2im(Shape.of(2, 3, 4, 4), 2, 2, 1, 0),
                "must be [N*OH*OW, C*FH*FW] = [18, 12], as im2col of that input gives");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> col.col2im(Shape.of(3, 4, 4), 2, 2, 1, 0),
                "col2im: [3, 4, 4]: the image must be 4-D");
    }

    @Test
    void permuteAndOneHotRejectBadArgumentsWithTheFix() {
        Backend be = backend(DType.FLOAT64);
        Tensor x = be.ones(2, 3, 4);
        assertThrowsWithMessage(ShapeMismatchException.class, () -> x.permute(0, 1),
                "permute: [2, 3, 4] by [0, 1]: 2 axes for a tensor of rank 3; give each axis once");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> x.permute(0, 2, -1),
                "permute: [2, 3, 4] by [0, 2, -1]: axis 2 appears twice; give each axis of 0..2 once");
        assertThrowsWithMessage(TensorIndexException.class, () -> x.permute(0, 1, 3), "permute");
        Tensor indices = be.fromArray(new double[] {0, 1.5}, 2);
        assertThrowsWithMessage(TensorIndexException.class, () -> indices.oneHot(3),
                "oneHot: index 1.5 at position 1 of [2] is not an integer in 0..2; pass class indices, e.g. argmax(1)");
        assertThrowsWithMessage(TensorIndexException.class, () -> be.fromArray(new double[] {3}, 1).oneHot(3), "index 3.0");
        assertThrowsWithMessage(TensorIndexException.class, () -> be.fromArray(new double[] {-1}, 1).oneHot(3), "index -1.0");
        assertThrowsWithMessage(TensorIndexException.class, () -> be.fromArray(new double[] {Double.NaN}, 1).oneHot(3),
                "index NaN");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> be.zeros(2, 1).oneHot(3),
                "oneHot: [2, 1]: the indices must be 1-D [M]; reshape them to [-1]");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> be.zeros(2).oneHot(0),
                "oneHot: width 0: needs at least one column");
    }
}
