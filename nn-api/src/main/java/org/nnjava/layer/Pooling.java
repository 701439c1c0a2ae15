package org.nnjava.layer;

import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Max pooling, the book's chapter 7.4.4 ({@code Pooling} in {@code common/layers.py}), through
 * {@link Tensor#im2col}: each {@code ph × pw} window of each channel gives its largest element.
 *
 * <p>Shapes: the input {@code [N, C, H, W]} gives {@code [N, C, OH, OW]} with
 * {@code OH = (H + 2·pad − ph) / stride + 1} rounded down. Forward: {@code col = im2col(x)} reshaped to
 * one window per row {@code [N·OH·OW·C, ph·pw]}, {@code argMax = argmax(col, 1)},
 * {@code out = max(col, 1)} reshaped to {@code [N, OH, OW, C]} and permuted to {@code [N, C, OH, OW]}.
 * Backward routes each gradient to its window's maximum: the book's
 * {@code dmax[np.arange(M), arg_max] = dout} is {@code argMax.oneHot(ph·pw) · dout} by rows, then
 * {@code dx = col2im(dmax)}.
 *
 * <p>Where this differs from the book: the book's {@code Pooling} pads its input but leaves the pad out
 * of its output size, so any {@code pad > 0} fails to reshape; here the output size includes the pad, and
 * the padded cells hold {@code −∞} rather than 0, so they never win (an all-negative window gives its
 * largest real element, not 0, and no gradient is lost in the padding). {@code pad} must be smaller than
 * each window side, so that every window holds a real cell. Ties: the first maximum in (row, column)
 * order within the window wins, as NumPy's {@code argmax}, and alone receives the gradient.
 */
public final class Pooling implements Layer {

    private final int ph;
    private final int pw;
    private final int stride;
    private final int pad;
    private Shape xShape;
    private Tensor argMax;

    /**
     * A max-pooling layer (the book's {@code Pooling(pool_h, pool_w, stride=1, pad=0)}).
     *
     * @param ph the window's height, {@code >= 1}
     * @param pw the window's width, {@code >= 1}
     * @param stride the step between windows, {@code >= 1}
     * @param pad the border of {@code −∞} on each side, {@code 0 <= pad < min(ph, pw)}
     * @throws IllegalArgumentException if a size is out of its range
     */
    public Pooling(int ph, int pw, int stride, int pad) {
        if (ph < 1 || pw < 1 || stride < 1 || pad < 0 || pad >= Math.min(ph, pw)) {
            throw new IllegalArgumentException("Pooling: window " + ph + "x" + pw + ", stride " + stride + ", pad " + pad
                    + ": the window needs sizes >= 1, the stride >= 1, and the pad >= 0 and smaller than each"
                    + " window side (else a window could hold only padding)");
        }
        this.ph = ph;
        this.pw = pw;
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor col = x.im2col(ph, pw, stride, pad); // checks x: [N, C, H, W], large enough
        if (pad > 0) { // padding never wins: where im2col of ones reads 0, the cell is padding
            Tensor padding = x.backend().ones(x.shape().dims()).im2col(ph, pw, stride, pad).eq(0.0);
            col = col.maskedFill(padding, Double.NEGATIVE_INFINITY);
        }
        col = col.reshape(-1, ph * pw);
        xShape = x.shape();
        int oh = (xShape.dim(2) + 2 * pad - ph) / stride + 1;
        int ow = (xShape.dim(3) + 2 * pad - pw) / stride + 1;
        argMax = col.argmax(1);
        Tensor out = col.max(1);
        return out.reshape(xShape.dim(0), oh, ow, xShape.dim(1)).permute(0, 3, 1, 2);
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(argMax, "Pooling");
        if (dout.rank() != 4 || dout.size() != argMax.size() || dout.shape().dim(1) != xShape.dim(1)) {
            throw new ShapeMismatchException("Pooling.backward: dout " + dout.shape() + " after an input " + xShape
                    + ": dout must have the forward output's shape [N, C, OH, OW]");
        }
        Tensor d = dout.permute(0, 2, 3, 1).reshape(-1, 1); // [N·OH·OW·C, 1], in argMax's order
        Tensor dmax = argMax.oneHot(ph * pw).mul(d);
        Tensor dcol = dmax.reshape(argMax.size() / xShape.dim(1), -1); // [N·OH·OW, C·ph·pw]
        return dcol.col2im(xShape, ph, pw, stride, pad);
    }
}
