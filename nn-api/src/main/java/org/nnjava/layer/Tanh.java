package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The hyperbolic tangent, computed as {@code y = 2·sigmoid(2x) − 1} (saturating to exactly ±1 without
 * overflow). Forward caches {@code y}; backward is {@code dout·(1 − y²)}.
 */
public final class Tanh implements Layer {

    private Tensor out;

    /** A tanh layer; it has no parameters. */
    public Tanh() {
        // nothing to set up: the fields above are initialised where they are declared
    }

    @Override
    public Tensor forward(Tensor x) {
        out = x.mul(2.0).sigmoid().mulInPlace(2.0).addInPlace(-1.0);
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor y = Cache.require(out, "Tanh");
        return dout.mul(y.mul(y).rsub(1.0));
    }
}
