package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.CLASSES;
import static org.nnjava.benchmarks.Fixtures.HIDDEN;
import static org.nnjava.benchmarks.Fixtures.INPUT;
import static org.nnjava.benchmarks.Fixtures.SEED;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The matrix products of the training step, each {@link Tensor#matmul(Tensor, boolean, boolean)} in a
 * step arena as in training, so that the time is the backend's gemm kernel and its call overhead, the
 * result's storage recycled rather than allocated. The three first-layer products are 100x784x50
 * (7.84 MFLOP each) and dominate the step on EJML; the second layer's 100x50x10 product is small
 * enough that the fixed cost of a call shows.
 */
public class MatmulBenchmark extends BackendBenchmark {

    Tensor x;
    Tensor w1;
    Tensor dHidden;
    Tensor hidden;
    Tensor w2;

    /** Seeded operands of the step's shapes; each product's result comes from the step arena. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        x = Fixtures.uniform(nd, SEED, BATCH, INPUT);
        w1 = Fixtures.normal(nd, SEED + 1, 0.01, INPUT, HIDDEN);
        dHidden = Fixtures.normal(nd, SEED + 2, 0.01, BATCH, HIDDEN);
        hidden = Fixtures.normal(nd, SEED + 3, 1.0, BATCH, HIDDEN);
        w2 = Fixtures.normal(nd, SEED + 4, 0.01, HIDDEN, CLASSES);
    }

    /** The first layer's forward product {@code x·W1}: {@code [100, 784]·[784, 50] -> [100, 50]}. */
    @Benchmark
    public Tensor firstLayerForward() {
        arena.begin();
        try {
            return x.matmul(w1, false, false);
        } finally {
            arena.end();
        }
    }

    /**
     * The first layer's weight gradient {@code dW1 = xᵀ·dout}: {@code [100, 784]ᵀ·[100, 50] -> [784, 50]},
     * the product with a transposed left operand.
     */
    @Benchmark
    public Tensor firstLayerWeightGradient() {
        arena.begin();
        try {
            return x.matmul(dHidden, true, false);
        } finally {
            arena.end();
        }
    }

    /**
     * The first layer's input gradient {@code dx = dout·W1ᵀ}: {@code [100, 50]·[784, 50]ᵀ -> [100, 784]},
     * the product with a transposed right operand. The step skips it (nothing consumes the first
     * layer's input gradient), but the book's NumPy step computes it, and every deeper layer needs it.
     */
    @Benchmark
    public Tensor firstLayerInputGradient() {
        arena.begin();
        try {
            return dHidden.matmul(w1, false, true);
        } finally {
            arena.end();
        }
    }

    /** The second layer's forward product {@code h·W2}: {@code [100, 50]·[50, 10] -> [100, 10]}. */
    @Benchmark
    public Tensor secondLayerForward() {
        arena.begin();
        try {
            return hidden.matmul(w2, false, false);
        } finally {
            arena.end();
        }
    }
}
