package org.nnjava.layer;

import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.SoftmaxCrossEntropy;
import org.nnjava.tensor.Tensor;

/**
 * Softmax followed by the cross-entropy error, averaged over the batch (the book's chapter 5.6.3,
 * {@code SoftmaxWithLoss} in {@code common/layers.py}).
 *
 * <p>The loss is computed through log-softmax, {@code L = -(1/N) Σ_n Σ_k t_nk · logsoftmax(x_n)_k},
 * not as the book's {@code -Σ t·log(y + 1e-7)}: it is finite even where a predicted probability
 * underflows to 0, and it is exactly the function whose gradient {@code (y - t) / N} the backward
 * pass returns, so loss and gradient stay consistent (a numerical gradient of the loss matches it).
 *
 * <p>Shapes: {@code x} is one sample {@code [C]} ({@code N = 1}) or a batch {@code [N, C]}. Labels are
 * one-hot (or any distribution) in {@code x}'s shape, or class indices: {@code []} for one sample,
 * {@code [N]} for a batch. Backward returns {@code dout · (y - t) / N} in {@code x}'s shape.
 *
 * <p>The forward pass is one fused {@link Tensor#softmaxCrossEntropy} (a backend may run it as a single
 * pass per row), the book's {@code softmax} and {@code cross_entropy_error} together.
 */
public final class SoftmaxWithLoss implements LossLayer {

    private Tensor y;
    private Tensor t;
    private int batchSize;

    /** A softmax-with-cross-entropy loss layer; it has no parameters. */
    public SoftmaxWithLoss() {
        // no state until the first forward
    }

    @Override
    public double forward(Tensor x, Tensor labels) {
        if (x.rank() != 1 && x.rank() != 2) {
            throw new ShapeMismatchException("SoftmaxWithLoss.forward: x " + x.shape()
                    + ": x must be one sample [C] or a batch [N, C]");
        }
        t = oneHot(x, labels);
        batchSize = x.rank() == 1 ? 1 : x.shape().dim(0);
        SoftmaxCrossEntropy result = x.softmaxCrossEntropy(t); // y = softmax(x); loss = cross_entropy_error(y, t)
        y = result.probabilities();
        return result.loss() / batchSize;
    }

    @Override
    public Tensor backward(double dout) {
        Cache.require(y, "SoftmaxWithLoss");
        return y.sub(t).mul(dout / batchSize); // (y - t) / batch_size, times dout
    }

    /**
     * The softmax probabilities of the last forward (the book's {@code self.y}).
     *
     * @return the probabilities, of the last scores' shape
     */
    public Tensor probabilities() {
        return Cache.require(y, "SoftmaxWithLoss");
    }

    /** Labels as a distribution in {@code x}'s shape: one-hot labels as they are, indices expanded. */
    private static Tensor oneHot(Tensor x, Tensor labels) {
        if (labels.shape().equals(x.shape())) {
            return labels;
        }
        int classes = x.shape().dim(-1);
        int samples = x.rank() == 1 ? 1 : x.shape().dim(0);
        boolean indices = x.rank() == 1 ? labels.rank() == 0 || labels.shape().dims().length == 1 && labels.size() == 1
                : labels.rank() == 1 && labels.size() == samples;
        if (!indices) {
            throw new ShapeMismatchException("SoftmaxWithLoss.forward: x " + x.shape() + ", t " + labels.shape()
                    + ": t must be one-hot in x's shape or class indices " + (x.rank() == 1 ? "[]" : "[" + samples + "]"));
        }
        double[] index = labels.toDoubleArray();
        double[] hot = new double[samples * classes];
        for (int n = 0; n < samples; n++) {
            int k = (int) index[n];
            if (k != index[n] || k < 0 || k >= classes) {
                throw new IllegalArgumentException("SoftmaxWithLoss.forward: label " + index[n] + " at position " + n
                        + " is not a class index: use whole numbers 0.." + (classes - 1));
            }
            hot[n * classes + k] = 1.0;
        }
        return x.backend().fromArray(hot, x.shape().dims());
    }
}
