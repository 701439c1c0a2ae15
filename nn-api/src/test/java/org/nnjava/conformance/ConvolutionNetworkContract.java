package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertExactly;
import static org.nnjava.conformance.TensorAssertions.assertShape;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnjava.io.Npz;
import org.nnjava.layer.Affine;
import org.nnjava.layer.BatchNormalization;
import org.nnjava.layer.Convolution;
import org.nnjava.layer.Dropout;
import org.nnjava.layer.GradientCheck;
import org.nnjava.layer.Layer;
import org.nnjava.layer.Pooling;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.net.ConvNet;
import org.nnjava.net.DeepConvNet;
import org.nnjava.net.Network;
import org.nnjava.net.WeightInit;
import org.nnjava.optim.Adam;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;

/**
 * Chapter 8 on a backend: spatial batch normalisation ({@link BatchNormalization} on {@code [N, C, H, W]})
 * against direct per-channel loops, and shown to differ from the book's per-position statistics;
 * {@link Network#accuracy} in chunks that count every sample; the {@link ConvNet} builder (shapes,
 * names, initialisation, refusals, a gradient check, training and its state saved and restored); and
 * the book's {@link DeepConvNet} ({@code ch08/deep_convnet.py}): names, shapes, He initialisation, modes
 * and a float64 gradient check on a few parameters. Gradient checks are float64 and below 1e-7.
 */
public abstract class ConvolutionNetworkContract {

    /** The backend under test. */
    protected abstract BackendProvider provider();

    private Backend nd(DType dtype) {
        return provider().create(dtype);
    }

    // ---- spatial batch normalisation: direct loops over [N, C, H, W] ----------------------------

    /** Statistics of {@code x [n, c, h, w]} per channel (over n, h, w) or per position (over n only). */
    private record Image(int n, int c, int h, int w) {
        int size() {
            return n * c * h * w;
        }

        int at(int i, int ch, int y, int x) {
            return ((i * c + ch) * h + y) * w + x;
        }

        /** The normalising group of element {@code e}: its channel, or its (channel, row, column). */
        int group(int e, boolean perChannel) {
            int position = e % (c * h * w);
            return perChannel ? position / (h * w) : position;
        }

        int groups(boolean perChannel) {
            return perChannel ? c : c * h * w;
        }
    }

    /** Mean (or, given {@code mean}, biased variance) of each group, by loops over every element. */
    private static double[] groupMoments(double[] x, Image g, boolean perChannel, double[] mean) {
        double[] sum = new double[g.groups(perChannel)];
        int[] count = new int[sum.length];
        for (int e = 0; e < x.length; e++) {
            int k = g.group(e, perChannel);
            double v = mean == null ? x[e] : (x[e] - mean[k]) * (x[e] - mean[k]);
            sum[k] += v;
            count[k]++;
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= count[k];
        }
        return sum;
    }

