package org.nnjava.tensor;

import java.util.function.Supplier;
import org.nnjava.internal.ArenaPool;

/**
 * Memory reuse for training steps, arranged in one place instead of in every layer (as ND4J's
 * workspaces and DJL's {@code NDManager} do it). Between {@link #begin()} and {@link #end()} on a
 * thread, every tensor made on that thread, by an operation or by a {@link Backend} factory, comes
 * from storage the arena recycles from its previous step; a step that repeats the previous one's
 * shapes (a training loop) then allocates only small tensor objects, not their elements.
 *
 * <p>Lifetimes: a tensor made during step k stays valid after {@link #end()}, until step k + 1 begins;
 * from then on every use of it throws {@link RecycledTensorException}, whose message says to copy it:
 * such a tensor is never silently overwritten. {@link Tensor#copy()} and {@link Backend#copyOf} are
 * never recycled: they are how a result is kept. Tensors made outside a step, such as parameters,
 * optimizer state, running statistics and data sets, are never recycled either; code that must make a
 * long-lived tensor during a step (an optimizer's state on its first update) makes it inside
 * {@link #outside}.
 *
 * <p>{@link org.nnjava.train.TrainingStep} (and so {@link org.nnjava.train.Trainer}) runs each step in an
 * arena; use one directly only for a training loop of your own:
 * <pre>{@code
 * StepArena arena = new StepArena();
 * for (...) {
 *     arena.begin();
 *     try {
 *         optimizer.update(network.params(), network.gradient(x, t));
 *     } finally {
 *         arena.end();
 *     }
 * }
 * }</pre>
 * An arena belongs to one thread at a time, and steps do not nest.
 */
public final class StepArena {

    private final ArenaPool pool = new ArenaPool();

    /** An arena with no storage yet; its first step allocates what later steps reuse. */
    public StepArena() {
        // storage is made by the first step
    }

    /**
     * Begins a step on the calling thread, recycling the tensors of the previous step.
     *
     * @throws IllegalStateException if a step (of this or another arena) is already open on this thread
     */
    public void begin() {
        pool.begin();
    }

    /**
     * Ends the step open on the calling thread; its tensors stay valid until the next {@link #begin()}.
     *
     * @throws IllegalStateException if this arena has no step open on this thread
     */
    public void end() {
        pool.end();
    }

    /**
     * The number of steps begun.
     *
     * @return 0 before the first {@link #begin()}
     */
    public long steps() {
        return pool.steps();
    }

    /**
     * Runs {@code make} as if no step were open on this thread, so that the tensors it makes are never
     * recycled: for state created lazily during a step, such as an optimizer's moments.
     *
     * @param make what makes the long-lived tensors
     * @param <T> what it returns
     * @return what {@code make} returned
     */
    public static <T> T outside(Supplier<T> make) {
        return ArenaPool.outside(make);
    }

    /**
     * Whether a step is open on the calling thread.
     *
     * @return {@code true} between {@link #begin()} and {@link #end()} of some arena on this thread
     */
    public static boolean isStepOpen() {
        return ArenaPool.current() != null;
    }
}
