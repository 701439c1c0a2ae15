package org.nnjava.train;

/**
 * How to train: the number of iterations (or epochs), the minibatch size, the learning rate and the
 * seed of the minibatch draws. The book's {@code train_neuralnet.py} is
 * {@code new TrainingConfig(10_000, 100, 0.1, seed)}.
 *
 * @param iterations the number of parameter updates
 * @param batchSize samples per minibatch
 * @param learningRate SGD's step size
 * @param seed seeds the minibatch draws
 */
public record TrainingConfig(int iterations, int batchSize, double learningRate, long seed) {

    /**
     * A configuration of the given values.
     *
     * @param iterations the number of parameter updates, at least 1
     * @param batchSize samples per minibatch, at least 1
     * @param learningRate the optimizer's step size, positive and finite
     * @param seed seeds the minibatch draws
     * @throws IllegalArgumentException if a value breaks its rule
     */
    public TrainingConfig {
        if (iterations <= 0) {
            throw new IllegalArgumentException("iterations " + iterations + " must be positive");
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size " + batchSize + " must be positive");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate " + learningRate + " must be a positive number");
        }
    }

    /**
     * Iterations per epoch for a training set of {@code trainSize} samples: {@code ceil(trainSize / batchSize)},
     * a whole number, so that an evaluation falls on every epoch boundary even when the set is not a
     * multiple of the batch (the book's float {@code train_size / batch_size} skips some).
     *
     * @param trainSize the number of training samples
     * @return the iterations per epoch, at least 1
     */
    public int iterationsPerEpoch(int trainSize) {
        return Math.max(1, (trainSize + batchSize - 1) / batchSize);
    }

    /**
     * The configuration running {@code epochs} epochs over {@code trainSize} samples.
     *
     * @param epochs the number of epochs, at least 1
     * @param trainSize the number of training samples
     * @param batchSize samples per minibatch, at least 1
     * @param learningRate the optimizer's step size, positive and finite
     * @param seed seeds the minibatch draws
     * @return a configuration of {@code epochs * iterationsPerEpoch(trainSize)} iterations
     * @throws IllegalArgumentException if a value breaks its rule
     */
    public static TrainingConfig ofEpochs(int epochs, int trainSize, int batchSize, double learningRate, long seed) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs " + epochs + " must be positive");
        }
        int perEpoch = Math.max(1, (trainSize + batchSize - 1) / batchSize);
        return new TrainingConfig(Math.multiplyExact(epochs, perEpoch), batchSize, learningRate, seed);
    }
}
