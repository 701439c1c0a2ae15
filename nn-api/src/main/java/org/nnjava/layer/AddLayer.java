package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * Elementwise addition {@code out = x + y}, the addition node of the book's chapter 5.4.2. Backward
 * passes the upstream gradient to both inputs unchanged: {@code dx = dout}, {@code dy = dout} (summed
 * back to {@code y}'s shape if {@code y} was broadcast). The gradients are copies, so a caller that
 * modifies one does not modify the other or {@code dout}.
 */
public final class AddLayer implements TwoInputLayer {

    private Tensor y;

    /** An addition layer; it has no parameters. */
    public AddLayer() {
        // nothing to set up: the fields above are initialised where they are declared
    }

    @Override
    public Tensor forward(Tensor x, Tensor y) {
        this.y = y;
        return x.add(y);
    }

    @Override
    public InputGradients backward(Tensor dout) {
        Cache.require(y, "AddLayer");
        return new InputGradients(dout.copy(), Broadcasting.sumTo(dout, y));
    }
}
