package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The rectified linear unit of the book's chapter 5.5.1 ({@code Relu} in {@code common/layers.py}):
 * {@code out = x} where {@code x > 0}, else 0. Forward keeps the mask of {@code x <= 0}; backward
 * passes {@code dout} where {@code x > 0} and 0 elsewhere. The book zeroes {@code dout} in place,
 * which corrupts the caller's array; this layer returns a new tensor and never modifies its argument.
 */
public final class Relu implements Layer {

    private Tensor mask;

    /** A ReLU layer; it has no parameters. */
    public Relu() {
        // no state until the first forward
    }

    @Override
    public Tensor forward(Tensor x) {
        mask = x.le(0.0);
        return x.maskedFill(mask, 0.0);
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(mask, "Relu");
        return dout.maskedFill(mask, 0.0);
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
