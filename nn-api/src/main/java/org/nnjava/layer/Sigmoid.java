package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The logistic function of the book's chapter 5.5.2: {@code y = 1 / (1 + exp(-x))}. Forward caches
 * {@code y}; backward is {@code dout * (1 - y) * y}. Saturates to exactly 0 and 1 without overflow or
 * NaN (see {@link org.nnjava.tensor.ReferenceOps#sigmoid}). With buffer reuse on ({@link BufferReuse})
 * {@code y} and {@code dx} live in buffers this layer owns and overwrites on its next pass.
 */
public final class Sigmoid implements Layer, BufferReuse {

    private final Workspace workspace = new Workspace();
    private final Workspace.Buffer y = workspace.buffer();
    private final Workspace.Buffer dx = workspace.buffer();
    private Tensor out;

    /** A sigmoid layer; it has no parameters. */
    public Sigmoid() {
        // nothing to set up: the fields above are initialised where they are declared
    }

    @Override
    public void reuseBuffers(boolean reuse) {
        workspace.setReuse(reuse);
    }

    @Override
    public Tensor forward(Tensor x) {
        out = x.sigmoid(y.like(x));
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor cached = Cache.require(out, "Sigmoid");
        Tensor g = cached.rsub(1.0, dx.like(cached)); // 1 - y
        return dout.mul(g, g).mulInPlace(cached); // dout * (1 - y) * y, in the book's order
    }
}
