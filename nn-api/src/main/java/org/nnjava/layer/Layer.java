package org.nnjava.layer;

import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * A layer with one input that knows its forward and backward pass, as the layers of chapter 5 of
 * <i>Deep Learning from Scratch</i>. Implement this for a layer of your own: keep what
 * {@link #backward} needs in fields during {@link #forward}, and expose trainable parameters and
 * their gradients by name so that optimizers and gradient checks find them.
 *
 * <p>Contract: {@code backward} follows the last {@code forward}; it returns {@code dL/dx} in the
 * shape of that forward's input, fills {@link #grads()} with {@code dL/dparam}, and never modifies
 * its {@code dout} argument.
 */
public interface Layer {

    /**
     * The output for input {@code x}; caches what the backward pass needs.
     *
     * @param x the input, of a shape the layer accepts (e.g. {@code [N, in]} for {@link Affine})
     * @return the output: a new tensor (inside a training step, from its recycled memory; see
     *     {@link org.nnjava.tensor.StepArena})
     */
    Tensor forward(Tensor x);

    /**
     * The gradient of the loss with respect to the last forward's input, given the gradient
     * {@code dout} with respect to its output; also computes the parameter gradients.
     *
     * @param dout the gradient with respect to the output, of the output's shape; never modified
     * @return the gradient with respect to the input, of the input's shape
     * @throws IllegalStateException if called before any forward
     */
    Tensor backward(Tensor dout);

    /**
     * The backward pass when nothing consumes {@code dL/dx} (the first layer of a network): fills
     * {@link #grads()} and may skip computing the input gradient. The default runs {@link #backward}
     * and drops its result; {@link Affine} skips its {@code dout·Wᵀ}, a third of a training step.
     *
     * @param dout the gradient with respect to the output, of the output's shape; never modified
     * @throws IllegalStateException if called before any forward
     */
    default void backwardParameters(Tensor dout) {
        backward(dout);
    }

    /**
     * Trainable parameters by name (e.g. {@code W}, {@code b}); the live tensors, not copies. Empty by default.
     *
     * @return an unmodifiable map of the live parameters; an optimizer updates them in place
     */
    default Map<String, Tensor> params() {
        return Map.of();
    }

    /**
     * State that is not trained by gradients but belongs in a checkpoint (batch normalisation's running
     * mean and variance), by name; the live tensors. Empty by default.
     *
     * @return an unmodifiable map of the live buffers
     */
    default Map<String, Tensor> buffers() {
        return Map.of();
    }

    /**
     * The gradients of the last backward, by the same names as {@link #params()}. Empty by default.
     *
     * @return the gradients, each of its parameter's shape; empty before the first backward
     */
    default Map<String, Tensor> grads() {
        return Map.of();
    }
}
