package org.nnjava.tensor;

/**
 * The two results of {@link Tensor#maxPool}: each window's largest element and where it was, as the
 * book's {@code Pooling.forward} keeps {@code out} and {@code arg_max} ({@code common/layers.py}).
 *
 * @param max the window maxima, {@code [N, C, OH, OW]}
 * @param argMax in the same shape, the position of each window's maximum within its input plane,
 *     {@code row · W + column} of the unpadded {@code [H, W]} plane of the same {@code (n, c)}; what
 *     {@link Tensor#maxPoolBackward} takes
 */
public record MaxPool(Tensor max, Tensor argMax) {
}
