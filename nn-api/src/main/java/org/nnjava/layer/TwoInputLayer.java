package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * A node of a computational graph with two inputs, as {@link MulLayer} and {@link AddLayer} in the
 * book's apple-shopping example (chapter 5.4). {@code backward} returns both input gradients.
 */
public interface TwoInputLayer {

    /**
     * The output for inputs {@code x} and {@code y}; caches what the backward pass needs.
     *
     * @param x the first input
     * @param y the second input, of a shape the layer accepts with {@code x}
     * @return the output: a new tensor
     */
    Tensor forward(Tensor x, Tensor y);

    /**
     * The gradients with respect to {@code x} and {@code y}; never modifies {@code dout}.
     *
     * @param dout the gradient with respect to the output, of its shape
     * @return the gradients with respect to {@code x} and {@code y}, of their shapes
     */
    InputGradients backward(Tensor dout);
}
