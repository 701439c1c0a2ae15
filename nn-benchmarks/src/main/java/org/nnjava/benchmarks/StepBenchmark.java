package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.CLASSES;
import static org.nnjava.benchmarks.Fixtures.HIDDEN;
import static org.nnjava.benchmarks.Fixtures.INPUT;
import static org.nnjava.benchmarks.Fixtures.LEARNING_RATE;
import static org.nnjava.benchmarks.Fixtures.SAMPLES;
import static org.nnjava.benchmarks.Fixtures.SEED;

import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.train.TrainingStep;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * One whole training step of the book's TwoLayerNet (784-50-10, batch 100, SGD with learning rate 0.1):
 * the library's own {@link TrainingStep}, as {@code Trainer} runs it each iteration and {@code ./nn bench}
 * times it (draw 100 indices with replacement, gather, backpropagate, update, loss after the update),
 * each step in the TrainingStep's own step arena. The sum of the other benchmarks' kernels plus the glue between
 * them; the number a kernel change must eventually move.
 */
public class StepBenchmark extends BackendBenchmark {

    TwoLayerNet network;
    TrainingStep step;

    /** The network from a fixed seed; seeded MNIST-shaped images and one-hot labels; the sampler. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        network = new TwoLayerNet(nd, INPUT, HIDDEN, CLASSES, SEED + 40);
        Minibatches batches = new Minibatches(Fixtures.uniform(nd, SEED + 41, SAMPLES, INPUT),
                Fixtures.oneHot(nd, SEED + 42, SAMPLES, CLASSES), MinibatchSampler.withReplacement(SAMPLES, BATCH, SEED + 43));
        step = new TrainingStep(network, new Sgd(LEARNING_RATE), batches);
    }

    /** One step: gather, gradient, SGD update, loss after the update (returned). */
    @Benchmark
    public double step() {
        return step.next();
    }
}
