package org.nnjava.layer;

import org.nnjava.tensor.MaxPool;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Max pooling, the book's chapter 7.4.4 ({@code Pooling} in {@code common/layers.py}): each
 * {@code ph × pw} window of each channel gives its largest element.
 *
 * <p>Shapes: the input {@code [N, C, H, W]} gives {@code [N, C, OH, OW]} with
 * {@code OH = (H + 2·pad − ph) / stride + 1} rounded down. The book's forward is im2col, a reshape to one
 * window per row, {@code arg_max = np.argmax(col, axis=1)} and {@code out = np.max(col, axis=1)}, then a
 * transpose back; here {@link Tensor#maxPool} computes the same {@code out} and {@code arg_max} in one
 * pass over the input, without the column matrix. Backward routes each gradient to its window's maximum,
 * the book's {@code dmax[np.arange(M), arg_max] = dout} followed by col2im, which
 * {@link Tensor#maxPoolBackward} does as one scatter: a cell that is the maximum of several windows
 * (stride smaller than the window) sums their gradients, as col2im does.
 *
 * <p>Where this differs from the book: the book's {@code Pooling} pads its input but leaves the pad out
 * of its output size, so any {@code pad > 0} fails to reshape; here the output size includes the pad, and
 * the padded cells never win, as if they held {@code −∞} rather than 0 (an all-negative window gives its
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
        MaxPool pooled = x.maxPool(ph, pw, stride, pad); // checks x: [N, C, H, W], large enough
        xShape = x.shape();
        argMax = pooled.argMax();
        return pooled.max();
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(argMax, "Pooling");
        if (!dout.shape().equals(argMax.shape())) {
            throw new ShapeMismatchException("Pooling.backward: dout " + dout.shape() + " after an input " + xShape
                    + ": dout must have the forward output's shape [N, C, OH, OW] = " + argMax.shape());
        }
        return dout.maxPoolBackward(argMax, xShape);
    }
}
