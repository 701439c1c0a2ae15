package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * The last layer of a network: takes the labels with the input, returns the loss, and starts the
 * backward pass.
 */
public interface LossLayer {

    /**
     * The loss of input {@code x} against labels {@code t}; caches what the backward pass needs.
     *
     * @param x the scores, {@code [classes]} for one sample or {@code [batch, classes]}
     * @param t the labels: one-hot in {@code x}'s shape, or class indices ({@code []} or {@code [batch]})
     * @return the mean loss over the batch
     */
    double forward(Tensor x, Tensor t);

    /**
     * {@code dL/dx} for the last forward, scaled by the upstream gradient {@code dout} of the loss.
     *
     * @param dout the upstream gradient of the loss (1 at the end of a network)
     * @return {@code dL/dx}, of the last forward's {@code x} shape
     */
    Tensor backward(double dout);

    /**
     * {@code dL/dx} for the last forward, with {@code dout = 1}.
     *
     * @return {@code dL/dx}, of the last forward's {@code x} shape
     */
    default Tensor backward() {
        return backward(1.0);
    }
}
