package org.nnjava.layer;

import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;

/**
 * The tensors a layer writes its results into, reused from one pass to the next when buffer reuse is
 * on, so that a training step allocates nothing once the shapes have settled.
 *
 * <p>With reuse off (the default) every request returns a new tensor: a layer's outputs and gradients
 * stay valid for as long as the caller holds them, as the book's NumPy layers behave. With reuse on,
 * a {@link Buffer} hands back the same tensor while the requested backend and shape stay the same, so a
 * layer's output, input gradient and parameter gradients are overwritten by its next pass; copy a
 * result to keep it. {@link org.nnjava.net.Network#reuseBuffers} switches the layers of a network, and
 * {@link org.nnjava.train.Trainer} does so while it trains.
 */
public final class Workspace {

    private boolean reuse;

    /** A workspace with no buffers yet, reuse off. */
    public Workspace() {
        // no buffers until a layer asks for one; reuse starts off
    }

    /**
     * Turns reuse on ({@code true}) or off. Turning it off drops nothing: the next requests allocate.
     *
     * @param reuse whether buffers hand back the tensor they hold
     */
    public void setReuse(boolean reuse) {
        this.reuse = reuse;
    }

    /**
     * Whether buffers are reused.
     *
     * @return the last value given to {@link #setReuse(boolean)}
     */
    public boolean isReuse() {
        return reuse;
    }

    /**
     * A new buffer of this workspace, holding nothing yet.
     *
     * @return a new buffer
     */
    public Buffer buffer() {
        return new Buffer();
    }

    /** One reusable tensor: a layer keeps one per result it writes (its output, {@code dx}, {@code dW}, ...). */
    public final class Buffer {

        private Tensor tensor;

        private Buffer() {
        }

        /**
         * A {@code [rows, cols]} tensor of {@code backend}: the held one when reuse is on and it fits, else a new one.
         *
         * @param backend the backend (and dtype) of the tensor
         * @param rows the first dimension
         * @param cols the second dimension
         * @return the held tensor or a new zero-filled one, which this buffer then holds
         */
        public Tensor get(Backend backend, int rows, int cols) {
            Tensor held = tensor;
            if (reuse && held != null && held.rank() == 2 && held.shape().dim(0) == rows && held.shape().dim(1) == cols
                    && sameBackend(held, backend)) {
                return held;
            }
            return keep(backend.zeros(rows, cols));
        }

        /**
         * A tensor of {@code like}'s backend, dtype and shape: the held one when reuse is on and it fits, else a new one.
         *
         * @param like a tensor whose backend, dtype and shape the result takes; only read
         * @return the held tensor or a new zero-filled one, which this buffer then holds
         */
        public Tensor like(Tensor like) {
            Tensor held = tensor;
            if (reuse && held != null && held.shape().equals(like.shape()) && sameBackend(held, like.backend())) {
                return held;
            }
            return keep(like.backend().zeros(like.shape().dims()));
        }

        private Tensor keep(Tensor fresh) {
            if (reuse) {
                tensor = fresh;
            } else {
                tensor = null; // hold nothing that the caller now owns
            }
            return fresh;
        }

        private boolean sameBackend(Tensor held, Backend backend) {
            Backend own = held.backend();
            return own == backend || (own.dtype() == backend.dtype() && own.name().equals(backend.name()));
        }
    }
}
