package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnjava.layer.GradientCheck;
import org.nnjava.net.Activation;
import org.nnjava.net.MultiLayerNet;
import org.nnjava.net.MultiLayerNetExtend;
import org.nnjava.net.Network;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Sgd;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;

/**
 * Networks, SGD and the trainer on a backend: backpropagation against numerical gradients (the book's
 * gradient check, chapter 5.7.3), the book's parameter names and initialisation, SGD's update against
 * plain loops, and a training run that learns.
 */
public abstract class NetworkContract {

    /** The backend under test. */
    protected abstract BackendProvider provider();

    private Backend nd(DType dtype) {
        return provider().create(dtype);
    }

    private static void assertGradientsMatch(Network net, Tensor x, Tensor t) {
        Map<String, Tensor> analytic = net.gradient(x, t);
        Map<String, Tensor> numerical = net.numericalGradient(x, t);
        assertEquals(numerical.keySet(), analytic.keySet());
        analytic.forEach((name, g) -> {
            double error = GradientCheck.relativeError(g, numerical.get(name));
            assertTrue(error < 1e-7, name + ": relative error " + error);
        });
    }

    @Test
    void twoLayerNetBackpropagationMatchesNumericalGradients() {
        Backend nd = nd(DType.FLOAT64);
        TwoLayerNet net = new TwoLayerNet(nd, 6, 5, 3, 1.0, 1L);
        assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(net.params().keySet()));
        assertGradientsMatch(net, nd.randn(2L, 4, 6), nd.fromArray(new double[] {0, 2, 1, 2}, 4));
    }

    @Test
    void multiLayerNetBackpropagationMatchesNumericalGradients() {
        Backend nd = nd(DType.FLOAT64);
        for (Activation activation : Activation.values()) {
            Network net = new MultiLayerNet(nd, 5, new int[] {4, 3}, 3, activation, 3L);
            // Biases start at 0; a sample whose first ReLU layer is all zero would then sit exactly on
            // the second layer's kink, where no gradient exists. Move the biases off zero.
            net.params().forEach((name, p) -> {
                if (name.startsWith("b")) {
                    p.assign(nd.randn(name.hashCode(), p.shape().dims()).mulInPlace(0.1));
                }
            });
            assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), List.copyOf(net.params().keySet()));
            Tensor oneHot = nd.fromArray(new double[] {1, 0, 0, 0, 0, 1, 0, 1, 0}, 3, 3);
            assertGradientsMatch(net, nd.randn(4L, 3, 5), oneHot);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void twoLayerNetStartsAsTheBookSays(DType dtype) {
        TwoLayerNet net = new TwoLayerNet(nd(dtype), 4, 3, 2, 5L);
        Random random = new Random(5L);
        double[] w1 = new double[12];
        for (int i = 0; i < w1.length; i++) {
            w1[i] = 0.01 * random.nextGaussian();
        }
        double[] w2 = new double[6];
        for (int i = 0; i < w2.length; i++) {
            w2[i] = 0.01 * random.nextGaussian();
        }
        assertClose(w1, new int[] {4, 3}, net.params().get("W1"), dtype);
        assertClose(new double[3], new int[] {3}, net.params().get("b1"), dtype);
        assertClose(w2, new int[] {3, 2}, net.params().get("W2"), dtype);
        assertClose(new double[2], new int[] {2}, net.params().get("b2"), dtype);
        assertEquals("Affine -> Relu -> Affine -> SoftmaxWithLoss", net.toString());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void sgdSubtractsTheScaledGradient(DType dtype) {
        Backend nd = nd(dtype);
        double[] p = TestData.gaussian(6, 6);
        double[] g = TestData.gaussian(7, 6);
        Tensor param = nd.fromArray(p, 2, 3);
        Tensor grad = nd.fromArray(g, 2, 3);
        new Sgd(0.5).update(Map.of("W1", param), Map.of("W1", grad));
        double[] expected = new double[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = p[i] - 0.5 * g[i];
        }
        assertClose(expected, new int[] {2, 3}, param, dtype);
        assertClose(g, new int[] {2, 3}, grad, dtype);
        assertThrowsWithMessage(IllegalArgumentException.class,
                () -> new Sgd(0.5).update(Map.of("W1", param), Map.of("W9", grad)),
                "Sgd.update: gradient W9 has no parameter of that name; parameters: [W1]");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void accuracyCountsArgmaxHitsWithBothLabelForms(DType dtype) {
        Backend nd = nd(dtype);
        TwoLayerNet net = new TwoLayerNet(nd, 4, 8, 3, 1.0, 8L);
        Tensor x = nd.randn(9L, 10, 4);
        double[] scores = net.predict(x).toDoubleArray();
        double[] labels = new double[10];
        double[] oneHot = new double[30];
        int hits = 0;
        for (int i = 0; i < 10; i++) {
            labels[i] = i % 3;
            oneHot[i * 3 + i % 3] = 1;
            int best = 0;
            for (int k = 1; k < 3; k++) {
                best = scores[i * 3 + k] > scores[i * 3 + best] ? k : best;
            }
            hits += best == i % 3 ? 1 : 0;
        }
        assertEquals(hits / 10.0, net.accuracy(x, nd.fromArray(labels, 10)), 1e-15);
        assertEquals(hits / 10.0, net.accuracy(x, nd.fromArray(oneHot, 10, 3)), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void trainingLearnsASeparableProblemAndEvaluatesEveryEpoch(DType dtype) {
        Backend nd = nd(dtype);
        int n = 150;
        Random random = new Random(10L);
        double[] x = new double[n * 2];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            x[2 * i] = Math.cos(2 * Math.PI * label / 3) + 0.1 * random.nextGaussian();
            x[2 * i + 1] = Math.sin(2 * Math.PI * label / 3) + 0.1 * random.nextGaussian();
            t[i] = label;
        }
        Tensor xs = nd.fromArray(x, n, 2);
        Tensor ts = nd.fromArray(t, n);
        TwoLayerNet net = new TwoLayerNet(nd, 2, 10, 3, 0.5, 11L);
        // 150 samples in batches of 40: 4 iterations an epoch (not the book's 3.75), 20 iterations.
        TrainingConfig config = new TrainingConfig(20, 40, 12L);
        int[] calls = new int[1];
        TrainingResult result = new Trainer(net, new Sgd(0.5)).train(xs, ts, xs, ts, config, new TrainingListener() {
            @Override
            public void iteration(int iteration, double loss) {
                calls[0]++;
            }
        });
        assertEquals(20, calls[0]);
        assertEquals(20, result.losses().size());
        assertEquals(List.of(1, 5, 9, 13, 17, 20), result.epochs().stream().map(e -> e.iteration()).toList());
        assertTrue(result.losses().get(19) < result.losses().get(0) / 2, "loss falls: " + result.losses());
        assertEquals(1.0, result.last().testAccuracy(), 1e-12, "three well-separated clusters are learned");
    }

    @Test
    void badTrainingInputsAreRejected() {
        Backend nd = nd(DType.FLOAT64);
        Trainer trainer = new Trainer(new TwoLayerNet(nd, 2, 3, 2, 1L), new Sgd(0.1));
        assertThrowsWithMessage(IllegalArgumentException.class,
                () -> trainer.train(nd.zeros(4, 2), nd.zeros(3), nd.zeros(4, 2), nd.zeros(4), new TrainingConfig(1, 2, 1L),
                        new TrainingListener() { }),
                "train: train inputs [4, 2] and labels [3]: both need the same positive number of samples along axis 0");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> new TrainingConfig(0, 100, 1L),
                "iterations 0 must be positive");
    }

    /** Runs {@code steps} SGD steps on fixed batches; returns every parameter's values afterwards, W1 first. */
    private static double[][] trainSteps(TwoLayerNet net, Tensor x, Tensor t, int steps) {
        Sgd sgd = new Sgd(0.3);
        for (int i = 0; i < steps; i++) {
            sgd.update(net.params(), net.gradient(x, t));
        }
        return net.params().values().stream().map(Tensor::toDoubleArray).toArray(double[][]::new);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reusingBuffersChangesNoResult(DType dtype) {
        Backend nd = nd(dtype);
        Tensor x = nd.randn(20L, 8, 6);
        Tensor t = nd.fromArray(new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0}, 8, 3);
        TwoLayerNet fresh = new TwoLayerNet(nd, 6, 5, 3, 0.5, 21L);
        TwoLayerNet reusing = new TwoLayerNet(nd, 6, 5, 3, 0.5, 21L);
        assertFalse(reusing.isReusingBuffers(), "off by default");
        assertFalse(reusing.reuseBuffers(true), "returns the previous setting");
        double[][] expected = trainSteps(fresh, x, t, 5);
        double[][] actual = trainSteps(reusing, x, t, 5);
        for (int i = 0; i < expected.length; i++) {
            // The same kernels in the same order: bit for bit the same numbers.
            assertArrayEquals(expected[i], actual[i], "parameter " + i + " after 5 steps");
        }
        assertEquals(fresh.loss(x, t), reusing.loss(x, t));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void reusingBuffersChangesNoResultOfAChapter6Network(DType dtype) {
        Backend nd = nd(dtype);
        Tensor x = nd.randn(25L, 8, 6);
        Tensor t = nd.fromArray(new double[] {0, 1, 2, 0, 1, 2, 0, 1}, 8);
        double[][] results = new double[2][];
        for (int run = 0; run < 2; run++) {
            Network net = MultiLayerNetExtend.builder(nd, 6, 3).hidden(5, 4).activation(Activation.SIGMOID)
                    .batchNorm(true).dropout(0.25).seed(26L).build();
            net.reuseBuffers(run == 1);
            Sgd sgd = new Sgd(0.2);
            for (int i = 0; i < 4; i++) {
                sgd.update(net.params(), net.gradient(x, t));
            }
            List<Double> values = new java.util.ArrayList<>();
            net.state().values().forEach(p -> {
                for (double v : p.toDoubleArray()) {
                    values.add(v);
                }
            });
            values.add(net.inferenceLoss(x, t));
            results[run] = values.stream().mapToDouble(Double::doubleValue).toArray();
        }
        assertArrayEquals(results[0], results[1], "sigmoid, batch normalisation and dropout: the same numbers with reuse");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void withReuseTheStepHandsBackTheSameBuffersAndWithoutItNewTensors(DType dtype) {
        Backend nd = nd(dtype);
        Tensor x = nd.randn(22L, 4, 6);
        Tensor t = nd.fromArray(new double[] {0, 2, 1, 2}, 4);
        TwoLayerNet net = new TwoLayerNet(nd, 6, 5, 3, 0.5, 23L);
        Tensor firstScores = net.predict(x);
        double[] firstValues = firstScores.toDoubleArray();
        Map<String, Tensor> firstGrads = net.gradient(x, t);
        assertNotSame(firstScores, net.predict(x.mul(2.0)), "without reuse each forward returns a new tensor");
        assertArrayEquals(firstValues, firstScores.toDoubleArray(), "so an earlier result keeps its values");
        assertNotSame(firstGrads.get("W1"), net.gradient(x, t).get("W1"));

        net.reuseBuffers(true);
        Tensor scores = net.predict(x);
        assertSame(scores, net.predict(x.mul(2.0)), "with reuse the output buffer is handed back");
        Map<String, Tensor> grads = net.gradient(x, t);
        assertSame(grads, net.gradient(x, t), "and the same map of the same gradient buffers");
        assertSame(grads.get("W1"), net.gradient(x, t).get("W1"));
        Tensor wider = nd.randn(24L, 7, 6);
        assertEquals(7, net.predict(wider).shape().dim(0), "a new batch size gets buffers of its shape");
        net.reuseBuffers(false);
        assertNotSame(net.predict(x), net.predict(x));
    }

    @Test
    void trainerReusesBuffersWhileTrainingAndRestoresTheSetting() {
        Backend nd = nd(DType.FLOAT64);
        TwoLayerNet net = new TwoLayerNet(nd, 2, 3, 2, 1L);
        boolean[] seen = new boolean[1];
        new Trainer(net, new Sgd(0.1)).train(nd.randn(1L, 6, 2), nd.fromArray(new double[] {0, 1, 0, 1, 0, 1}, 6),
                nd.randn(2L, 4, 2), nd.fromArray(new double[] {0, 1, 1, 0}, 4), new TrainingConfig(3, 2, 1L),
                new TrainingListener() {
                    @Override
                    public void iteration(int iteration, double loss) {
                        seen[0] |= net.isReusingBuffers();
                    }
                });
        assertTrue(seen[0], "reuse is on during training");
        assertFalse(net.isReusingBuffers(), "and off again afterwards");
    }
}
