package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.CLASSES;
import static org.nnjava.benchmarks.Fixtures.SEED;

import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The loss layer of the step, {@link SoftmaxWithLoss} on scores {@code [100, 10]} with one-hot labels
 * {@code [100, 10]}, in a step arena as in training. Its arithmetic is tiny (1,000 elements): the
 * forward pass is one fused {@code softmaxCrossEntropy} call, the backward pass {@code (y - t) / N}.
 */
public class SoftmaxWithLossBenchmark extends BackendBenchmark {

    /** The layer {@link #forward} runs. */
    SoftmaxWithLoss loss;
    /** The layer {@link #backward} runs, its probabilities cached by a forward pass outside any step. */
    SoftmaxWithLoss forwarded;
    Tensor scores;
    Tensor labels;

    /** Seeded scores and labels; one forward pass, so that {@link #backward} has its cache. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        scores = Fixtures.normal(nd, SEED + 20, 1.0, BATCH, CLASSES);
        labels = Fixtures.oneHot(nd, SEED + 21, BATCH, CLASSES);
        loss = new SoftmaxWithLoss();
        forwarded = new SoftmaxWithLoss();
        forwarded.forward(scores, labels);
    }

    /** The forward pass: softmax probabilities (cached) and the mean cross-entropy, returned. */
    @Benchmark
    public double forward() {
        arena.begin();
        try {
            return loss.forward(scores, labels);
        } finally {
            arena.end();
        }
    }

    /** The backward pass from the cached probabilities: {@code (y - t) / N}, a new {@code [100, 10]} tensor. */
    @Benchmark
    public Tensor backward() {
        arena.begin();
        try {
            return forwarded.backward();
        } finally {
            arena.end();
        }
    }
}
