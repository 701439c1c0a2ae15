package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertExactly;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnjava.layer.Affine;
import org.nnjava.layer.BatchNormalization;
import org.nnjava.layer.Dropout;
import org.nnjava.layer.GradientCheck;
import org.nnjava.layer.Relu;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.layer.Tanh;
import org.nnjava.net.Activation;
import org.nnjava.net.MultiLayerNetExtend;
import org.nnjava.net.Network;
import org.nnjava.net.WeightInit;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * Chapter 6's layers and regularisation on a backend: batch normalisation (forward in both modes,
 * running statistics, backward and a gradient check), dropout (scaling, mask reuse, inference identity),
 * tanh, weight decay in the loss and gradient, and the book's {@code MultiLayerNetExtend} passing a
 * numerical gradient check. Expected values come from plain loops over {@code double[]}.
 */
public abstract class RegularizationContract {

    /** The backend under test. */
    protected abstract BackendProvider provider();

    private Backend nd(DType dtype) {
        return provider().create(dtype);
    }

    private static void assertAllBelow(Map<String, Double> errors, double limit) {
        assertFalse(errors.isEmpty(), "no gradient was checked");
        errors.forEach((name, e) -> assertTrue(e < limit, "d" + name + ": relative error " + e + " (all: " + errors + ")"));
    }

