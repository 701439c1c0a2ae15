package org.nnjava.tensor;

/**
 * The two results of {@link Tensor#softmaxCrossEntropy}: the softmax probabilities and the summed
 * cross-entropy error, computed together.
 *
 * @param probabilities {@code softmax(x)} along the last axis, in {@code x}'s shape
 * @param loss {@code -Σ t · logSoftmax(x)} over every element where {@code t != 0}, summed over the rows
 */
public record SoftmaxCrossEntropy(Tensor probabilities, double loss) {
}
