package org.nnjava.layer;

import java.util.Map;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * The fully connected layer of the book's chapter 5.6: {@code out = x·W + b}.
 *
 * <p>Shapes: {@code W} is {@code [in, out]}, {@code b} is {@code [out]}. The input is one sample
 * {@code [in]} (giving {@code [out]}) or a batch {@code [N, ...]} whose axes after the first are
 * flattened to {@code in} (giving {@code [N, out]}), as for images {@code [N, 1, 28, 28]}.
 * Backward: {@code dx = dout·Wᵀ} in the input's original shape, {@code dW = xᵀ·dout},
 * {@code db = Σ dout} over the batch. Parameters and gradients are named {@code W} and {@code b}.
 *
 * <p>With buffer reuse on ({@link BufferReuse}), the output, {@code dx}, {@code dW} and {@code db} are
 * written into buffers this layer owns: a 2-D batch then passes through forward and backward without
 * allocating.
 */
public final class Affine implements Layer, BufferReuse {

    private final Tensor w;
    private final Tensor b;
    private final Map<String, Tensor> params;
    private final Workspace workspace = new Workspace();
    private final Workspace.Buffer out = workspace.buffer();
    private final Workspace.Buffer dx = workspace.buffer();
    private final Workspace.Buffer dWBuffer = workspace.buffer();
    private final Workspace.Buffer dbBuffer = workspace.buffer();
    private Tensor x;
    private Shape inputShape;
    private Tensor dW;
    private Tensor db;
    private Map<String, Tensor> grads = Map.of();

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
    public void reuseBuffers(boolean reuse) {
        workspace.setReuse(reuse);
    }

    @Override
    public Tensor forward(Tensor input) {
        int in = w.shape().dim(0);
        inputShape = input.shape();
        boolean single = input.rank() == 1;
        if (input.rank() == 0 || (single ? input.size() : input.size() / Math.max(1, input.shape().dim(0))) != in
                || (!single && input.shape().dim(0) == 0)) {
            throw new ShapeMismatchException("Affine.forward: x " + input.shape() + " with W " + w.shape()
                    + ": x must be [" + in + "] or [N, ...] with " + in + " elements per sample");
        }
        // A [N, in] batch is used as it is; other shapes through a [N, in] view.
        x = input.rank() == 2 ? input : single ? input.reshape(1, in) : input.reshape(input.shape().dim(0), in);
        int outputs = w.shape().dim(1);
        Tensor y = x.matmul(w, false, false, out.get(x.backend(), x.shape().dim(0), outputs)).addInPlace(b);
        return single ? y.reshape(outputs) : y;
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor d = parameterGradients(dout);
        Tensor g = d.matmul(w, false, true, dx.get(d.backend(), d.shape().dim(0), w.shape().dim(0)));
        return inputShape.rank() == 2 ? g : g.reshape(inputShape.dims());
    }

    /** Computes {@code dW} and {@code db} only: no {@code dx}, which the first layer's caller never uses. */
    @Override
    public void backwardParameters(Tensor dout) {
        parameterGradients(dout);
    }

    /** {@code dW = xᵀ·dout}, {@code db = Σ dout}; returns {@code dout} as {@code [N, out]}. */
    private Tensor parameterGradients(Tensor dout) {
        Cache.require(x, "Affine");
        int rows = x.shape().dim(0);
        int outputs = w.shape().dim(1);
        boolean fits = dout.rank() == 2 && dout.shape().dim(0) == rows && dout.shape().dim(1) == outputs;
        Tensor d = fits ? dout : dout.reshape(rows, outputs);
        dW = x.matmul(d, true, false, dWBuffer.like(w));
        db = d.sum(0, dbBuffer.like(b));
        grads = NamedPair.reuse(grads, "W", dW, "b", db);
        return d;
    }

    /** {@code W} and {@code b}, the live tensors (an unmodifiable map). */
    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    /** {@code dW} and {@code db} of the last backward (an unmodifiable map; empty before any backward). */
    @Override
    public Map<String, Tensor> grads() {
        return grads;
    }
}