    /** Per-feature mean (or biased variance about {@code mean} when given) of x [n, d]. */
    private static double[] columnMean(double[] x, int n, int d, double[] mean) {
        double[] out = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double v = mean == null ? x[i * d + j] : (x[i * d + j] - mean[j]) * (x[i * d + j] - mean[j]);
                out[j] += v / n;
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormalizationTrainingForwardBackwardAndRunningStatistics(DType dtype) {
        Backend nd = nd(dtype);
        int n = 4;
        int d = 3;
        double[] x = TestData.gaussian(1, n * d);
        double[] gamma = TestData.positive(2, d);
        double[] beta = TestData.gaussian(3, d);
        double[] dout = TestData.gaussian(4, n * d);
        BatchNormalization bn = new BatchNormalization(nd.fromArray(gamma, d), nd.fromArray(beta, d));
        Tensor out = bn.forward(nd.fromArray(x, n, d));
        Tensor dx = bn.backward(nd.fromArray(dout, n, d));

        double[] mu = columnMean(x, n, d, null);
        double[] var = columnMean(x, n, d, mu);
        double[] xn = new double[n * d];
        double[] expected = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            xn[i] = (x[i] - mu[i % d]) / Math.sqrt(var[i % d] + 1e-6);
            expected[i] = gamma[i % d] * xn[i] + beta[i % d];
        }
        assertClose("out", expected, new int[] {n, d}, out, dtype);
        // The closed form dx = γ/(Nσ) · (N·dout − Σdout − x̂·Σ(dout⊙x̂)), independent of the book's chain.
        double[] dBeta = new double[d];
        double[] dGamma = new double[d];
        for (int i = 0; i < n * d; i++) {
            dBeta[i % d] += dout[i];
            dGamma[i % d] += dout[i] * xn[i];
        }
        double[] expectedDx = new double[n * d];
        for (int i = 0; i < n * d; i++) {
            int j = i % d;
            expectedDx[i] = gamma[j] / (n * Math.sqrt(var[j] + 1e-6)) * (n * dout[i] - dBeta[j] - xn[i] * dGamma[j]);
        }
        assertClose("dx", expectedDx, new int[] {n, d}, dx, dtype);
        assertClose("dgamma", dGamma, new int[] {d}, bn.grads().get("gamma"), dtype);
        assertClose("dbeta", dBeta, new int[] {d}, bn.grads().get("beta"), dtype);
        double[] runningMean = new double[d];
        double[] runningVar = new double[d];
        for (int j = 0; j < d; j++) {
            runningMean[j] = 0.1 * mu[j];
            runningVar[j] = 0.9 + 0.1 * var[j];
        }
        assertClose("running mean", runningMean, new int[] {d}, bn.runningMean(), dtype);
        assertClose("running var", runningVar, new int[] {d}, bn.runningVar(), dtype);
        assertEquals(List.of("gamma", "beta"), List.copyOf(bn.params().keySet()));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchNormalizationInferenceUsesRunningStatistics(DType dtype) {
        Backend nd = nd(dtype);
        int d = 2;
        double[] gamma = TestData.positive(5, d);
        double[] beta = TestData.gaussian(6, d);
        BatchNormalization bn = new BatchNormalization(nd.fromArray(gamma, d), nd.fromArray(beta, d));
        double[] x2 = TestData.gaussian(8, 3 * d);
        bn.setTraining(false);
        double[] identityLike = new double[3 * d];
        for (int i = 0; i < identityLike.length; i++) {
            identityLike[i] = gamma[i % d] * x2[i] / Math.sqrt(1 + 1e-6) + beta[i % d];
        }
        assertClose("before training: mean 0, variance 1", identityLike, new int[] {3, d},
                bn.forward(nd.fromArray(x2, 3, d)), dtype);
        bn.setTraining(true);
        double[] x1 = TestData.gaussian(7, 5 * d);
        bn.forward(nd.fromArray(x1, 5, d));
        double[] rm = bn.runningMean().toDoubleArray();
        double[] rv = bn.runningVar().toDoubleArray();
        bn.setTraining(false);
        Tensor out = bn.forward(nd.fromArray(x2, 3, d));
        double[] expected = new double[3 * d];
        for (int i = 0; i < expected.length; i++) {
            int j = i % d;
            expected[i] = gamma[j] * (x2[i] - rm[j]) / Math.sqrt(rv[j] + 1e-6) + beta[j];
        }
        assertClose("inference", expected, new int[] {3, d}, out, dtype);
        assertExactly(rm, bn.runningMean());
        assertExactly(rv, bn.runningVar());
        double[] dout = TestData.gaussian(9, 3 * d);
        double[] expectedDx = new double[3 * d];
        for (int i = 0; i < expectedDx.length; i++) {
            expectedDx[i] = dout[i] * gamma[i % d] / Math.sqrt(rv[i % d] + 1e-6);
        }
        assertClose("inference dx", expectedDx, new int[] {3, d}, bn.backward(nd.fromArray(dout, 3, d)), dtype);
    }

    @Test
    void batchNormalizationGradientsMatchInBothModes() {
        Backend nd = nd(DType.FLOAT64);
        BatchNormalization bn = new BatchNormalization(nd.randn(11, 4).addInPlace(2.0), nd.randn(12, 4));
        assertAllBelow(GradientCheck.of(bn, nd.randn(13, 6, 4), 14), 1e-7);
        assertAllBelow(GradientCheck.of(bn, nd.randn(15, 3, 2, 2).mulInPlace(3.0), 16), 1e-7);
        bn.setTraining(false);
        assertAllBelow(GradientCheck.of(bn, nd.randn(17, 5, 4), 18), 1e-7);
        assertThrowsWithMessage(IllegalArgumentException.class, () -> bn.forward(nd.ones(4)), "BatchNormalization.forward: x [4]");
        assertThrowsWithMessage(IllegalStateException.class,
                () -> new BatchNormalization(nd.ones(2), nd.zeros(2)).backward(nd.ones(3, 2)), "BatchNormalization.backward");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void dropoutScalesKeptUnitsAndReusesItsMask(DType dtype) {
        Backend nd = nd(dtype);
        double[] x = TestData.gaussian(20, 24);
        double[] dout = TestData.gaussian(21, 24);
        Dropout dropout = new Dropout(0.25, 22L);
        assertThrowsWithMessage(IllegalStateException.class, () -> dropout.backward(nd.fromArray(dout, 4, 6)),
                "Dropout.backward: called before forward");
        Tensor out = dropout.forward(nd.fromArray(x, 4, 6));
        Random random = new Random(22L);
        double[] expected = new double[24];
        double[] expectedDx = new double[24];
        double[] mask = new double[24];
        for (int i = 0; i < 24; i++) {
            boolean kept = random.nextDouble() > 0.25;
            mask[i] = kept ? 1 : 0;
            expected[i] = kept ? x[i] / 0.75 : 0;
            expectedDx[i] = kept ? dout[i] / 0.75 : 0;
        }
        assertClose("out", expected, new int[] {4, 6}, out, dtype);
        assertClose("dx", expectedDx, new int[] {4, 6}, dropout.backward(nd.fromArray(dout, 4, 6)), dtype);
        assertClose("dx again, same mask", expectedDx, new int[] {4, 6}, dropout.backward(nd.fromArray(dout, 4, 6)), dtype);
        assertExactly(mask, dropout.mask());
        dropout.setTraining(false);
        Tensor input = nd.fromArray(x, 4, 6);
        Tensor inferred = dropout.forward(input);
        assertSame(input, inferred, "inference forward returns x itself");
        assertClose("inference is the identity", x, new int[] {4, 6}, inferred, dtype);
        Tensor gradient = nd.fromArray(dout, 4, 6);
        Tensor passed = dropout.backward(gradient);
        assertSame(gradient, passed, "backward after an inference forward returns dout itself");
        assertClose("inference backward", dout, new int[] {4, 6}, passed, dtype);
        assertExactly(x, input);
        assertExactly(dout, gradient);
        assertThrowsWithMessage(IllegalStateException.class, dropout::mask, "Dropout.mask: no mask");
        assertThrowsWithMessage(IllegalArgumentException.class, () -> new Dropout(1.0, 1L), "Dropout: ratio 1.0 must be in [0, 1)");
    }

    @Test
    void dropoutGradientMatchesForAFixedMask() {
        Backend nd = nd(DType.FLOAT64);
        Dropout dropout = new Dropout(0.5, 23L);
        Tensor x = nd.randn(24, 3, 5);
        dropout.forward(x);
        Tensor mask = dropout.mask();
        // With the mask fixed, the layer is the linear map x ↦ x ⊙ mask / 0.5, whose gradient is dout ⊙ mask / 0.5.
        Tensor dout = nd.randn(25, 3, 5);
        dropout.forward(x);
        Tensor fixed = dropout.mask();
        Tensor dx = dropout.backward(dout);
        assertExactly(dout.mul(fixed).mulInPlace(2.0).toDoubleArray(), dx);
        assertFalse(java.util.Arrays.equals(mask.toDoubleArray(), fixed.toDoubleArray()), "a new mask per training forward");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void tanhMatchesMathTanh(DType dtype) {
        Backend nd = nd(dtype);
        double[] x = TestData.gaussian(30, 8);
        double[] dout = TestData.gaussian(31, 8);
        Tanh tanh = new Tanh();
        Tensor y = tanh.forward(nd.fromArray(x, 2, 4));
        double[] expected = new double[8];
        double[] expectedDx = new double[8];
        for (int i = 0; i < 8; i++) {
            expected[i] = Math.tanh(x[i]);
            expectedDx[i] = dout[i] * (1 - expected[i] * expected[i]);
        }
        assertClose("tanh", expected, new int[] {2, 4}, y, dtype);
        assertClose("dtanh", expectedDx, new int[] {2, 4}, tanh.backward(nd.fromArray(dout, 2, 4)), dtype);
        if (dtype == DType.FLOAT64) {
            assertAllBelow(GradientCheck.of(new Tanh(), nd.randn(32, 3, 4), 33), 1e-7);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void weightDecayAddsHalfLambdaSquaredWeightsAndLambdaW(DType dtype) {
        Backend nd = nd(dtype);
        double[] w1 = TestData.gaussian(40, 12);
        double[] b1 = TestData.gaussian(41, 3);
        double[] w2 = TestData.gaussian(42, 6);
        double[] b2 = TestData.gaussian(43, 2);
        Network plain = net(nd, w1, b1, w2, b2, 0.0);
        Network decayed = net(nd, w1, b1, w2, b2, 0.3);
        Tensor x = nd.fromArray(TestData.gaussian(44, 20), 5, 4);
        Tensor t = nd.fromArray(new double[] {0, 1, 1, 0, 1}, 5);
        double squares = 0;
        for (double v : w1) {
            squares += v * v;
        }
        for (double v : w2) {
            squares += v * v;
        }
        double expectedLoss = plain.loss(x, t) + 0.5 * 0.3 * squares;
        assertEquals(expectedLoss, decayed.loss(x, t), Tolerance.absolute(dtype) + Tolerance.relative(dtype) * expectedLoss * 10);
        Map<String, Tensor> base = plain.gradient(x, t);
        Map<String, Tensor> grads = decayed.gradient(x, t);
        double[][] ws = {w1, w2};
        for (int k = 1; k <= 2; k++) {
            double[] g = base.get("W" + k).toDoubleArray();
            for (int i = 0; i < g.length; i++) {
                g[i] += 0.3 * ws[k - 1][i];
            }
            assertClose("dW" + k, g, base.get("W" + k).shape().dims(), grads.get("W" + k), dtype);
            assertClose("db" + k + " has no decay", base.get("b" + k).toDoubleArray(), base.get("b" + k).shape().dims(),
                    grads.get("b" + k), dtype);
        }
        assertEquals(0.3, decayed.weightDecay());
        assertThrowsWithMessage(IllegalArgumentException.class,
                () -> net(nd, w1, b1, w2, b2, -1.0), "Network: weight decay -1.0 must be a finite number >= 0");
    }

    private static Network net(Backend nd, double[] w1, double[] b1, double[] w2, double[] b2, double lambda) {
        return new Network(List.of(new Affine(nd.fromArray(w1, 4, 3), nd.fromArray(b1, 3)), new Relu(),
                new Affine(nd.fromArray(w2, 3, 2), nd.fromArray(b2, 2))), new SoftmaxWithLoss(), lambda);
    }

    @Test
    void multiLayerNetExtendWithBatchNormAndDecayPassesTheGradientCheck() {
        Backend nd = nd(DType.FLOAT64);
        for (Activation activation : Activation.values()) {
            Network net = MultiLayerNetExtend.builder(nd, 5, 3).hidden(4, 3).activation(activation)
                    .batchNorm(true).weightDecay(0.1).seed(3L).build();
            assertEquals(List.of("W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"),
                    List.copyOf(net.params().keySet()));
            net.params().forEach((name, p) -> {
                if (name.startsWith("b") || name.startsWith("gamma")) {
                    p.addInPlace(nd.randn(name.hashCode(), p.shape().dims()).mulInPlace(0.1));
                }
            });
            Tensor x = nd.randn(4L, 6, 5);
            Tensor t = nd.fromArray(new double[] {0, 1, 2, 0, 1, 2}, 6);
            Map<String, Tensor> analytic = net.gradient(x, t);
            Map<String, Tensor> numerical = net.numericalGradient(x, t);
            assertEquals(numerical.keySet(), analytic.keySet());
            analytic.forEach((name, g) -> {
                double error = GradientCheck.relativeError(g, numerical.get(name));
                // A bias feeding batch normalisation has a zero gradient (the mean removes it): the
                // numerical one is rounding noise, so compare those absolutely.
                double absolute = maxAbsDifference(g, numerical.get(name));
                assertTrue(error < 1e-6 || absolute < 1e-9, activation + " " + name + ": relative error " + error
                        + ", absolute " + absolute);
            });
        }
    }

    private static double maxAbsDifference(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
        }
        return max;
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void builderLaysOutTheBooksLayersAndInitialisation(DType dtype) {
        Backend nd = nd(dtype);
        Network net = MultiLayerNetExtend.builder(nd, 6, 2).hidden(4, 3).activation(Activation.SIGMOID)
                .init(WeightInit.HE).batchNorm(true).dropout(0.2).seed(7L).build();
        assertEquals("Affine -> BatchNormalization -> Sigmoid -> Dropout -> Affine -> BatchNormalization -> Sigmoid"
                + " -> Dropout -> Affine -> SoftmaxWithLoss", net.toString());
        Random random = new Random(7L);
        int[][] shapes = {{6, 4}, {4, 3}, {3, 2}};
        for (int k = 0; k < 3; k++) {
            double[] w = new double[shapes[k][0] * shapes[k][1]];
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.sqrt(2.0 / shapes[k][0]) * random.nextGaussian();
            }
            assertClose("W" + (k + 1), w, shapes[k], net.params().get("W" + (k + 1)), dtype);
        }
        assertClose("gamma1", new double[] {1, 1, 1, 1}, new int[] {4}, net.params().get("gamma1"), dtype);
        Network fixed = MultiLayerNetExtend.builder(nd, 6, 2).hidden(4).init(0.01).seed(7L).build();
        double first = 0.01 * new Random(7L).nextGaussian();
        assertEquals(Tolerance.inPrecision(first, dtype), fixed.params().get("W1").get(0, 0), 1e-9);
        assertEquals("Affine -> Relu -> Affine -> SoftmaxWithLoss", fixed.toString());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void evaluationRunsInInferenceModeAndRestoresTheMode(DType dtype) {
        Backend nd = nd(dtype);
        Network net = MultiLayerNetExtend.builder(nd, 4, 3).hidden(8).batchNorm(true).dropout(0.5).seed(9L).build();
        Tensor x = nd.randn(10L, 6, 4);
        Tensor t = nd.fromArray(new double[] {0, 1, 2, 0, 1, 2}, 6);
        assertTrue(net.isTraining());
        BatchNormalization bn = (BatchNormalization) net.layers().get(1);
        double[] meanBefore = bn.runningMean().toDoubleArray();
        double accuracy = net.accuracy(x, t);
        double loss = net.inferenceLoss(x, t);
        assertTrue(net.isTraining(), "accuracy and inferenceLoss restore training mode");
        assertExactly(meanBefore, bn.runningMean());
        assertEquals(accuracy, net.accuracy(x, t), "inference is deterministic");
        assertEquals(loss, net.inferenceLoss(x, t));
        net.setTraining(false);
        assertFalse(((Dropout) net.layers().get(3)).isTraining());
        assertExactly(net.predict(x).toDoubleArray(), net.predict(x));
        net.accuracy(x, t);
        assertFalse(net.isTraining(), "the previous mode, inference, is kept");
        net.setTraining(true);
        net.gradient(x, t);
        assertFalse(java.util.Arrays.equals(meanBefore, bn.runningMean().toDoubleArray()), "training moves the running mean");
    }

    @Test
    void dropoutGradientMatchesNumericalGradientsWithAFixedMask() {
        // Each new Dropout with the same seed draws the same first mask, so the loss below is a fixed
        // function of x: L = Σ dropout(x) ⊙ r.
        Backend nd = nd(DType.FLOAT64);
        Tensor x = nd.randn(61L, 4, 6);
        Tensor r = nd.randn(62L, 4, 6);
        Dropout analytic = new Dropout(0.3, 63L);
        analytic.forward(x);
        Tensor dx = analytic.backward(r);
        Tensor xs = x.copy();
        Tensor numerical = org.nnjava.layer.NumericalGradient.of(
                () -> new Dropout(0.3, 63L).forward(xs).mul(r).sum().item(), xs);
        double error = GradientCheck.relativeError(dx, numerical);
        assertTrue(error < 1e-7, "relative error " + error);
        assertTrue(analytic.mask().sum().item() < 24, "some units are dropped");
    }
}
