package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.INPUT;
import static org.nnjava.benchmarks.Fixtures.SAMPLES;
import static org.nnjava.benchmarks.Fixtures.SEED;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The minibatch gather that starts each step: 100 rows of the {@code [10000, 784]} training images
 * copied into a {@code [100, 784]} batch with {@link Tensor#gatherRows(int[])}, in a step arena as in training.
 * Calls cycle through {@value #BATCHES} minibatches drawn in advance, so that, as in training, the rows
 * come from all over the data set rather than from a cache kept warm by one fixed batch.
 */
public class GatherRowsBenchmark extends BackendBenchmark {

    /** Minibatches drawn in advance; enough to touch most of the data set between repeats. */
    static final int BATCHES = 64;

    Tensor images;
    int[][] batches;
    int next;

    /** Seeded images and the minibatches' indices. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        images = Fixtures.uniform(nd, SEED + 30, SAMPLES, INPUT);
        batches = Fixtures.batches(SEED + 31, BATCHES);
        next = 0;
    }

    /** One minibatch gathered: {@code images.gatherRows(rows)} in the step arena, 100 rows of 784 elements. */
    @Benchmark
    public Tensor gatherRows() {
        int[] rows = batches[next];
        next = (next + 1) % BATCHES;
        arena.begin();
        try {
            return images.gatherRows(rows);
        } finally {
            arena.end();
        }
    }
}
