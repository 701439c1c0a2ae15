package org.nnjava.internal;

import java.util.ArrayList;
import org.nnjava.spi.AbstractTensor;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.RecycledTensorException;
import org.nnjava.tensor.Shape;

/**
 * The mechanics behind {@link org.nnjava.tensor.StepArena}: the storage tensors one arena made, and
 * which of them the current step has taken. {@link AbstractTensor} asks the pool open on its thread
 * for the storage of each result it makes, and wraps it in a new tensor object carrying the step's
 * {@link Lease}; only those wrappers ever reach a caller, never the storage itself.
 *
 * <p>A step takes storages in the order the previous step made them, so a training step that repeats
 * itself finds each one at the cursor without searching, and allocates only its wrappers. What the
 * previous step made and this one did not take is dropped when the next step begins, so memory is
 * bounded by the two most recent steps. Not thread-safe: a pool is used by the thread that opened it.
 */
public final class ArenaPool {

    /** The pool open on each thread (an array, so that opening and closing never allocate a map entry). */
    private static final ThreadLocal<ArenaPool[]> OPEN = ThreadLocal.withInitial(() -> new ArenaPool[1]);

    /** Storages taken or made in the current step, in that order: next step's free list. */
    private ArrayList<AbstractTensor> used = new ArrayList<>();
    /** The previous step's storages, in the order it took them; {@code null} where this step took one. */
    private ArrayList<AbstractTensor> free = new ArrayList<>();
    private int cursor;
    private long step;
    private Lease lease;
    private Thread owner;

    /**
     * The pool open on the calling thread.
     *
     * @return the pool, or {@code null} outside a step
     */
    public static ArenaPool current() {
        return OPEN.get()[0];
    }

    /**
     * Runs {@code body} with no pool open on this thread, restoring the open one after.
     *
     * @param body what to run
     * @param <T> what it returns
     * @return what {@code body} returned
     */
    public static <T> T outside(java.util.function.Supplier<T> body) {
        ArenaPool[] open = OPEN.get();
        ArenaPool previous = open[0];
        open[0] = null;
        try {
            return body.get();
        } finally {
            open[0] = previous;
        }
    }

    /**
     * Begins a step on the calling thread: every tensor the previous step made is recycled (and each use
     * of one from now on throws {@link RecycledTensorException}), and the new step's tensors come from them.
     *
     * @throws IllegalStateException if a step of any pool is already open on this thread
     */
    public void begin() {
        ArenaPool[] open = OPEN.get();
        if (open[0] != null) {
            throw new IllegalStateException("StepArena.begin: a step is already open on this thread (step "
                    + open[0].step + "); end it first: steps do not nest");
        }
        if (lease != null) {
            lease.recycled = true;
        }
        ArrayList<AbstractTensor> recycled = used;
        used = free;
        used.clear();
        free = recycled;
        cursor = 0;
        step++;
        lease = new Lease(step);
        owner = Thread.currentThread();
        open[0] = this;
    }

    /**
     * Ends the step open on the calling thread. Its tensors stay valid until the next {@link #begin}.
     *
     * @throws IllegalStateException if this pool's step is not the one open on this thread
     */
    public void end() {
        ArenaPool[] open = OPEN.get();
        if (open[0] != this) {
            throw new IllegalStateException("StepArena.end: no step of this arena is open on this thread"
                    + (owner != null && owner != Thread.currentThread() ? " (it was begun on " + owner.getName() + ")" : "")
                    + "; call begin() first, on the same thread");
        }
        open[0] = null;
    }

    /**
     * The steps begun so far.
     *
     * @return 0 before the first {@link #begin}
     */
    public long steps() {
        return step;
    }

    /**
     * The lease of the current step, which every tensor handed out in it carries.
     *
     * @return the lease
     */
    public Lease lease() {
        return lease;
    }

    /**
     * A storage of the previous step with {@code backend} and {@code shape}, now taken by this step.
     *
     * @param backend the backend the storage must come from
     * @param shape its shape
     * @return the storage, or {@code null} if none is free: then make one and {@link #keep} it
     */
    public AbstractTensor take(Backend backend, Shape shape) {
        return scan(backend, shape, SAME, 0, 0);
    }

