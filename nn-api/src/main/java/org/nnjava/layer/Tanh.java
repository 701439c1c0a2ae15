package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The hyperbolic tangent, computed as {@code y = 2·sigmoid(2x) − 1} (saturating to exactly ±1 without
 * overflow). Forward keeps {@code y}; backward is {@code dout·(1 − y²)}.
 */
public final class Tanh implements Layer {

    private Tensor out;

    /** A tanh layer; it has no parameters. */
    public Tanh() {
        // no state until the first forward
    }

    @Override
    public Tensor forward(Tensor x) {
        out = x.mul(2.0).sigmoid().mul(2.0).sub(1.0);
        return out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(out, "Tanh");
        return dout.mul(out.mul(out).rsub(1.0));
    }
}
