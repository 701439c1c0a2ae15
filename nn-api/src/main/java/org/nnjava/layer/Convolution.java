package org.nnjava.layer;

import java.util.Map;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * The convolution layer of the book's chapter 7.4.3 ({@code Convolution} in {@code common/layers.py}),
 * through {@link Tensor#im2col}: {@code out[n, f] = Σ_c W[f, c] ⋆ x[n, c] + b[f]} (cross-correlation,
 * as the book).
 *
 * <p>Shapes: {@code W} is {@code [FN, C, FH, FW]}, {@code b} is {@code [FN]}, the input {@code [N, C, H, W]},
 * the output {@code [N, FN, OH, OW]} with {@code OH = (H + 2·pad − FH) / stride + 1} rounded down
 * ({@link Tensor#im2col}). Forward: {@code col = im2col(x)}, {@code out = col·colW + b} with
 * {@code colW = W.reshape(FN, −1)ᵀ} (a transpose flag of the product, not a copy), reshaped to
 * {@code [N, OH, OW, FN]} and permuted to {@code [N, FN, OH, OW]}. Backward: {@code dout} permuted back
 * to {@code [N·OH·OW, FN]}, {@code db = Σ dout}, {@code dW = (colᵀ·dout)ᵀ} in W's shape,
 * {@code dcol = dout·colWᵀ}, {@code dx = col2im(dcol)}. Parameters and gradients are named {@code W}
 * and {@code b}.
 */
public final class Convolution implements Layer {

    private final Tensor w;
    private final Tensor b;
    private final int stride;
    private final int pad;
    private final Map<String, Tensor> params;
    private Shape xShape;
    private Tensor col;
    private Tensor dW;
    private Tensor db;

    /**
     * A layer over the given live parameter tensors (updated in place by optimizers).
     *
     * @param w the filters {@code W}, {@code [FN, C, FH, FW]}; kept
     * @param b the biases {@code b}, {@code [FN]}; kept
     * @param stride the step between windows, {@code >= 1} (1 in the book)
     * @param pad the zero border on each side, {@code >= 0} (0 in the book)
     * @throws ShapeMismatchException unless {@code W} is 4-D and {@code b} is {@code [FN]}
     * @throws IllegalArgumentException if {@code stride < 1} or {@code pad < 0}
     */
    public Convolution(Tensor w, Tensor b, int stride, int pad) {
        if (w.rank() != 4 || b.rank() != 1 || b.shape().dim(0) != w.shape().dim(0)) {
            throw new ShapeMismatchException("Convolution: W " + w.shape() + ", b " + b.shape()
                    + ": W must be [FN, C, FH, FW] and b [FN]");
        }
        if (stride < 1 || pad < 0) {
            throw new IllegalArgumentException("Convolution: stride " + stride + ", pad " + pad
                    + ": the stride must be >= 1 and the pad >= 0");
        }
        this.w = w;
        this.b = b;
        this.stride = stride;
        this.pad = pad;
        this.params = NamedPair.of("W", w, "b", b);
    }

    @Override
    public Tensor forward(Tensor x) {
        Shape ws = w.shape();
        if (x.rank() != 4 || x.shape().dim(1) != ws.dim(1)) {
            throw new ShapeMismatchException("Convolution.forward: x " + x.shape() + " with W " + ws
                    + ": x must be [N, " + ws.dim(1) + ", H, W], as many channels as the filters have");
        }
        int fn = ws.dim(0);
        col = x.im2col(ws.dim(2), ws.dim(3), stride, pad);
        xShape = x.shape();
        int oh = (xShape.dim(2) + 2 * pad - ws.dim(2)) / stride + 1; // as im2col, which has checked them
        int ow = (xShape.dim(3) + 2 * pad - ws.dim(3)) / stride + 1;
        Tensor out = col.matmul(w.reshape(fn, -1), false, true).add(b); // col · colW + b
        return out.reshape(xShape.dim(0), oh, ow, fn).permute(0, 3, 1, 2);
    }

    @Override
    public Tensor backward(Tensor dout) {
        Tensor d = parameterGradients(dout);
        Shape ws = w.shape();
        Tensor dcol = d.matmul(w.reshape(ws.dim(0), -1)); // dout · colWᵀ
        return dcol.col2im(xShape, ws.dim(2), ws.dim(3), stride, pad);
    }

    /** Computes {@code dW} and {@code db} only: no {@code dx}, which the first layer's caller never uses. */
    @Override
    public void backwardParameters(Tensor dout) {
        parameterGradients(dout);
    }

    /** {@code db = Σ dout}, {@code dW = (colᵀ·dout)ᵀ = doutᵀ·col}; returns {@code dout} as {@code [N·OH·OW, FN]}. */
    private Tensor parameterGradients(Tensor dout) {
        Cache.require(col, "Convolution");
        int fn = w.shape().dim(0);
        if (dout.rank() != 4 || dout.shape().dim(0) != xShape.dim(0) || dout.shape().dim(1) != fn
                || (long) dout.size() * col.shape().dim(1) != col.size() * (long) fn) {
            throw new ShapeMismatchException("Convolution.backward: dout " + dout.shape() + " after an input "
                    + xShape + ": dout must have the forward output's shape [N, FN, OH, OW]");
        }
        Tensor d = dout.permute(0, 2, 3, 1).reshape(-1, fn);
        db = d.sum(0);
        dW = d.matmul(col, true, false).reshape(w.shape().dims());
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
        return dW == null ? Map.of() : NamedPair.of("W", dW, "b", db);
    }
}
