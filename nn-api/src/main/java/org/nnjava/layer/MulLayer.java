package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * Elementwise multiplication {@code out = x * y}, the multiplication node of the book's chapter 5.4.1.
 * Backward swaps the inputs: {@code dx = dout * y}, {@code dy = dout * x}. Works on scalars (rank-0 or
 * one-element tensors) and on tensors of any shape, with {@code y} in any form that
 * {@link Tensor#mul(Tensor)} broadcasts; the gradient of a broadcast {@code y} is summed back to its shape.
 */
public final class MulLayer implements TwoInputLayer {

    private Tensor x;
    private Tensor y;

    /** A multiplication layer; it has no parameters. */
    public MulLayer() {
        // nothing to set up: the fields above are initialised where they are declared
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        this.x = x;
        this.y = y;
        return x.mul(y);
    }

    @Override
    public InputGradients backward(Tensor dout) {
        Cache.require(x, "MulLayer");
        Tensor dx = dout.mul(y);
        Tensor dy = Broadcasting.sumTo(dout.mul(x), y);
        return new InputGradients(dx, dy);
    }
}
