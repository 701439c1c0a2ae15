package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The logistic function of the book's chapter 5.5.2 ({@code Sigmoid} in {@code common/layers.py}):
 * {@code y = 1 / (1 + exp(-x))}. Forward keeps {@code y}; backward is {@code dout * (1 - y) * y}.
 * Saturates to exactly 0 and 1 without overflow or NaN (see {@link org.nnjava.tensor.ReferenceOps#sigmoid}).
 */
public final class Sigmoid implements Layer {

    private Tensor out;

    /** A sigmoid layer; it has no parameters. */
    public Sigmoid() {
        // no state until the first forward
    }

    @Override
    public Tensor forward(Tensor x) {
        out = x.sigmoid();
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(out, "Sigmoid");
        return dout.mul(out.rsub(1.0)).mul(out);
    }
}