    /**
     * As {@link #take(Backend, Shape)}, for a 2-D {@code [rows, cols]} result (a matrix product), without
     * making a {@link Shape} for the request.
     *
     * @param backend the backend the storage must come from
     * @param rows the first dimension
     * @param cols the second dimension
     * @return the storage, or {@code null} if none is free
     */
    public AbstractTensor take(Backend backend, int rows, int cols) {
        return scan(backend, null, MATRIX, rows, cols);
    }

    /**
     * As {@link #take(Backend, Shape)}, for {@code source} without {@code axis} (a reduction), or with
     * {@code rows} in place of its first dimension when {@code axis} is -1 (a gather of rows).
     *
     * @param backend the backend the storage must come from
     * @param source the shape the result is derived from
     * @param axis the axis removed, or -1 to replace the first dimension by {@code rows}
     * @param rows the first dimension when {@code axis} is -1
     * @return the storage, or {@code null} if none is free
     */
    public AbstractTensor takeDerived(Backend backend, Shape source, int axis, int rows) {
        return axis < 0 ? scan(backend, source, ROWS, rows, 0) : scan(backend, source, REDUCED, axis, 0);
    }

    /**
     * Kinds of request: {@code like} itself; {@code like} with {@code a} rows; {@code like} without axis
     * {@code a}; an {@code [a, b]} matrix.
     */
    private static final int SAME = 0;
    private static final int ROWS = 1;
    private static final int REDUCED = 2;
    private static final int MATRIX = 3;

    /** The first free storage of {@code backend} from the cursor on (wrapping) that the request matches. */
    private AbstractTensor scan(Backend backend, Shape like, int kind, int a, int b) {
        int size = free.size();
        for (int pass = 0, i = cursor; pass < size; pass++, i = i + 1 == size ? 0 : i + 1) {
            AbstractTensor s = free.get(i);
            if (s != null && matches(s.shape(), like, kind, a, b) && fits(s, backend)) {
                return taken(i, s);
            }
        }
        return null;
    }

    private static boolean matches(Shape s, Shape like, int kind, int a, int b) {
        return switch (kind) {
            case SAME -> s.equals(like);
            case ROWS -> derived(s, like, -1, a);
            case REDUCED -> derived(s, like, a, 0);
            default -> s.rank() == 2 && s.dim(0) == a && s.dim(1) == b;
        };
    }

    /**
     * Records a storage made for this step, so that the next step can take it.
     *
     * @param storage a tensor that no caller holds, only wrappers of it
     */
    public void keep(AbstractTensor storage) {
        used.add(storage);
    }

    private AbstractTensor taken(int i, AbstractTensor s) {
        free.set(i, null);
        cursor = i + 1 == free.size() ? 0 : i + 1;
        used.add(s);
        return s;
    }

    private static boolean derived(Shape s, Shape source, int axis, int rows) {
        if (axis < 0) {
            if (s.rank() != source.rank() || s.dim(0) != rows) {
                return false;
            }
            for (int i = 1; i < source.rank(); i++) {
                if (s.dim(i) != source.dim(i)) {
                    return false;
                }
            }
            return true;
        }
        if (s.rank() != source.rank() - 1) {
            return false;
        }
        for (int i = 0, j = 0; i < source.rank(); i++) {
            if (i != axis && source.dim(i) != s.dim(j++)) {
                return false;
            }
        }
        return true;
    }

    private static boolean fits(AbstractTensor s, Backend backend) {
        Backend own = s.backend();
        return own == backend || (own.dtype() == backend.dtype() && own.name().equals(backend.name()));
    }

    /** What every tensor handed out in one step carries: whether that step's memory has been recycled. */
    public static final class Lease {

        private final long step;
        private boolean recycled;

        private Lease(long step) {
            this.step = step;
        }

        /**
         * Whether the step's tensors have been recycled.
         *
         * @return {@code true} once the next step has begun
         */
        public boolean recycled() {
            return recycled;
        }

        /**
         * The error for a use of a recycled tensor.
         *
         * @param operation the operation attempted
         * @param shape the tensor's shape
         * @return the exception to throw
         */
        public RecycledTensorException error(String operation, Shape shape) {
            return new RecycledTensorException(operation + ": this " + shape + " tensor was made during step " + step
                    + " of a StepArena, and its memory was recycled when step " + (step + 1) + " began. Copy a"
                    + " result that must outlive its step (tensor.copy(), which is never recycled) before the next"
                    + " step begins");
        }
    }
}
