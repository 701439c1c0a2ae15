package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertExactly;
import static org.nnjava.conformance.TensorAssertions.assertShape;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.conformance.ConvolutionOracle.Geometry;
import org.nnjava.layer.Convolution;
import org.nnjava.layer.GradientCheck;
import org.nnjava.layer.Pooling;
import org.nnjava.net.Network;
import org.nnjava.net.SimpleConvNet;
import org.nnjava.optim.Adam;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.TrainingStep;

/**
 * The chapter-7 layers and network on a backend: {@link Convolution} and {@link Pooling} forward and
 * backward in both dtypes against {@link ConvolutionOracle}'s direct loops (never im2col), float64
 * gradient checks below 1e-7, the book's pooling-pad defect fixed, ties, and {@link SimpleConvNet}: its
 * parameters, its gradient check ({@code ch07/gradient_check.py}) and training bit-identical with and
 * without the step arena.
 */
public abstract class ConvolutionLayerContract {

    /** The backend under test. */
    protected abstract BackendProvider provider();

    private static final String SELF = "org.nnjava.conformance.ConvolutionLayerContract#";
    private static final int FILTERS = 3;

    private Backend nd(DType dtype) {
        return provider().create(dtype);
    }

    static Stream<Arguments> geometries() {
        return ConvolutionOpsContract.geometries();
    }

    /** Pooling geometries: pads below each window side, strides 1 and 2, non-square, ragged sizes. */
    static final Geometry[] POOLS = {
        new Geometry(1, 1, 4, 4, 2, 2, 2, 0),
        new Geometry(2, 3, 5, 7, 3, 2, 1, 1),
        new Geometry(1, 2, 7, 6, 3, 3, 2, 2),
        new Geometry(2, 2, 6, 5, 2, 3, 1, 0),
        new Geometry(3, 1, 5, 5, 2, 2, 2, 1),
        new Geometry(1, 1, 1, 1, 1, 1, 1, 0),
    };

    static Stream<Arguments> pools() {
        return Arrays.stream(DType.values()).flatMap(d -> Arrays.stream(POOLS).map(g -> Arguments.of(d, g)));
    }

    private static int[] outputShape(Geometry g, int channels) {
        return new int[] {g.n(), channels, g.oh(), g.ow()};
    }

    // ---- Convolution ----------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(SELF + "geometries")
    void convolutionMatchesTheDirectConvolutionForwardAndBackward(DType dtype, Geometry g) {
        Backend be = nd(dtype);
        double[] xv = TestData.gaussian(11, g.inputSize());
        double[] wv = TestData.gaussian(12, FILTERS * g.c() * g.fh() * g.fw());
        double[] bv = TestData.gaussian(13, FILTERS);
        int[] out = outputShape(g, FILTERS);
        double[] dv = TestData.gaussian(14, Oracle.size(out));
        Convolution conv = new Convolution(be.fromArray(wv, FILTERS, g.c(), g.fh(), g.fw()), be.fromArray(bv, FILTERS),
                g.stride(), g.pad());
        Tensor x = be.fromArray(xv, g.input());
        assertClose(g + " forward", ConvolutionOracle.convolution(xv, wv, bv, FILTERS, g), out, conv.forward(x), dtype);
        Tensor dout = be.fromArray(dv, out);
        Tensor dx = conv.backward(dout);
        double[][] expected = ConvolutionOracle.convolutionBackward(xv, wv, dv, FILTERS, g);
        assertClose(g + " dx", expected[0], g.input(), dx, dtype);
        assertClose(g + " dW", expected[1], new int[] {FILTERS, g.c(), g.fh(), g.fw()}, conv.grads().get("W"), dtype);
        assertClose(g + " db", expected[2], new int[] {FILTERS}, conv.grads().get("b"), dtype);
        assertExactly(dv, dout);
        assertExactly(xv, x);
        conv.backwardParameters(dout);
        assertClose(g + " dW without dx", expected[1], new int[] {FILTERS, g.c(), g.fh(), g.fw()}, conv.grads().get("W"), dtype);
        assertClose(g + " db without dx", expected[2], new int[] {FILTERS}, conv.grads().get("b"), dtype);
    }

