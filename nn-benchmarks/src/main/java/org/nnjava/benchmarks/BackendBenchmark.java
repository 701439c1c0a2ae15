package org.nnjava.benchmarks;

import java.util.concurrent.TimeUnit;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.StepArena;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every benchmark shares: the backend and dtype parameters, and settings that keep the whole suite
 * to a few minutes (one fork, 3 warm-up and 5 measured iterations of a second each, mean time per call
 * in microseconds). Each is overridden on the command line as usual: {@code -p backend=ejml},
 * {@code -p dtype=float32}, {@code -f}, {@code -wi}, {@code -i}, {@code -w}, {@code -r}, {@code -tu}.
 *
 * <p>Each subclass is its own {@link State} (one instance per thread), built by its {@code @Setup}
 * method from {@link Fixtures}' seeded inputs through the public API only: {@code Backends},
 * {@code Tensor}, {@code StepArena}, the layers, {@code TwoLayerNet} and {@code Sgd}. Benchmark methods return their result
 * so that JMH consumes it and the work cannot be removed as dead code.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class BackendBenchmark {

    /** The backend's provider name. */
    @Param({"ejml", "nd4j"})
    public String backend;

    /** The element type, {@code float64} or {@code float32}. */
    @Param({"float64", "float32"})
    public String dtype;

    /**
     * The step arena the benchmarks that make tensors run each call in, between {@code arena.begin()} and
     * {@code arena.end()}, as training runs each step ({@code TrainingStep}): their results then come
     * from memory recycled from the previous call, and the time includes the arena's bookkeeping.
     */
    protected final StepArena arena = new StepArena();

    /** The backend the parameters name; fails the benchmark (not the run) if it cannot run here. */
    protected final Backend backendUnderTest() {
        return Fixtures.backend(backend, dtype);
    }
}
