package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertClose;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.layer.Affine;
import org.nnjava.layer.BatchNormalization;
import org.nnjava.layer.Dropout;
import org.nnjava.layer.GradientCheck;
import org.nnjava.layer.Layer;
import org.nnjava.layer.Relu;
import org.nnjava.layer.Sigmoid;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.layer.Tanh;
import org.nnjava.net.Activation;
import org.nnjava.net.MultiLayerNet;
import org.nnjava.net.Network;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Adam;
import org.nnjava.optim.Optimizer;
import org.nnjava.optim.Sgd;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.RecycledTensorException;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.EpochMetrics;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;
import org.nnjava.train.TrainingStep;

/**
 * Networks, SGD and the trainer on a backend: backpropagation against numerical gradients (the book's
 * gradient check, chapter 5.7.3), the book's parameter names and initialisation, SGD's update against
 * plain loops, a training run that learns, and training steps in a {@link StepArena}: recycling changes
 * no result, a tensor used after its step was recycled fails loudly, and what outlives a step
 * (parameters, optimizer state, copies) is never recycled.
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

    // ---- step arenas ---------------------------------------------------------------------------

    /** {@code n} samples of {@code features} uniform values in [0, 1) (as MNIST's scaled pixels), from a seed. */
    private static Tensor uniformInputs(Backend nd, long seed, int n, int features) {
        return nd.rand(new Random(seed), n, features);
    }

    /** One-hot labels {@code [n, classes]} of classes drawn from a seed. */
    private static Tensor oneHotLabels(Backend nd, long seed, int n, int classes) {
        int[] labels = TestData.labels(seed, n, classes);
        double[] hot = new double[n * classes];
        for (int i = 0; i < n; i++) {
            hot[i * classes + labels[i]] = 1;
        }
        return nd.fromArray(hot, n, classes);
    }

    /** Class-index labels {@code [n]} drawn from a seed. */
    private static Tensor classLabels(Backend nd, long seed, int n, int classes) {
        return nd.fromArray(Arrays.stream(TestData.labels(seed, n, classes)).asDoubleStream().toArray(), n);
    }

    private static Affine affine(Backend nd, Random random, int in, int out) {
        return new Affine(nd.randn(random, in, out).mulInPlace(Math.sqrt(2.0 / in)), nd.zeros(out));
    }

    /**
     * A network with every layer kind the library has: Affine, BatchNormalization, Relu, Dropout, Sigmoid,
     * Tanh and SoftmaxWithLoss, with weight decay; 20 inputs, 5 classes.
     */
    private static Network everyLayerKind(Backend nd, long seed) {
        Random random = new Random(seed);
        List<Layer> layers = List.of(
                affine(nd, random, 20, 16), new BatchNormalization(nd.ones(16), nd.zeros(16)), new Relu(),
                new Dropout(0.2, seed + 1),
                affine(nd, random, 16, 12), new BatchNormalization(nd.ones(12), nd.zeros(12)), new Sigmoid(),
                new Dropout(0.1, seed + 2),
                affine(nd, random, 12, 8), new Tanh(),
                affine(nd, random, 8, 5));
        return new Network(layers, new SoftmaxWithLoss(), 0.01);
    }

    /** What a training run produced: its losses, then every tensor of the network's and optimizer's state. */
    private record Run(double[] losses, Map<String, double[]> state) {
    }

    /** The values of the network's state (parameters, running statistics), the optimizer's, and the dropout generators. */
    private static Map<String, double[]> stateOf(Network net, Optimizer optimizer) {
        Map<String, double[]> state = new LinkedHashMap<>();
        net.state().forEach((name, v) -> state.put("network " + name, v.toDoubleArray()));
        optimizer.state().forEach((name, v) -> state.put("optimizer " + name, v.toDoubleArray()));
        state.put("dropout generators", net.randomStates().stream().mapToDouble(Long::doubleValue).toArray());
        return state;
    }

    /**
     * Runs {@code steps} {@link TrainingStep}s on batches of {@code batch} drawn from a fixed seed, in a
     * step arena or not; checks that the recycling run really recycled (the batch before the last is
     * recycled by the last step) and that the other did not.
     */
    private static Run train(Network net, Optimizer optimizer, Tensor x, Tensor t, int batch, int steps,
            boolean recycle) {
        Minibatches batches = new Minibatches(x, t, MinibatchSampler.withReplacement(x.shape().dim(0), batch, 47L));
        TrainingStep step = new TrainingStep(net, optimizer, batches, recycle);
        double[] losses = new double[steps];
        Tensor beforeLast = null;
        for (int i = 0; i < steps; i++) {
            losses[i] = step.next();
            assertFalse(StepArena.isStepOpen(), "a step closes its arena");
            if (i == steps - 2) {
                beforeLast = step.batches().xBatch();
            }
        }
        Tensor previous = beforeLast;
        if (recycle) {
            assertThrowsWithMessage(RecycledTensorException.class, previous::toDoubleArray, "copy");
        } else {
            assertEquals(batch, previous.toDoubleArray().length / x.shape().dim(1), "without an arena nothing is recycled");
        }
        return new Run(losses, stateOf(net, optimizer));
    }

    private static void assertSameRun(Run expected, Run actual, String what) {
        assertArrayEquals(expected.losses(), actual.losses(), what + ": the losses, bit for bit");
        assertEquals(expected.state().keySet(), actual.state().keySet(), what);
        expected.state().forEach((name, v) -> assertArrayEquals(v, actual.state().get(name),
                what + ": " + name + ", bit for bit"));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void recyclingChangesNoResultOfTheBooksTrainingStep(DType dtype) {
        // The real step's shapes: 784-50-10, batch 100, SGD (train_neuralnet.py), on synthetic data.
        Backend nd = nd(dtype);
        Tensor x = uniformInputs(nd, 41L, 300, 784);
        Tensor t = oneHotLabels(nd, 42L, 300, 10);
        double[] initialW1 = new TwoLayerNet(nd, 784, 50, 10, 43L).params().get("W1").toDoubleArray();
        Run fresh = train(new TwoLayerNet(nd, 784, 50, 10, 43L), new Sgd(0.1), x, t, 100, 30, false);
        Run recycled = train(new TwoLayerNet(nd, 784, 50, 10, 43L), new Sgd(0.1), x, t, 100, 30, true);
        assertSameRun(fresh, recycled, "784-50-10, batch 100, SGD, " + dtype);
        assertFalse(Arrays.equals(initialW1, fresh.state().get("network W1")), "the steps trained the network");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void recyclingChangesNoResultOfANetworkWithEveryLayerKindAndAdam(DType dtype) {
        Backend nd = nd(dtype);
        Tensor x = nd.randn(44L, 200, 20);
        Tensor t = classLabels(nd, 45L, 200, 5);
        Run fresh = train(everyLayerKind(nd, 46L), new Adam(0.01, 0.9, 0.999), x, t, 50, 30, false);
        Run recycled = train(everyLayerKind(nd, 46L), new Adam(0.01, 0.9, 0.999), x, t, 50, 30, true);
        assertSameRun(fresh, recycled, "every layer kind, Adam, " + dtype);
        for (String name : List.of("network W1", "network gamma2", "network running_mean1", "network running_var2",
                "optimizer m.W1", "optimizer v.beta2", "optimizer iter")) {
            assertTrue(fresh.state().containsKey(name), name + " is compared: " + fresh.state().keySet());
        }
    }

    /** One use of a tensor, named for failure messages, with the operation its error message must name. */
    private record Use(String operation, Executable call) {
    }

    /** Every kind of access to {@code y} ({@code [4, 3]}): reads, ops with it as this, ops with it as an operand. */
    private static List<Use> usesOf(Tensor y, Tensor one, Tensor view, Tensor other) {
        return List.of(
                new Use("toDoubleArray", y::toDoubleArray),
                new Use("toFloatArray", y::toFloatArray),
                new Use("get", () -> y.get(0, 0)),
                new Use("set", () -> y.set(1.0, 0, 0)),
                new Use("item", one::item),
                new Use("reshape", () -> y.reshape(12)),
                new Use("transpose", y::transpose),
                new Use("copy", y::copy),
                new Use("add", () -> y.add(1.0)),
                new Use("exp", y::exp),
                new Use("sum", () -> y.sum(0)),
                new Use("matmul", () -> y.matmul(other, false, true)),
                new Use("softmax", y::softmax),
                new Use("gatherRows", () -> y.gatherRows(new int[] {0})),
                new Use("addInPlace", () -> y.addInPlace(other)),
                new Use("assign", () -> y.assign(other)),
                new Use("add (operand)", () -> other.add(y)),
                new Use("mulInPlace (operand)", () -> other.mulInPlace(y)),
                new Use("matmul (operand)", () -> other.matmul(y, true, false)),
                new Use("assign (operand)", () -> other.assign(y)),
                new Use("maskedFill (operand)", () -> other.maskedFill(y, 0.0)),
                new Use("softmaxCrossEntropy (operand)", () -> other.softmaxCrossEntropy(y)),
                new Use("toDoubleArray", view::toDoubleArray),
                new Use("get", () -> view.get(0)));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void aTensorMadeInAStepIsValidUntilTheNextStepBeginsThenEveryUseThrows(DType dtype) {
        Backend nd = nd(dtype);
        TwoLayerNet net = new TwoLayerNet(nd, 6, 5, 3, 0.5, 23L);
        Tensor x = nd.randn(22L, 4, 6);
        double[] expected = net.predict(x).toDoubleArray();
        Map<String, double[]> params = stateOf(net, new Sgd(0.1));
        StepArena arena = new StepArena();
        assertEquals(0, arena.steps());
        assertFalse(StepArena.isStepOpen());
        Tensor scores;
        Tensor one;
        Tensor view;
        Tensor copy;
        Tensor copyOf;
        Tensor survivor;
        arena.begin();
        try {
            assertTrue(StepArena.isStepOpen());
            scores = net.predict(x);
            one = scores.sum();
            view = scores.reshape(-1);
            copy = scores.copy();
            copyOf = nd.copyOf(scores);
            survivor = StepArena.outside(() -> {
                assertFalse(StepArena.isStepOpen(), "outside(...) runs as if no step were open");
                return x.mul(2.0);
            });
            assertTrue(StepArena.isStepOpen(), "and the step is open again after it");
        } finally {
            arena.end();
        }
        assertFalse(StepArena.isStepOpen());
        assertEquals(1, arena.steps());
        assertArrayEquals(expected, scores.toDoubleArray(), "valid after end(), until the next begin()");
        assertEquals(expected[0], scores.get(0, 0));
        assertArrayEquals(expected, view.toDoubleArray());
        Tensor between = x.mul(3.0); // made between steps, outside any step
        Tensor other = nd.randn(24L, 4, 3);

        List<String> misnamed = new ArrayList<>();
        arena.begin();
        try {
            assertEquals(2, arena.steps());
            for (Use use : usesOf(scores, one, view, other)) {
                RecycledTensorException e = assertThrowsWithMessage(RecycledTensorException.class, use.call(),
                        "this [", "step 1", "copy");
                if (!e.getMessage().startsWith(use.operation() + ":")) {
                    misnamed.add(use.operation() + " said: " + e.getMessage());
                }
            }
            assertTrue(scores.toString().contains("recycled"), "toString never throws: " + scores);
            assertClose(expected, new int[] {4, 3}, copy, dtype);
            assertClose(expected, new int[] {4, 3}, copyOf, dtype);
            net.predict(x); // a step that reuses step 1's storage
        } finally {
            arena.end();
        }
        assertThrows(RecycledTensorException.class, scores::toDoubleArray, "and after that step ended too");
        arena.begin();
        arena.end();
        assertArrayEquals(expected, copy.toDoubleArray(), "a copy made in a step stays valid forever");
        assertArrayEquals(expected, copyOf.toDoubleArray(), "so does backend.copyOf");
        assertArrayEquals(x.mul(2.0).toDoubleArray(), survivor.toDoubleArray(), "and what outside(...) made");
        assertArrayEquals(x.mul(3.0).toDoubleArray(), between.toDoubleArray(), "and what was made between steps");
        assertEquals(params.keySet(), stateOf(net, new Sgd(0.1)).keySet());
        params.forEach((name, v) -> assertArrayEquals(v, stateOf(net, new Sgd(0.1)).get(name),
                "parameters made outside any step are never affected: " + name));
        assertArrayEquals(expected, net.predict(x).toDoubleArray());
        assertEquals(List.of(), misnamed, "each message names the operation attempted");
    }

    @Test
    void stepsDoNotNestAndEndNeedsABegin() {
        StepArena arena = new StepArena();
        assertThrowsWithMessage(IllegalStateException.class, arena::end, "StepArena.end", "begin()");
        arena.begin();
        try {
            assertThrowsWithMessage(IllegalStateException.class, arena::begin, "StepArena.begin", "already open");
            assertThrowsWithMessage(IllegalStateException.class, new StepArena()::begin, "already open");
            assertThrowsWithMessage(IllegalStateException.class, new StepArena()::end, "StepArena.end");
            assertEquals(1, arena.steps(), "a refused begin() begins nothing");
            assertTrue(StepArena.isStepOpen());
        } finally {
            arena.end();
        }
        assertFalse(StepArena.isStepOpen());
        assertThrowsWithMessage(IllegalStateException.class, arena::end, "StepArena.end");
        arena.begin();
        arena.end();
        assertEquals(2, arena.steps());
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void parametersAndOptimizerStateAreNeverRecycled(DType dtype) {
        Backend nd = nd(dtype);
        Tensor x = nd.randn(30L, 40, 20);
        Tensor t = classLabels(nd, 31L, 40, 5);
        Network net = everyLayerKind(nd, 32L);
        Network plain = everyLayerKind(nd, 32L);
        Adam adam = new Adam(0.01, 0.9, 0.999);
        Adam plainAdam = new Adam(0.01, 0.9, 0.999);
        Map<String, Tensor> live = net.state(); // parameters and running statistics, live
        StepArena arena = new StepArena();
        Map<String, Tensor> duringStep3 = null;
        for (int i = 1; i <= 3; i++) {
            arena.begin();
            try {
                adam.update(net.params(), net.gradient(x, t));
                if (i == 3) {
                    duringStep3 = adam.state();
                }
            } finally {
                arena.end();
            }
            plainAdam.update(plain.params(), plain.gradient(x, t));
        }
        Map<String, Tensor> afterStep3 = adam.state();
        Map<String, double[]> expected = new LinkedHashMap<>();
        afterStep3.forEach((name, v) -> expected.put(name, v.toDoubleArray()));
        for (int i = 0; i < 2; i++) {
            arena.begin();
            try {
                adam.update(net.params(), net.gradient(x, t));
            } finally {
                arena.end();
            }
            plainAdam.update(plain.params(), plain.gradient(x, t));
        }
        assertEquals(5, adam.iterations());
        expected.forEach((name, v) -> assertArrayEquals(v, afterStep3.get(name).toDoubleArray(),
                "optimizer.state() after step 3: " + name));
        Map<String, double[]> plainState = stateOf(plain, plainAdam);
        Map<String, double[]> state = stateOf(net, adam);
        assertEquals(plainState.keySet(), state.keySet());
        plainState.forEach((name, v) -> assertArrayEquals(v, state.get(name), "after 5 steps: " + name));
        live.forEach((name, v) -> assertArrayEquals(plainState.get("network " + name), v.toDoubleArray(),
                "the live " + name + " is readable after the steps"));
        // state() is "a snapshot (copies)" (Optimizer): taken during a step, it outlives the step too.
        Map<String, Tensor> inStep3 = duringStep3;
        assertEquals(expected.keySet(), inStep3.keySet());
        expected.forEach((name, v) -> assertArrayEquals(v, assertDoesNotThrow(() -> inStep3.get(name).toDoubleArray(),
                "optimizer.state() taken during step 3, read after step 5: " + name), name));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void theSecondStepRunsOnTheFirstStepsStorage(DType dtype) {
        Backend nd = nd(dtype);
        TwoLayerNet net = new TwoLayerNet(nd, 6, 5, 3, 0.5, 25L);
        Tensor x1 = nd.randn(26L, 4, 6);
        Tensor x2 = nd.randn(27L, 4, 6);
        Tensor t = nd.fromArray(new double[] {0, 2, 1, 2}, 4);
        double[] expected1 = net.predict(x1).toDoubleArray();
        double[] expected2 = net.predict(x2).toDoubleArray();
        Map<String, Tensor> expectedGrads = new LinkedHashMap<>();
        net.gradient(x2, t).forEach((name, g) -> expectedGrads.put(name, g.copy()));
        StepArena arena = new StepArena();
        Function<Tensor, Tensor> step = x -> {
            arena.begin();
            try {
                return net.predict(x);
            } finally {
                arena.end();
            }
        };
        Tensor first = step.apply(x1);
        assertArrayEquals(expected1, first.toDoubleArray());
        arena.begin();
        try {
            assertEquals(2, arena.steps());
            assertThrows(RecycledTensorException.class, first::toDoubleArray, "step 1's result is recycled");
            Tensor second = net.predict(x2);
            assertNotSame(first, second, "a new tensor object on the recycled storage");
            assertArrayEquals(expected2, second.toDoubleArray(), "with the values computed in step 2");
            Map<String, Tensor> grads = net.gradient(x2, t);
            expectedGrads.forEach((name, g) -> assertArrayEquals(g.toDoubleArray(), grads.get(name).toDoubleArray(),
                    "a step larger than the previous one: " + name));
        } finally {
            arena.end();
        }
        for (int i = 0; i < 3; i++) {
            Tensor again = step.apply(i % 2 == 0 ? x1 : x2);
            assertArrayEquals(i % 2 == 0 ? expected1 : expected2, again.toDoubleArray(), "step " + arena.steps());
        }
        assertEquals(5, arena.steps());
    }

    /**
     * A user's layer that passes everything through and records whether its training-mode forward (a
     * gradient pass) ran inside a step; evaluation, which {@code accuracy} runs in arenas of its own, is
     * not counted.
     */
    private static final class StepProbe implements Layer, org.nnjava.layer.ModeAware {
        private int inStep;
        private int outsideSteps;
        private boolean training = true;

        @Override
        public void setTraining(boolean training) {
            this.training = training;
        }

        @Override
        public boolean isTraining() {
            return training;
        }

        @Override
        public Tensor forward(Tensor x) {
            if (!training) {
                return x;
            }
            if (StepArena.isStepOpen()) {
                inStep++;
            } else {
                outsideSteps++;
            }
            return x;
        }

        @Override
        public Tensor backward(Tensor dout) {
            return dout;
        }
    }

    private static Network probed(Backend nd, StepProbe probe) {
        Random random = new Random(53L);
        return new Network(List.of(affine(nd, random, 6, 8), new BatchNormalization(nd.ones(8), nd.zeros(8)),
                new Relu(), new Dropout(0.25, 54L), probe, affine(nd, random, 8, 3)), new SoftmaxWithLoss());
    }

    @Test
    void trainerGivesTheResultsOfAPlainLoopWithoutAnArena() {
        Backend nd = nd(DType.FLOAT64);
        Tensor xTrain = nd.randn(50L, 60, 6);
        Tensor tTrain = classLabels(nd, 51L, 60, 3);
        Tensor xTest = nd.randn(52L, 20, 6);
        Tensor tTest = classLabels(nd, 53L, 20, 3);
        TrainingConfig config = new TrainingConfig(14, 10, 55L); // 6 iterations an epoch
        StepProbe trainedProbe = new StepProbe();
        Network trained = probed(nd, trainedProbe);
        Adam trainedAdam = new Adam(0.01, 0.9, 0.999);
        TrainingResult result = new Trainer(trained, trainedAdam).train(xTrain, tTrain, xTest, tTest, config,
                new TrainingListener() { });
        assertFalse(StepArena.isStepOpen(), "no step is left open");
        assertTrue(trainedProbe.inStep >= 14, "the trainer runs each step in an arena");

        // The book's train_neuralnet.py loop, with no arena.
        StepProbe plainProbe = new StepProbe();
        Network plain = probed(nd, plainProbe);
        Adam plainAdam = new Adam(0.01, 0.9, 0.999);
        Minibatches batches = new Minibatches(xTrain, tTrain, MinibatchSampler.withReplacement(60, 10, 55L));
        List<Double> losses = new ArrayList<>();
        Map<Integer, double[]> accuracies = new LinkedHashMap<>();
        for (int i = 1; i <= 14; i++) {
            batches.next();
            plainAdam.update(plain.params(), plain.gradient(batches.xBatch(), batches.tBatch()));
            losses.add(plain.inferenceLoss(batches.xBatch(), batches.tBatch()));
            accuracies.put(i, new double[] {plain.accuracy(xTrain, tTrain), plain.accuracy(xTest, tTest)});
        }
        assertEquals(0, plainProbe.inStep);
        assertEquals(losses, result.losses(), "the losses, bit for bit");
        assertEquals(List.of(1, 7, 13, 14), result.epochs().stream().map(EpochMetrics::iteration).toList());
        for (EpochMetrics m : result.epochs()) {
            double[] expected = accuracies.get(m.iteration());
            assertEquals(expected[0], m.trainAccuracy(), "train accuracy after iteration " + m.iteration());
            assertEquals(expected[1], m.testAccuracy(), "test accuracy after iteration " + m.iteration());
        }
        Map<String, double[]> expected = stateOf(plain, plainAdam);
        Map<String, double[]> actual = stateOf(trained, trainedAdam);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), name + ", bit for bit"));
    }
}
