package org.nnjava.train;

/**
 * How long and on what batches to train: the number of iterations (or epochs), the minibatch size and
 * the seed of the minibatch draws. The learning rate is the optimizer's, not the run's. The book's
 * {@code train_neuralnet.py} is {@code new TrainingConfig(10_000, 100, seed)} with {@code new Sgd(0.1)}.
 *
 * @param iterations the number of parameter updates
 * @param batchSize samples per minibatch
 * @param seed seeds the minibatch draws
 */
public record TrainingConfig(int iterations, int batchSize, long seed) {

    /**
     * A configuration of the given values.
     *
     * @param iterations the number of parameter updates, at least 1
     * @param batchSize samples per minibatch, at least 1
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
    }

    /**
     * Iterations per epoch for a training set of {@code trainSize} samples: {@code ceil(trainSize / batchSize)},
     * a whole number, so that an evaluation falls on every epoch boundary even when the set is not a
     * multiple of the batch (the book's float {@code train_size / batch_size} skips some). The one
     * definition of an epoch in the library: the trainers evaluate by it and {@link #ofEpochs} counts by it.
     *
     * @param trainSize the number of training samples
     * @return the iterations per epoch, at least 1
     */
    public int iterationsPerEpoch(int trainSize) {
        return Math.max(1, (trainSize + batchSize - 1) / batchSize);
    }

    /**
     * The configuration running {@code epochs} epochs of {@link #iterationsPerEpoch} over {@code trainSize}
     * samples.
     *
     * @param epochs the number of epochs, at least 1
     * @param trainSize the number of training samples
     * @param batchSize samples per minibatch, at least 1
     * @param seed seeds the minibatch draws
     * @return a configuration of {@code epochs * iterationsPerEpoch(trainSize)} iterations
     * @throws IllegalArgumentException if a value breaks its rule
     */
    public static TrainingConfig ofEpochs(int epochs, int trainSize, int batchSize, long seed) {
        if (epochs <= 0) {
            throw new IllegalArgumentException("epochs " + epochs + " must be positive");
        }
        int perEpoch = new TrainingConfig(1, batchSize, seed).iterationsPerEpoch(trainSize);
        return new TrainingConfig(Math.multiplyExact(epochs, perEpoch), batchSize, seed);
    }

    /**
     * Whether the trainers evaluate after {@code done} iterations of a run that ends after {@code end}:
     * after the first iteration, at every epoch boundary, and after the last.
     *
     * @param done iterations done so far (1 after the first)
     * @param end the iteration count the run ends at
     * @param iterationsPerEpoch {@link #iterationsPerEpoch} of the training set
     * @return whether an evaluation falls after iteration {@code done}
     */
    public static boolean evaluatesAfter(int done, int end, int iterationsPerEpoch) {
        return (done - 1) % iterationsPerEpoch == 0 || done == end;
    }

    /**
     * The epoch an evaluation after {@code done} iterations belongs to: 0 after the first iteration, then
     * {@code k} for the {@code k}-th epoch boundary (and the epoch in progress at the end).
     *
     * @param done iterations done so far (1 after the first)
     * @param iterationsPerEpoch {@link #iterationsPerEpoch} of the training set
     * @return the epoch number
     */
    public static int epochAfter(int done, int iterationsPerEpoch) {
        return (done - 1 + iterationsPerEpoch - 1) / iterationsPerEpoch;
    }
}
