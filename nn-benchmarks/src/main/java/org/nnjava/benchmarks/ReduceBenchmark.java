package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.HIDDEN;
import static org.nnjava.benchmarks.Fixtures.SEED;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * Sums along an axis of the hidden layer's {@code [100, 50]}, each call in a step arena as in training:
 * along axis 0 (the {@code Affine} layer's bias gradient {@code db = Σ_rows dout}, on the step's path:
 * its rows lie across memory, so a kernel adds whole rows at a time), and along axis 1 (each sum along
 * a contiguous row, the other form a reduction kernel has).
 */
public class ReduceBenchmark extends BackendBenchmark {

    Tensor dHidden;

    /** A seeded {@code [100, 50]} gradient. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        dHidden = Fixtures.normal(nd, SEED + 40, 0.01, BATCH, HIDDEN);
    }

    /** The bias gradient of the first layer: {@code dout[100, 50].sum(0)}. */
    @Benchmark
    public Tensor biasGradient() {
        arena.begin();
        try {
            return dHidden.sum(0);
        } finally {
            arena.end();
        }
    }

    /** Sums along the rows: {@code dout[100, 50].sum(1)}. */
    @Benchmark
    public Tensor rowSum() {
        arena.begin();
        try {
            return dHidden.sum(1);
        } finally {
            arena.end();
        }
    }
}
