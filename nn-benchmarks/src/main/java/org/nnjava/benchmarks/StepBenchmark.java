package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.CLASSES;
import static org.nnjava.benchmarks.Fixtures.HIDDEN;
import static org.nnjava.benchmarks.Fixtures.INPUT;
import static org.nnjava.benchmarks.Fixtures.LEARNING_RATE;
import static org.nnjava.benchmarks.Fixtures.SAMPLES;
import static org.nnjava.benchmarks.Fixtures.SEED;

import java.util.Map;
import java.util.Random;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * One whole training step of the book's TwoLayerNet (784-50-10, batch 100, SGD with learning rate 0.1),
 * as {@code Trainer} and {@code ./nn bench} run it: draw 100 sample indices with replacement, gather
 * them into batch tensors allocated once, backpropagate, update the parameters, and compute the loss
 * on the batch, with the layers reusing their buffers. The sum of the other benchmarks' kernels plus
 * the glue between them; the number a kernel change must eventually move.
 */
public class StepBenchmark extends BackendBenchmark {

    TwoLayerNet network;
    Sgd optimizer;
    Tensor images;
    Tensor labels;
    Tensor xBatch;
    Tensor tBatch;
    int[] rows;
    Random random;

    /** The network from a fixed seed; seeded MNIST-shaped images and one-hot labels; the batch tensors. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        network = new TwoLayerNet(nd, INPUT, HIDDEN, CLASSES, SEED + 40);
        network.reuseBuffers(true);
        optimizer = new Sgd(LEARNING_RATE);
        images = Fixtures.uniform(nd, SEED + 41, SAMPLES, INPUT);
        labels = Fixtures.oneHot(nd, SEED + 42, SAMPLES, CLASSES);
        xBatch = nd.zeros(BATCH, INPUT);
        tBatch = nd.zeros(BATCH, CLASSES);
        rows = new int[BATCH];
        random = new Random(SEED + 43);
    }

    /** One step: gather, gradient, SGD update, loss after the update (returned). */
    @Benchmark
    public double step() {
        for (int j = 0; j < rows.length; j++) {
            rows[j] = random.nextInt(SAMPLES);
        }
        images.gatherRows(rows, xBatch);
        labels.gatherRows(rows, tBatch);
        Map<String, Tensor> grads = network.gradient(xBatch, tBatch);
        optimizer.update(network.params(), grads);
        return network.loss(xBatch, tBatch);
    }
}
