package org.nnjava.conformance;

import java.util.function.Supplier;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * Runs an operation on recycled storage holding stale NaNs, for the kit's suites and a backend's own
 * tests: every kernel must overwrite every element of its output, since inside a training step the
 * output is storage a previous step used.
 */
public final class StaleStorage {

    private StaleStorage() {
    }

    /**
     * {@code op}'s result when it is made on recycled storage holding stale NaNs: {@code op} runs in the
     * second step of a new {@link StepArena} whose first step left NaN in storage of {@code shape}, the
     * result's shape, so the result comes from that storage and its kernel must overwrite every element
     * (a kernel that accumulated into its output, or skipped an empty sum, would let NaN leak in). The
     * operands must be made outside the arena. The result stays valid: the arena never begins again.
     *
     * @param be the backend of the operation
     * @param shape the shape of {@code op}'s result
     * @param op the operation, making its result inside the step
     * @return the result
     */
    public static Tensor onStaleStorage(Backend be, int[] shape, Supplier<Tensor> op) {
        StepArena arena = new StepArena();
        arena.begin();
        try {
            be.full(Double.NaN, shape);
        } finally {
            arena.end();
        }
        arena.begin();
        try {
            return op.get();
        } finally {
            arena.end();
        }
    }
}
