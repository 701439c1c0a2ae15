package org.nnjava.layer;

import java.util.Map;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * The fully connected layer of the book's chapter 5.6 ({@code Affine} in {@code common/layers.py}):
 * {@code out = x·W + b}.
 *
 * <p>Shapes: {@code W} is {@code [in, out]}, {@code b} is {@code [out]}. The input is one sample
 * {@code [in]} (giving {@code [out]}) or a batch {@code [N, ...]} whose axes after the first are
 * flattened to {@code in} (giving {@code [N, out]}), as for images {@code [N, 1, 28, 28]}.
 * Backward: {@code dx = dout·Wᵀ} in the input's original shape, {@code dW = xᵀ·dout},
 * {@code db = Σ dout} over the batch. Parameters and gradients are named {@code W} and {@code b}.
 */
public final class Affine implements Layer {

    private final Tensor w;
    private final Tensor b;
    private final Map<String, Tensor> params;
    private Tensor x;
    private Shape originalShape;
    private Tensor dW;
    private Tensor db;

    /**
     * A layer over the given live parameter tensors (updated in place by optimizers).
     *
     * @param w the weights {@code W}, {@code [in, out]}; kept, updated in place by optimizers
     * @param b the biases {@code b}, {@code [out]}; kept, updated in place by optimizers
     * @throws ShapeMismatchException unless {@code W} is 2-D and {@code b} is {@code [W's columns]}
     */
    public Affine(Tensor w, Tensor b) {
        if (w.rank() != 2 || b.rank() != 1 || b.shape().dim(0) != w.shape().dim(1)) {
            throw new ShapeMismatchException("Affine: W " + w.shape() + ", b " + b.shape()
                    + ": W must be [in, out] and b [out]");
        }
        this.w = w;
        this.b = b;
        this.params = NamedPair.of("W", w, "b", b);
    }

    @Override
    public Tensor forward(Tensor input) {
        originalShape = input.shape();
        x = flattened(input);
        Tensor out = x.matmul(w).add(b);
        return input.rank() == 1 ? out.reshape(w.shape().dim(1)) : out;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor d = parameterGradients(dout);
        Tensor dx = d.matmul(w, false, true); // dout · Wᵀ, without copying W
        return originalShape.rank() == 2 ? dx : dx.reshape(originalShape.dims());
    }

    /** Computes {@code dW} and {@code db} only: no {@code dx}, which the first layer's caller never uses. */
    @Override
    public void backwardParameters(Tensor dout) {
        parameterGradients(dout);
    }

    /** {@code dW = xᵀ·dout}, {@code db = Σ dout}; returns {@code dout} as {@code [N, out]}. */
    private Tensor parameterGradients(Tensor dout) {
        Cache.require(x, "Affine");
        Tensor d = dout.rank() == 2 ? dout : dout.reshape(x.shape().dim(0), w.shape().dim(1));
        dW = x.matmul(d, true, false); // xᵀ · dout, without copying x
        db = d.sum(0);
        return d;
    }

    /** The input as {@code [N, in]}: a batch as it is, one sample or higher ranks through a view. */
    private Tensor flattened(Tensor input) {
        int in = w.shape().dim(0);
        boolean single = input.rank() == 1;
        if (input.rank() == 0 || (single ? input.size() : input.size() / Math.max(1, input.shape().dim(0))) != in
                || (!single && input.shape().dim(0) == 0)) {
            throw new ShapeMismatchException("Affine.forward: x " + input.shape() + " with W " + w.shape()
                    + ": x must be [" + in + "] or [N, ...] with " + in + " elements per sample");
        }
        return input.rank() == 2 ? input : input.reshape(single ? 1 : input.shape().dim(0), in);
    }

    /** {@code W} and {@code b}, the live tensors (an unmodifiable map). */
    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    /** {@code dW} and {@code db} of the last backward (an unmodifiable map; empty before any backward). */
    @Override
    public Map<String, Tensor> grads() {
        return dW == null ? Map.of() : NamedPair.of("W", dW, "b", db);
    }
}