    /** {@code γ·(x − μ)/√(σ² + 1e-6) + β} with the group statistics of the batch; γ and β per group. */
    private static double[] normalised(double[] x, Image g, boolean perChannel, double[] gamma, double[] beta) {
        double[] mu = groupMoments(x, g, perChannel, null);
        double[] var = groupMoments(x, g, perChannel, mu);
        double[] out = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            int k = g.group(e, perChannel);
            out[e] = gamma[k] * (x[e] - mu[k]) / Math.sqrt(var[k] + 1e-6) + beta[k];
        }
        return out;
    }

    /** {@code x [n, c, h, w]} whose values drift with the position, so per-channel and per-position statistics differ. */
    private static double[] drifting(long seed, Image g) {
        double[] x = TestData.gaussian(seed, g.size());
        for (int i = 0; i < g.n(); i++) {
            for (int ch = 0; ch < g.c(); ch++) {
                for (int y = 0; y < g.h(); y++) {
                    for (int z = 0; z < g.w(); z++) {
                        int e = g.at(i, ch, y, z);
                        x[e] = (float) (x[e] + 2.0 * y - z + ch);
                    }
                }
            }
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void spatialBatchNormalizationIsPerChannelAgainstDirectLoops(DType dtype) {
        Backend be = nd(dtype);
        Image g = new Image(3, 2, 3, 4);
        int[] shape = {3, 2, 3, 4};
        int m = g.n() * g.h() * g.w();
        double[] x = drifting(1, g);
        double[] gamma = TestData.positive(2, 2);
        double[] beta = TestData.gaussian(3, 2);
        double[] dout = TestData.gaussian(4, g.size());
        BatchNormalization bn = new BatchNormalization(be.fromArray(gamma, 2), be.fromArray(beta, 2));
        Tensor out = bn.forward(be.fromArray(x, shape));
        assertClose("per-channel forward", normalised(x, g, true, gamma, beta), shape, out, dtype);

        double[] mu = groupMoments(x, g, true, null);
        double[] var = groupMoments(x, g, true, mu);
        double[] xn = normalised(x, g, true, new double[] {1, 1}, new double[2]);
        double[] dBeta = new double[2];
        double[] dGamma = new double[2];
        for (int e = 0; e < x.length; e++) {
            dBeta[g.group(e, true)] += dout[e];
            dGamma[g.group(e, true)] += dout[e] * xn[e];
        }
        // dx = γ/(Mσ) · (M·dout − Σdout − x̂·Σ(dout⊙x̂)) per channel, M = N·H·W: the closed form, not the book's chain
        double[] dx = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            int k = g.group(e, true);
            dx[e] = gamma[k] / (m * Math.sqrt(var[k] + 1e-6)) * (m * dout[e] - dBeta[k] - xn[e] * dGamma[k]);
        }
        assertClose("dx", dx, shape, bn.backward(be.fromArray(dout, shape)), dtype);
        assertClose("dgamma", dGamma, new int[] {2}, bn.grads().get("gamma"), dtype);
        assertClose("dbeta", dBeta, new int[] {2}, bn.grads().get("beta"), dtype);
        assertClose("running mean", new double[] {0.1 * mu[0], 0.1 * mu[1]}, new int[] {2}, bn.runningMean(), dtype);
        assertClose("running var", new double[] {0.9 + 0.1 * var[0], 0.9 + 0.1 * var[1]}, new int[] {2},
                bn.runningVar(), dtype);

        // inference: the per-channel running statistics, the same for every position
        bn.setTraining(false);
        double[] rm = bn.runningMean().toDoubleArray();
        double[] rv = bn.runningVar().toDoubleArray();
        double[] x2 = TestData.gaussian(5, g.size());
        double[] expected = new double[x2.length];
        double[] expectedDx = new double[x2.length];
        for (int e = 0; e < x2.length; e++) {
            int k = g.group(e, true);
            expected[e] = gamma[k] * (x2[e] - rm[k]) / Math.sqrt(rv[k] + 1e-6) + beta[k];
            expectedDx[e] = dout[e] * gamma[k] / Math.sqrt(rv[k] + 1e-6);
        }
        assertClose("inference", expected, shape, bn.forward(be.fromArray(x2, shape)), dtype);
        assertClose("inference dx", expectedDx, shape, bn.backward(be.fromArray(dout, shape)), dtype);
        assertExactly(rm, bn.runningMean());
        assertThrowsWithMessage(ShapeMismatchException.class, () -> bn.backward(be.ones(3, 2, 4, 3)),
                "BatchNormalization.backward: dout [3, 2, 4, 3] after an input [3, 2, 3, 4]: dout must have the forward output's shape");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void spatialBatchNormalizationDiffersFromTheBooksPerPositionStatistics(DType dtype) {
        // common/layers.py reshapes [N, C, H, W] to [N, C·H·W] and normalises each position over N alone.
        Backend be = nd(dtype);
        Image g = new Image(4, 2, 2, 3);
        int[] shape = {4, 2, 2, 3};
        double[] x = drifting(6, g);
        double[] gamma = TestData.positive(7, 2);
        double[] beta = TestData.gaussian(8, 2);
        double[] perChannel = normalised(x, g, true, gamma, beta);
        double[] gammaAt = new double[12];
        double[] betaAt = new double[12];
        for (int p = 0; p < 12; p++) {
            gammaAt[p] = gamma[p / 6];
            betaAt[p] = beta[p / 6];
        }
        double[] perPosition = normalised(x, g, false, gammaAt, betaAt);
        double largest = 0;
        for (int e = 0; e < x.length; e++) {
            largest = Math.max(largest, Math.abs(perChannel[e] - perPosition[e]));
        }
        assertTrue(largest > 0.5, "the input must tell the two apart; largest difference " + largest);

        Tensor ours = new BatchNormalization(be.fromArray(gamma, 2), be.fromArray(beta, 2)).forward(be.fromArray(x, shape));
        assertClose("ours: per channel", perChannel, shape, ours, dtype);
        assertFalse(Arrays.equals(perPosition, ours.toDoubleArray()), "ours is not the book's per-position result");
        // the book's behaviour stays available with gamma of [C·H·W]
        Tensor book = new BatchNormalization(be.fromArray(gammaAt, 12), be.fromArray(betaAt, 12))
                .forward(be.fromArray(x, shape));
        assertClose("gamma [C·H·W]: the book's per position", perPosition, shape, book, dtype);
    }

    @Test
    void spatialBatchNormalizationGradientsMatchInBothModes() {
        Backend be = nd(DType.FLOAT64);
        BatchNormalization bn = new BatchNormalization(be.randn(41, 3).addInPlace(2.0), be.randn(42, 3));
        Tensor x = be.randn(43, 2, 3, 3, 2).mulInPlace(2.0).addInPlace(0.5);
        Map<String, Double> errors = GradientCheck.of(bn, x, 44);
        assertEquals(java.util.Set.of("x", "gamma", "beta"), errors.keySet());
        assertAllBelow(errors, "training");
        bn.setTraining(false);
        assertAllBelow(GradientCheck.of(bn, x, 45), "inference");
    }

    private static void assertAllBelow(Map<String, Double> errors, String what) {
        assertFalse(errors.isEmpty(), what + ": no gradient was checked");
        errors.forEach((name, error) -> assertTrue(error < LayerGradientContract.LIMIT,
                what + ": d" + name + ": relative error " + error + " (all: " + errors + ")"));
    }

    // ---- accuracy in chunks ---------------------------------------------------------------------

    /** A pass-through layer recording each forward's batch size and whether a step was open. */
    private static final class BatchProbe implements Layer {
        private final List<Integer> rows = new ArrayList<>();
        private final List<Boolean> inStep = new ArrayList<>();

        @Override
        public Tensor forward(Tensor x) {
            rows.add(x.shape().dim(0));
            inStep.add(StepArena.isStepOpen());
            return x;
        }

        @Override
        public Tensor backward(Tensor dout) {
            return dout;
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void accuracyCountsEverySampleIncludingAPartialLastChunk(DType dtype) {
        // 250 samples: chunks of 100, 100 and a partial 50. Every sample of the partial chunk is right, none
        // of the second chunk and a quarter of the first, so dropping the last chunk (25/200) or counting
        // one twice (125/300) gives another answer than 75/250.
        Backend be = nd(dtype);
        int n = 250;
        double[] x = new double[n * 3];
        double[] labels = new double[n];
        double[] oneHot = new double[n * 3];
        int hits = 0;
        for (int i = 0; i < n; i++) {
            int predicted = i % 3;
            x[i * 3 + predicted] = 1;
            x[i * 3 + (i + 1) % 3] = 0.25;
            boolean right = i >= 200 || (i < 100 && i % 4 == 0);
            labels[i] = right ? predicted : (predicted + 2) % 3;
            oneHot[i * 3 + (int) labels[i]] = 1;
            hits += right ? 1 : 0;
        }
        assertEquals(75, hits);
        BatchProbe probe = new BatchProbe();
        double[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        Network net = new Network(List.of(probe, new Affine(be.fromArray(identity, 3, 3), be.zeros(3))),
                new SoftmaxWithLoss());
        Tensor xs = be.fromArray(x, n, 3);
        Tensor ts = be.fromArray(labels, n);
        assertEquals(0.3, net.accuracy(xs, ts), 0.0);
        assertEquals(List.of(100, 100, 50), probe.rows, "chunks of Network.ACCURACY_CHUNK rows");
        assertEquals(List.of(true, true, true), probe.inStep, "each chunk in a step of its own arena");
        assertEquals(100, Network.ACCURACY_CHUNK);
        assertEquals(0.3, net.accuracy(xs, be.fromArray(oneHot, n, 3)), 0.0, "one-hot labels");
        assertExactly(x, xs); // the input is read, never recycled
        assertExactly(labels, ts);

        // the unchunked computation, in one forward pass
        Tensor scores = net.predict(xs);
        assertEquals(scores.argmax(1).eq(ts).sum().item() / n, net.accuracy(xs, ts), 0.0, "identical to one pass");

        // inside a step that the caller opened, the chunks run in that step
        probe.rows.clear();
        probe.inStep.clear();
        StepArena arena = new StepArena();
        arena.begin();
        try {
            assertEquals(0.3, net.accuracy(xs, ts), 0.0);
        } finally {
            arena.end();
        }
        assertEquals(List.of(100, 100, 50), probe.rows);
        assertEquals(List.of(true, true, true), probe.inStep, "in the caller's step, not a nested one");
        assertExactly(x, xs);

        assertThrowsWithMessage(ShapeMismatchException.class, () -> net.accuracy(xs, be.zeros(249)),
                "accuracy: x [250, 3], t [249]: x must hold at least one sample and t be class indices [N] or one-hot [N, C]");
        assertThrowsWithMessage(ShapeMismatchException.class, () -> net.accuracy(be.zeros(0, 3), be.zeros(0)),
                "accuracy: x [0, 3], t [0]");
    }

    // ---- the ConvNet builder --------------------------------------------------------------------

    @Test
    void builderInfersShapesAndNamesParametersAsTheNetwork() {
        Backend be = nd(DType.FLOAT64);
        ConvNet net = ConvNet.builder(be, 1, 12, 12)
                .conv(4, 3, 1, 1).batchNorm().relu().pool(2, 2)
                .conv(6, 3, 2, 0).relu() // (6 − 3) / 2 + 1 = 2 rounded down, as the book's //
                .affine(10).relu().dropout(0.2).affine(5)
                .seed(9L).build();
        assertEquals("Convolution -> BatchNormalization -> Relu -> Pooling -> Convolution -> Relu -> Affine -> Relu"
                + " -> Dropout -> Affine -> SoftmaxWithLoss", net.toString());
        Map<String, int[]> shapes = new LinkedHashMap<>();
        shapes.put("W1", new int[] {4, 1, 3, 3});
        shapes.put("b1", new int[] {4});
        shapes.put("gamma1", new int[] {4});
        shapes.put("beta1", new int[] {4});
        shapes.put("W2", new int[] {6, 4, 3, 3});
        shapes.put("b2", new int[] {6});
        shapes.put("W3", new int[] {24, 10});
        shapes.put("b3", new int[] {10});
        shapes.put("W4", new int[] {10, 5});
        shapes.put("b4", new int[] {5});
        assertEquals(List.copyOf(shapes.keySet()), List.copyOf(net.params().keySet()));
        shapes.forEach((name, shape) -> assertShape(shape, net.params().get(name)));
        assertEquals(List.of("1 conv 4 3x3, stride 1, pad 1 -> [4, 12, 12]", "2 batchnorm -> [4, 12, 12]",
                "3 relu -> [4, 12, 12]", "4 pool 2x2, stride 2, pad 0 -> [4, 6, 6]", "5 conv 6 3x3, stride 2, pad 0 -> [6, 2, 2]",
                "6 relu -> [6, 2, 2]", "7 affine 10 -> [10]", "8 relu -> [10]", "9 dropout 0.2 -> [10]", "10 affine 5 -> [5]"),
                net.summary());
        // He: sqrt(2 / fan_in)·N(0, 1) from new Random(seed) in layer order; fan_in = C·FH·FW or the inputs
        Random random = new Random(9L);
        Map<String, Integer> fanIn = Map.of("W1", 9, "W2", 36, "W3", 24, "W4", 10);
        for (String name : List.of("W1", "W2", "W3", "W4")) {
            double[] w = net.params().get(name).toDoubleArray();
            double std = Math.sqrt(2.0 / fanIn.get(name));
            for (int i = 0; i < w.length; i++) {
                assertEquals(std * random.nextGaussian(), w[i], 0.0, name + "[" + i + "]");
            }
        }
        assertExactly(new double[] {1, 1, 1, 1}, net.params().get("gamma1"));
        assertExactly(new double[4], net.params().get("beta1"));
        assertExactly(new double[10], net.params().get("b3"));
        assertShape(new int[] {3, 5}, net.predict(be.randn(1, 3, 1, 12, 12)));
        assertEquals(List.of("running_mean1", "running_var1"),
                net.state().keySet().stream().filter(k -> k.startsWith("running")).toList());
        assertShape(new int[] {4}, net.state().get("running_mean1")); // per channel

        ConvNet fixed = ConvNet.builder(be, 2, 7, 5).conv(3, 3, 2, 0).affine(2).init(0.5).seed(1L).build();
        assertEquals(List.of("1 conv 3 3x3, stride 2, pad 0 -> [3, 3, 2]", "2 affine 2 -> [2]"), fixed.summary());
        Random fixedRandom = new Random(1L);
        double[] w1 = fixed.params().get("W1").toDoubleArray();
        for (int i = 0; i < w1.length; i++) {
            assertEquals(0.5 * fixedRandom.nextGaussian(), w1[i], 0.0, "a given std: W1[" + i + "]");
        }
        assertShape(new int[] {18, 2}, fixed.params().get("W2"));
        assertEquals(Math.sqrt(1.0 / 18), Math.sqrt(sampleVariance(ConvNet.builder(be, 2, 7, 5).conv(3, 3, 2, 0)
                .affine(2000).init(WeightInit.XAVIER).build().params().get("W2").toDoubleArray())), 0.05 * Math.sqrt(1.0 / 18));
    }

    @Test
    void builderRefusesLayersThatCannotTakeTheirInputNamingTheLayerAndSizes() {
        Backend be = nd(DType.FLOAT64);
        assertThrowsWithMessage(InvalidShapeException.class, () -> ConvNet.builder(be, 1, 4, 4).conv(2, 3, 1, 0).pool(3, 1),
                "ConvNet layer 2 (pool 3x3, stride 1, pad 0): input [2, 2, 2] padded to 2x2 is smaller than the 3x3 window;"
                        + " use a smaller window, a larger pad or a larger input");
        assertThrowsWithMessage(InvalidShapeException.class, () -> ConvNet.builder(be, 3, 5, 8).conv(2, 7, 1, 0),
                "ConvNet layer 1 (conv 2 7x7, stride 1, pad 0): input [3, 5, 8] padded to 5x8 is smaller than the 7x7 window");
        assertThrowsWithMessage(InvalidShapeException.class, () -> ConvNet.builder(be, 1, 8, 8).affine(4).conv(2, 3, 1, 1),
                "ConvNet layer 2 (conv 2 3x3, stride 1, pad 1): its input [4] is flat (after an Affine layer);"
                        + " put convolutions and poolings before the first affine");
        assertThrowsWithMessage(InvalidShapeException.class, () -> ConvNet.builder(be, 1, 8, 8).affine(4).pool(2, 2),
                "ConvNet layer 2 (pool 2x2, stride 2, pad 0): its input [4] is flat");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> ConvNet.builder(be, 1, 8, 8).conv(0, 3, 1, 0),
                "ConvNet layer 1 (conv 0 3x3, stride 1, pad 0): filters, size and stride must be >= 1 and the pad >= 0");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> ConvNet.builder(be, 1, 8, 8).relu().pool(2, 2, 2),
                "ConvNet layer 2 (pool 2x2, stride 2, pad 2): the window and stride must be >= 1 and the pad >= 0 and smaller than the window");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> ConvNet.builder(be, 1, 8, 8).dropout(1.0),
                "ConvNet layer 1 (dropout 1.0): the ratio must be in [0, 1)");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> ConvNet.builder(be, 1, 8, 8).affine(0),
                "ConvNet layer 1 (affine 0): units must be >= 1");
        assertThrowsWithMessage(InvalidShapeException.class, () -> ConvNet.builder(be, 1, 50_000, 50_000).affine(10),
                "ConvNet layer 1 (affine 10): input [1, 50000, 50000] (2500000000 values) times 10 units exceeds 2^31 - 1 weights");
        assertThrowsWithMessage(IllegalStateException.class, () -> ConvNet.builder(be, 1, 8, 8).conv(2, 3, 1, 1).build(),
                "ConvNet: the layers end in [2, 8, 8] per sample; SoftmaxWithLoss needs class scores: end with affine(classes)");
        assertThrowsWithMessage(IllegalStateException.class, () -> ConvNet.builder(be, 1, 8, 8).build(),
                "ConvNet: the layers end in [1, 8, 8] per sample");
        assertThrowsWithMessage(InvalidShapeException.class, () -> ConvNet.builder(be, 0, 8, 8),
                "ConvNet: input [0, 8, 8]: give one sample's shape [C, H, W] of positive sizes");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> ConvNet.builder(be, 1, 8, 8).init(WeightInit.STD),
                "ConvNet: WeightInit.STD needs a standard deviation; call init(std)");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> ConvNet.builder(be, 1, 8, 8).init(-1.0),
                "ConvNet: weight std -1.0 must be a positive finite number");
    }

    @Test
    void builderNetworkBackpropagationMatchesNumericalGradients() {
        Backend be = nd(DType.FLOAT64);
        Network net = ConvNet.builder(be, 2, 6, 6)
                .conv(3, 3, 1, 1).batchNorm().relu().pool(2, 2)
                .affine(5).relu().affine(3).seed(5L).build();
        Tensor x = be.randn(new Random(6L), 4, 2, 6, 6);
        Tensor t = be.fromArray(new double[] {0, 2, 1, 2}, 4);
        Map<String, Tensor> analytic = net.gradient(x, t);
        Map<String, Tensor> numerical = net.numericalGradient(x, t);
        assertEquals(numerical.keySet(), analytic.keySet());
        // Batch normalisation subtracts each channel's mean, so the convolution's bias b1 cancels: its true
        // gradient is 0, and both computations give rounding noise whose ratio means nothing.
        for (Tensor g : List.of(analytic.get("b1"), numerical.get("b1"))) {
            for (double v : g.toDoubleArray()) {
                assertEquals(0, v, 1e-9, "b1 before batch normalisation has no effect on the loss");
            }
        }
        analytic.forEach((name, g) -> {
            double error = GradientCheck.relativeError(g, numerical.get(name));
            assertTrue(name.equals("b1") || error < LayerGradientContract.LIMIT, name + ": relative error " + error);
        });
    }

    @Test
    void builderNetworkTrainsWithTheTrainerAndItsStateRoundTrips(@TempDir Path dir) throws IOException {
        Backend be = nd(DType.FLOAT64);
        Random random = new Random(11L);
        int n = 40;
        double[] x = new double[n * 64];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % 2;
            for (int j = 0; j < 64; j++) { // class 1 is brighter in the top half
                x[i * 64 + j] = random.nextDouble() + (i % 2 == 1 && j < 32 ? 0.5 : 0);
            }
        }
        Tensor xs = be.fromArray(x, n, 1, 8, 8);
        Tensor ts = be.fromArray(t, n);
        ConvNet.Builder layers = ConvNet.builder(be, 1, 8, 8).conv(4, 3, 1, 1).batchNorm().relu().pool(2, 2)
                .affine(8).relu().dropout(0.1).affine(2);
        ConvNet net = layers.seed(12L).build();
        TrainingResult result = new Trainer(net, new Adam(0.01, 0.9, 0.999)).train(xs, ts, xs, ts,
                new TrainingConfig(30, 10, 13L), new TrainingListener() { });
        assertEquals(30, result.losses().size());
        assertTrue(result.losses().get(29) < result.losses().get(0), "the loss falls: " + result.losses());
        assertNotEquals(1.0, net.state().get("running_var1").get(0), "training moved the per-channel statistics");

        Path file = dir.resolve("convnet.npz");
        Npz.save(file, net.state());
        ConvNet restored = layers.seed(99L).build();
        assertFalse(Arrays.equals(net.params().get("W1").toDoubleArray(), restored.params().get("W1").toDoubleArray()));
        Npz.loadInto(file, restored.state());
        restored.restoreRandomStates(net.randomStates());
        net.setTraining(false);
        restored.setTraining(false);
        assertArrayEquals(net.predict(xs).toDoubleArray(), restored.predict(xs).toDoubleArray(), 0.0,
                "the restored network scores every sample as the trained one");
        assertEquals(net.accuracy(xs, ts), restored.accuracy(xs, ts), 0.0);
    }

    // ---- DeepConvNet (ch08/deep_convnet.py) -----------------------------------------------------

    @Test
    void deepConvNetIsTheBooksNetwork() {
        Backend be = nd(DType.FLOAT64);
        DeepConvNet net = new DeepConvNet(be, 3L);
        assertEquals("DeepConvNet 1x28x28: 3 x (conv 3x3 -> conv 3x3 -> pool 2x2) with 16, 16, 32, 32, 64, 64 filters"
                + " -> 50 -> dropout 0.5 -> 10", net.toString());
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int[] filters = {16, 16, 32, 32, 64, 64};
        int channels = 1;
        for (int i = 0; i < 6; i++) {
            shapes.put("W" + (i + 1), new int[] {filters[i], channels, 3, 3});
            shapes.put("b" + (i + 1), new int[] {filters[i]});
            channels = filters[i];
        }
        shapes.put("W7", new int[] {1024, 50});
        shapes.put("b7", new int[] {50});
        shapes.put("W8", new int[] {50, 10});
        shapes.put("b8", new int[] {10});
        assertEquals(List.copyOf(shapes.keySet()), List.copyOf(net.params().keySet()));
        shapes.forEach((name, shape) -> assertShape(shape, net.params().get(name)));

        // the feature maps 28 -> 14 -> 16 -> 8 -> 4: pads 1, 1, 1, 2, 1, 1, pooling 2x2 stride 2
        List<int[]> expected = List.of(new int[] {2, 16, 28, 28}, new int[] {2, 16, 28, 28}, new int[] {2, 16, 14, 14},
                new int[] {2, 32, 14, 14}, new int[] {2, 32, 16, 16}, new int[] {2, 32, 8, 8},
                new int[] {2, 64, 8, 8}, new int[] {2, 64, 8, 8}, new int[] {2, 64, 4, 4},
                new int[] {2, 50}, new int[] {2, 10});
        net.setTraining(false);
        Tensor x = be.rand(new Random(4L), 2, 1, 28, 28);
        Tensor out = x;
        List<int[]> seen = new ArrayList<>();
        for (Layer layer : net.layers()) {
            out = layer.forward(out);
            if (layer instanceof Convolution || layer instanceof Pooling || layer instanceof Affine) {
                seen.add(out.shape().dims());
            }
        }
        assertEquals(expected.size(), seen.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), seen.get(i), "the output of layer " + (i + 1) + " of " + seen.size());
        }
        assertEquals(1, net.layers().stream().filter(l -> l instanceof Dropout).count());

        // He: sqrt(2 / fan_in)·N(0, 1), drawn W1 ... W8 from new Random(seed); the sample std within 4 standard errors
        Random random = new Random(3L);
        int[] fanIn = {9, 144, 144, 288, 288, 576, 1024, 50};
        for (int k = 0; k < 8; k++) {
            double std = Math.sqrt(2.0 / fanIn[k]);
            double[] w = net.params().get("W" + (k + 1)).toDoubleArray();
            for (int i = 0; i < w.length; i++) {
                assertEquals(std * random.nextGaussian(), w[i], 0.0, "W" + (k + 1) + "[" + i + "]");
            }
            double sample = Math.sqrt(sampleVariance(w));
            double allowed = 4 / Math.sqrt(2.0 * w.length);
            assertEquals(1.0, sample / std, allowed, "W" + (k + 1) + ": sample std " + sample + " vs He " + std);
            assertExactly(new double[net.params().get("b" + (k + 1)).size()], net.params().get("b" + (k + 1)));
        }
    }

    private static double sampleVariance(double[] v) {
        double mean = Arrays.stream(v).average().orElseThrow();
        return Arrays.stream(v).map(a -> (a - mean) * (a - mean)).sum() / (v.length - 1);
    }

    @Test
    void deepConvNetDropsOutInTrainingOnly() {
        Backend be = nd(DType.FLOAT64);
        DeepConvNet net = new DeepConvNet(be, 5L);
        Tensor x = be.rand(new Random(6L), 2, 1, 28, 28);
        assertTrue(net.isTraining());
        double[] first = net.predict(x).toDoubleArray();
        double[] second = net.predict(x).toDoubleArray();
        assertEquals(20, first.length);
        assertFalse(Arrays.equals(first, second), "training: each forward draws a new dropout mask");
        net.setTraining(false);
        double[] inference = net.predict(x).toDoubleArray();
        assertArrayEquals(inference, net.predict(x).toDoubleArray(), 0.0, "inference is deterministic");
        // inference is the network without its Dropout layer
        Tensor out = x;
        for (Layer layer : net.layers()) {
            out = layer instanceof Dropout ? out : layer.forward(out);
        }
        assertArrayEquals(out.toDoubleArray(), inference, 0.0);
        assertFalse(Arrays.equals(first, inference));
        net.setTraining(true);
        net.accuracy(x, be.fromArray(new double[] {3, 7}, 2));
        assertTrue(net.isTraining(), "accuracy restores training mode");
    }

    @Test
    void deepConvNetBackpropagationMatchesCentralDifferencesOnAFewParameters() {
        // Every parameter element would take 2 forward passes each of ~100k elements: too slow. Instead the
        // two elements of largest gradient in each of W1..W8 and b1..b8 (where the loss's rounding cannot swamp
        // the check), on a batch of 2, in inference mode (a training forward draws a new dropout mask each time).
        // h = 1e-6, not the book's 1e-4: one element of W1 or b1 moves a whole channel of ~1,600 ReLU inputs and
        // the max-pooling windows after them, and with h = 1e-4 one of the ~50,000 kinks often falls within ±h
        // (measured over seeds 1-3: relative errors up to 3e-3 in b1, W2, b2, none above 3e-9 with h = 1e-6);
        // the loss's rounding, about 1e-16 / h = 1e-10, stays far below these O(1) gradients.
        Backend be = nd(DType.FLOAT64);
        DeepConvNet net = new DeepConvNet(be, 7L);
        net.setTraining(false);
        Tensor x = be.rand(new Random(8L), 2, 1, 28, 28);
        Tensor t = be.fromArray(new double[] {4, 1}, 2);
        Map<String, Tensor> analytic = net.gradient(x, t);
        assertEquals(net.params().keySet(), analytic.keySet());
        double h = 1e-6;
        for (Map.Entry<String, Tensor> entry : net.params().entrySet()) {
            Tensor flat = entry.getValue().reshape(entry.getValue().size());
            double[] g = analytic.get(entry.getKey()).toDoubleArray();
            int[] largest = largestTwo(g);
            double[] a = new double[2];
            double[] numerical = new double[2];
            for (int k = 0; k < 2; k++) {
                int i = largest[k];
                double saved = flat.get(i);
                flat.set(saved + h, i);
                double plus = net.loss(x, t);
                flat.set(saved - h, i);
                double minus = net.loss(x, t);
                flat.set(saved, i);
                a[k] = g[i];
                numerical[k] = (plus - minus) / (2 * h);
            }
            double error = GradientCheck.relativeError(be.fromArray(a, 2), be.fromArray(numerical, 2));
            assertTrue(error < LayerGradientContract.LIMIT, entry.getKey() + ": relative error " + error
                    + " (analytic " + Arrays.toString(a) + ", numerical " + Arrays.toString(numerical) + ")");
        }
    }

    private static int[] largestTwo(double[] g) {
        int first = 0;
        for (int i = 1; i < g.length; i++) {
            first = Math.abs(g[i]) > Math.abs(g[first]) ? i : first;
        }
        int second = first == 0 ? 1 : 0;
        for (int i = 0; i < g.length; i++) {
            second = i != first && Math.abs(g[i]) > Math.abs(g[second]) ? i : second;
        }
        return new int[] {first, second};
    }
}
