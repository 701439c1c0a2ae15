package org.nnjava.benchmarks;

import static org.nnjava.benchmarks.Fixtures.BATCH;
import static org.nnjava.benchmarks.Fixtures.HIDDEN;
import static org.nnjava.benchmarks.Fixtures.INPUT;
import static org.nnjava.benchmarks.Fixtures.LEARNING_RATE;
import static org.nnjava.benchmarks.Fixtures.SEED;

import org.nnjava.layer.Relu;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * The elementwise work of the step around the products, on the hidden layer's shapes: the bias
 * broadcast, the {@link Relu} layer's two passes, and SGD's {@code W -= lr·dW} on the largest
 * parameter (the ReLU layer reusing its buffers, as in training). Cheap in arithmetic, so per-call
 * overhead shows; timing each alone shows which one a kernel change moved.
 */
public class ElementwiseBenchmark extends BackendBenchmark {

    Tensor hidden;
    Tensor bias;
    Tensor negatedBias;
    boolean addNegated;
    /** The layer {@link #reluForward} runs. */
    Relu relu;
    /**
     * The layer {@link #reluBackward} runs, its mask cached by a forward pass outside any step, so that
     * it stays valid across the arena's steps (the other layer's mask is recycled with each step).
     */
    Relu forwarded;
    Tensor preActivation;
    Tensor dHidden;
    Tensor w1;
    Tensor dW1;
    double sgdSign = 1.0;

    /** Seeded inputs of the step's shapes; the ReLU layer's mask cached by one forward pass. */
    @Setup(Level.Trial)
    public void setUp() {
        Backend nd = backendUnderTest();
        hidden = Fixtures.normal(nd, SEED + 10, 1.0, BATCH, HIDDEN);
        bias = Fixtures.normal(nd, SEED + 11, 0.1, HIDDEN);
        negatedBias = bias.neg();
        preActivation = Fixtures.normal(nd, SEED + 12, 1.0, BATCH, HIDDEN);
        dHidden = Fixtures.normal(nd, SEED + 13, 0.01, BATCH, HIDDEN);
        relu = new Relu();
        forwarded = new Relu();
        forwarded.forward(preActivation);
        w1 = Fixtures.normal(nd, SEED + 14, 0.01, INPUT, HIDDEN);
        dW1 = Fixtures.normal(nd, SEED + 15, 0.001, INPUT, HIDDEN);
    }

    /**
     * The bias broadcast of the first layer's forward, {@code h[100, 50].addInPlace(b[50])}: a row vector
     * added to every row, in place. Calls alternate between {@code b} and {@code -b}, so the values stay
     * where they started however long the run.
     */
    @Benchmark
    public Tensor biasAdd() {
        Tensor b = addNegated ? negatedBias : bias;
        addNegated = !addNegated;
        return hidden.addInPlace(b);
    }

    /** {@link Relu#forward} on {@code [100, 50]}: the mask {@code x <= 0} and the masked copy, from the step arena. */
    @Benchmark
    public Tensor reluForward() {
        arena.begin(); // as in training (TrainingStep, ./nn bench): the results come from recycled memory
        try {
            return relu.forward(preActivation);
        } finally {
            arena.end();
        }
    }

    /** {@link Relu#backward} on {@code [100, 50]}: {@code dout} with the cached mask's elements zeroed, from the step arena. */
    @Benchmark
    public Tensor reluBackward() {
        arena.begin(); // as in training (TrainingStep, ./nn bench): the results come from recycled memory
        try {
            return forwarded.backward(dHidden);
        } finally {
            arena.end();
        }
    }

    /**
     * SGD's update of the first layer's weights, {@code W1.addScaledInPlace(dW1, -lr)} on {@code [784, 50]}
     * (BLAS's axpy). The sign alternates between calls, so {@code W1} stays bounded; the work is the same.
     */
    @Benchmark
    public Tensor sgdUpdate() {
        sgdSign = -sgdSign;
        return w1.addScaledInPlace(dW1, sgdSign * LEARNING_RATE);
    }
}
