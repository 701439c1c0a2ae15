package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The rectified linear unit of the book's chapter 5.5.1: {@code out = x} where {@code x > 0}, else 0.
 * Forward caches the mask of {@code x <= 0}; backward passes {@code dout} where {@code x > 0} and 0
 * elsewhere, into a new tensor (the book zeroes {@code dout} in place, which corrupts the caller's
 * array; this layer never modifies its argument). With buffer reuse on ({@link BufferReuse}) the mask,
 * the output and {@code dx} live in buffers this layer owns and overwrites on its next pass.
 */
public final class Relu implements Layer, BufferReuse {

    private final Workspace workspace = new Workspace();
    private final Workspace.Buffer maskBuffer = workspace.buffer();
    private final Workspace.Buffer out = workspace.buffer();
    private final Workspace.Buffer dx = workspace.buffer();
    private Tensor mask;

    /** A ReLU layer; it has no parameters. */
    public Relu() {
        // nothing to set up: the fields above are initialised where they are declared
    }

    @Override
    public void reuseBuffers(boolean reuse) {
        workspace.setReuse(reuse);
    }

    @Override
    public Tensor forward(Tensor x) {
        mask = x.le(0.0, maskBuffer.like(x));
        return x.maskedFill(mask, 0.0, out.like(x));
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(mask, "Relu");
        return dout.maskedFill(mask, 0.0, dx.like(dout));
    }

    /**
     * The mask of the last forward: 1 where {@code x <= 0}, else 0 (the book's {@code self.mask}).
     *
     * @return the mask, of the last input's shape
     */
    public Tensor mask() {
        return Cache.require(mask, "Relu");
    }
}
