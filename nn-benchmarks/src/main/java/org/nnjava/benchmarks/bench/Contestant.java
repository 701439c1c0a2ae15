package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.util.Arrays;

/**
 * One implementation of the training step that {@code ./nn bench} times: the library on one backend,
 * a NumPy reference, DL4J or PyTorch, each at one thread setting. Every contestant starts from the
 * same initial weights and trains on the same minibatches (step {@code k} uses the indices
 * {@link BenchData#rows()}{@code [k]}), so that the losses of step {@code k} can be compared across them.
 */
abstract class Contestant implements AutoCloseable {

    /** What a contestant is: the library, one of the NumPy references, or a peer. */
    enum Kind {
        NNJAVA("nnjava"), NUMPY_LEAN("numpy-lean"), NUMPY_BOOK("numpy-book"), DL4J("dl4j"), PYTORCH("pytorch");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        boolean isPeer() {
            return this == DL4J || this == PYTORCH;
        }
    }

    private final double[] losses;

    Contestant(int steps) {
        losses = new double[steps];
        Arrays.fill(losses, Double.NaN);
    }

    abstract Kind kind();

    /** The implementation within its kind: the backend's name, {@code numpy}, {@code dl4j}, {@code pytorch}. */
    abstract String name();

    /** The thread setting, as printed: {@code 1}, {@code 2}, {@code default (2)}. */
    abstract String threads();

    /** Versions and engine, one line for the notes under the table. */
    abstract String describe();

    /**
     * Runs steps {@code from .. from+count-1} and records their losses.
     *
     * @return the milliseconds per step
     */
    abstract double run(int from, int count) throws IOException;

    /** Heap bytes allocated per step during the runs counted by {@link #countAllocation}; NaN if not measured. */
    double allocatedBytesPerStep() {
        return Double.NaN;
    }

    /** From now on, the contestant counts what its runs allocate (after the warm-up); a no-op where it cannot. */
    void countAllocation() {
    }

    /** The loss of each step run so far, by step index; NaN where a step was not run. */
    final double[] losses() {
        return losses;
    }

    final void recordLoss(int step, double loss) {
        losses[step] = loss;
    }

    /**
     * Predicts the first {@code images} samples in batches of {@code batch} with the current weights, counting
     * the predictions equal to the labels ({@link #correct}).
     *
     * @return the milliseconds for all of them; NaN where the contestant has no inference
     */
    double infer(int images, int batch) throws IOException {
        return Double.NaN;
    }

    /** The correct predictions of the last {@link #infer}; -1 if none. */
    int correct() {
        return -1;
    }

    /** The dtypes the step computed in, checked against the one asked for; empty where nothing can tell. */
    String computedDtypes() throws IOException {
        return "";
    }

    @Override
    public void close() throws IOException {
    }
}