    @Test
    void convolutionExposesWAndBAndChecksShapes() {
        Backend be = nd(DType.FLOAT64);
        Tensor w = be.ones(2, 3, 3, 3);
        Tensor b = be.zeros(2);
        Convolution conv = new Convolution(w, b, 1, 0);
        assertEquals(List.of("W", "b"), List.copyOf(conv.params().keySet()));
        assertTrue(conv.params().get("W") == w && conv.params().get("b") == b, "the live tensors");
        assertTrue(conv.grads().isEmpty(), "no gradients before a backward");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> new Convolution(be.ones(2, 9), b, 1, 0),
                "Convolution: W [2, 9], b [2]: W must be [FN, C, FH, FW] and b [FN]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> new Convolution(w, be.zeros(3), 1, 0), "b [FN]");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> new Convolution(w, b, 0, 0),
                "Convolution: stride 0, pad 0: the stride must be >= 1 and the pad >= 0");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> conv.forward(be.ones(1, 2, 5, 5)),
                "Convolution.forward: x [1, 2, 5, 5] with W [2, 3, 3, 3]: x must be [N, 3, H, W], as many channels as the filters have");
        assertThrowsWithMessage(IllegalStateException.class, () -> new Convolution(w, b, 1, 0).backward(be.ones(1, 2, 3, 3)),
                "Convolution.backward: called before forward");
        conv.forward(be.ones(1, 3, 5, 5));
        assertThrowsWithMessage(ShapeMismatchException.class, () -> conv.backward(be.ones(1, 2, 2, 3)),
                "Convolution.backward: dout [1, 2, 2, 3] after an input [1, 3, 5, 5]: dout must have the forward output's shape");
    }

    // ---- Pooling --------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource(SELF + "pools")
    void poolingMatchesTheDirectWindowMaxForwardAndBackward(DType dtype, Geometry g) {
        Backend be = nd(dtype);
        double[] xv = TestData.gaussian(21, g.inputSize());
        int[] out = outputShape(g, g.c());
        double[] dv = TestData.gaussian(22, Oracle.size(out));
        Pooling pool = new Pooling(g.fh(), g.fw(), g.stride(), g.pad());
        Tensor x = be.fromArray(xv, g.input());
        assertExactly(ConvolutionOracle.maxPool(xv, g)[0], pool.forward(x));
        Tensor dout = be.fromArray(dv, out);
        Tensor dx = pool.backward(dout);
        assertClose(g + " dx", ConvolutionOracle.maxPoolBackward(xv, dv, g), g.input(), dx, dtype);
        assertExactly(dv, dout);
        assertExactly(xv, x);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void poolingPadIsCountedInTheOutputAndNeverWins(DType dtype) {
        // The book's Pooling pads the input but computes OH = 1 + (H - pool_h) / stride without the pad, so
        // pad 1 on a 4x4 input cannot reshape; padding with 0 would also make every all-negative window 0.
        Backend be = nd(dtype);
        Geometry g = new Geometry(1, 2, 4, 4, 2, 2, 2, 1);
        double[] xv = TestData.gaussian(23, g.inputSize());
        for (int i = 0; i < xv.length; i++) {
            xv[i] = Tolerance.inPrecision(-Math.abs(xv[i]) - 0.5, dtype); // all negative
        }
        Pooling pool = new Pooling(2, 2, 2, 1);
        Tensor y = pool.forward(be.fromArray(xv, g.input()));
        assertShape(new int[] {1, 2, 3, 3}, y);
        assertExactly(ConvolutionOracle.maxPool(xv, g)[0], y);
        for (double v : y.toDoubleArray()) {
            assertTrue(v < 0, "a padded cell won: " + Arrays.toString(y.toDoubleArray()));
        }
        Tensor dx = pool.backward(be.ones(1, 2, 3, 3));
        assertEquals(18.0, dx.sum().item(), "every gradient reaches a real cell, none is lost in the padding");
        assertExactly(ConvolutionOracle.maxPoolBackward(xv, ones(18), g), dx);
    }

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void poolingTiesSendTheGradientToTheFirstMaximumInRowMajorOrder(DType dtype) {
        Backend be = nd(dtype);
        double[] xv = {
            1, 3, 2, 2,
            3, 0, 2, 2,
            5, 5, -1, 4,
            5, 5, 4, -2,
        };
        Pooling pool = new Pooling(2, 2, 2, 0);
        assertExactly(new double[] {3, 2, 5, 4}, pool.forward(be.fromArray(xv, 1, 1, 4, 4)));
        Tensor dx = pool.backward(be.fromArray(new double[] {10, 20, 30, 40}, 1, 1, 2, 2));
        assertExactly(new double[] {
            0, 10, 20, 0,
            0, 0, 0, 0,
            30, 0, 0, 40,
            0, 0, 0, 0,
        }, dx);
        // overlapping windows (stride 1): one cell that is the maximum of several windows sums their gradients
        Pooling overlapping = new Pooling(2, 2, 1, 0);
        overlapping.forward(be.fromArray(new double[] {0, 0, 0, 0, 9, 0, 0, 0, 0}, 1, 1, 3, 3));
        assertExactly(new double[] {0, 0, 0, 0, 10, 0, 0, 0, 0}, overlapping.backward(be.fromArray(new double[] {1, 2, 3, 4}, 1, 1, 2, 2)));
    }

    @Test
    void poolingRejectsBadSizesWithTheFix() {
        Backend be = nd(DType.FLOAT64);
        assertThrowsWithMessage(IllegalArgumentException.class, () -> new Pooling(2, 2, 2, 2),
                "Pooling: window 2x2, stride 2, pad 2: the window needs sizes >= 1, the stride >= 1, and the pad >= 0"
                        + " and smaller than each window side (else a window could hold only padding)");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> new Pooling(3, 1, 1, 1), "pad 1");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> new Pooling(2, 2, 0, 0), "stride 0");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> new Pooling(2, 2, 2, 0).forward(be.ones(4, 4)),
                "maxPool: [4, 4]: the image must be 4-D [N, C, H, W]");
        assertThrowsWithMessage(IllegalStateException.class, () -> new Pooling(2, 2, 2, 0).backward(be.ones(1, 1, 2, 2)),
                "Pooling.backward: called before forward");
        Pooling pool = new Pooling(2, 2, 2, 0);
        pool.forward(be.ones(1, 1, 4, 4));
        assertThrowsWithMessage(ShapeMismatchException.class, () -> pool.backward(be.ones(1, 1, 3, 3)),
                "Pooling.backward: dout [1, 1, 3, 3] after an input [1, 1, 4, 4]: dout must have the forward output's shape");
    }

    // ---- gradient checks (float64) --------------------------------------------------------------

    private static void assertAllBelow(Map<String, Double> errors, String what) {
        assertFalse(errors.isEmpty(), what + ": no gradient was checked");
        errors.forEach((name, error) -> assertTrue(error < LayerGradientContract.LIMIT,
                what + ": d" + name + ": relative error " + error + " >= " + LayerGradientContract.LIMIT + " (all: " + errors + ")"));
    }

    static Stream<Geometry> geometriesOnly() {
        return Arrays.stream(ConvolutionOpsContract.GEOMETRIES);
    }

    @ParameterizedTest
    @MethodSource(SELF + "geometriesOnly")
    void convolutionGradientsMatchNumericalGradients(Geometry g) {
        Backend be = nd(DType.FLOAT64);
        Convolution conv = new Convolution(be.randn(31, FILTERS, g.c(), g.fh(), g.fw()), be.randn(32, FILTERS),
                g.stride(), g.pad());
        Map<String, Double> errors = GradientCheck.of(conv, be.randn(33, g.input()), 34);
        assertEquals(Set.of("x", "W", "b"), errors.keySet());
        assertAllBelow(errors, g.toString());
    }

    @Test
    void poolingGradientMatchesNumericalGradients() {
        Backend be = nd(DType.FLOAT64);
        for (Geometry g : POOLS) {
            // distinct values 0.1 apart: h = 1e-4 never changes which cell is a window's maximum
            Tensor x = be.fromArray(ConvolutionOracle.distinct(35, g.inputSize()), g.input());
            assertAllBelow(GradientCheck.of(new Pooling(g.fh(), g.fw(), g.stride(), g.pad()), x, 36), g.toString());
        }
    }

    // ---- SimpleConvNet --------------------------------------------------------------------------

    @Test
    void simpleConvNetIsTheBooksNetwork() {
        Backend be = nd(DType.FLOAT64);
        SimpleConvNet net = new SimpleConvNet(be, 7L);
        assertEquals(List.of("Convolution", "Relu", "Pooling", "Affine", "Relu", "Affine"),
                net.layers().stream().map(l -> l.getClass().getSimpleName()).toList());
        assertEquals("SoftmaxWithLoss", net.lossLayer().getClass().getSimpleName());
        assertEquals("SimpleConvNet 1x28x28: conv 30 5x5 (pad 0, stride 1) -> pool 2x2 -> 100 -> 10", net.toString());
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), List.copyOf(net.params().keySet()));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("W1", new int[] {30, 1, 5, 5});
        shapes.put("b1", new int[] {30});
        shapes.put("W2", new int[] {4320, 100});
        shapes.put("b2", new int[] {100});
        shapes.put("W3", new int[] {100, 10});
        shapes.put("b3", new int[] {10});
        shapes.forEach((name, shape) -> assertShape(shape, net.params().get(name)));
        // weights 0.01·N(0, 1) from new Random(seed), drawn W1, W2, W3 in row-major order; biases 0
        Random random = new Random(7L);
        for (String name : List.of("W1", "W2", "W3")) {
            double[] w = net.params().get(name).toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(0.01 * random.nextGaussian(), w[i], 0.0, name + "[" + i + "]");
            }
        }
        for (String name : List.of("b1", "b2", "b3")) {
            assertExactly(new double[net.params().get(name).size()], net.params().get(name));
        }
        assertShape(new int[] {2, 10}, net.predict(be.zeros(2, 1, 28, 28)));
    }

    @Test
    void simpleConvNetSizesAreIntegersForOddAndNonSquareMaps() {
        Backend be = nd(DType.FLOAT64);
        // 11x11 with 3x3 filters gives 9x9, pooled 4x4: 10·16 = 160 (the book's int(10·4.5·4.5) = 202 would not reshape)
        SimpleConvNet odd = new SimpleConvNet(be, new int[] {1, 11, 11}, 10, 3, 0, 1, 10, 10, 0.01, 1L);
        assertShape(new int[] {160, 10}, odd.params().get("W2"));
        assertShape(new int[] {3, 10}, odd.predict(be.zeros(3, 1, 11, 11)));
        SimpleConvNet wide = new SimpleConvNet(be, new int[] {2, 8, 13}, 4, 3, 1, 2, 5, 3, 0.01, 1L);
        assertShape(new int[] {4 * 2 * 3, 5}, wide.params().get("W2")); // conv 4x7, pooled 2x3
        assertShape(new int[] {1, 3}, wide.predict(be.zeros(1, 2, 8, 13)));
        assertThrowsWithMessage(org.nnjava.tensor.InvalidShapeException.class,
                () -> new SimpleConvNet(be, new int[] {1, 4, 4}, 2, 4, 0, 1, 3, 2, 0.01, 1L),
                "gives a 1x1 feature map, smaller than the 2x2 pooling window");
    }

    @Test
    void simpleConvNetBackpropagationMatchesNumericalGradients() {
        // ch07/gradient_check.py: input_dim=(1, 10, 10), 10 filters 3x3, pad 0, stride 1, hidden 10, 10 classes,
        // x = rand(1, 1, 10, 10), t = [1]. The book's weight_init_std 0.01 makes dW1 tiny (three 0.01-scaled
        // layers multiply), so that the loss's rounding over h = 1e-4 swamps a 1e-7 bound (measured: relative
        // error 3e-2 for W1); 0.3 keeps the architecture and gives the check gradients it can resolve.
        Backend be = nd(DType.FLOAT64);
        SimpleConvNet net = new SimpleConvNet(be, new int[] {1, 10, 10}, 10, 3, 0, 1, 10, 10, 0.3, 3L);
        Tensor x = be.rand(new Random(4L), 1, 1, 10, 10);
        Tensor t = be.fromArray(new double[] {1}, 1);
        Map<String, Tensor> analytic = net.gradient(x, t);
        Map<String, Tensor> numerical = net.numericalGradient(x, t);
        assertEquals(numerical.keySet(), analytic.keySet());
        analytic.forEach((name, g) -> {
            double error = GradientCheck.relativeError(g, numerical.get(name));
            assertTrue(error < LayerGradientContract.LIMIT, name + ": relative error " + error);
        });
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void simpleConvNetTrainingIsBitIdenticalWithAndWithoutTheStepArena(DType dtype) {
        Backend be = nd(dtype);
        Tensor x = be.rand(new Random(5L), 40, 1, 10, 10);
        double[] labels = new double[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = TestData.labels(6L, 40, 10)[i];
        }
        Tensor t = be.fromArray(labels, 40);
        double[][] fresh = train(be, x, t, false);
        double[][] recycled = train(be, x, t, true);
        assertEquals(fresh.length, recycled.length);
        for (int i = 0; i < fresh.length; i++) {
            assertArrayEquals(fresh[i], recycled[i], "row " + i + " (0: the losses, then the parameters), bit for bit");
        }
        assertFalse(Arrays.equals(fresh[1], new SimpleConvNet(be, new int[] {1, 10, 10}, 4, 3, 1, 1, 8, 10, 0.1, 8L)
                .params().get("W1").toDoubleArray()), "the steps trained the network");
    }

    /** Five Adam steps on batches of 8; the losses, then each parameter's values. */
    private static double[][] train(Backend be, Tensor x, Tensor t, boolean recycle) {
        Network net = new SimpleConvNet(be, new int[] {1, 10, 10}, 4, 3, 1, 1, 8, 10, 0.1, 8L);
        TrainingStep step = new TrainingStep(net, new Adam(0.01, 0.9, 0.999),
                new Minibatches(x, t, MinibatchSampler.withReplacement(40, 8, 9L)), recycle);
        double[] losses = new double[5];
        for (int i = 0; i < losses.length; i++) {
            losses[i] = step.next();
        }
        double[][] out = new double[1 + net.params().size()][];
        out[0] = losses;
        int k = 1;
        for (Tensor p : net.params().values()) {
            out[k++] = p.toDoubleArray();
        }
        return out;
    }
}
