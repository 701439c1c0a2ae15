package org.nnjava.train;

import org.nnjava.tensor.DType;

/**
 * What a training run was trained on and with, besides the network and the optimizer: a checkpoint
 * records it so that a resumed run draws the same minibatches from the same data, and refuses options
 * that would break that.
 *
 * @param dataset the data set's name ({@code mnist-sample}, {@code mnist}, ...)
 * @param trainSize the number of training samples (the minibatch sampler draws from {@code 0..trainSize-1})
 * @param dtype the tensors' dtype
 * @param batchSize samples per minibatch
 * @param seed the seed of the minibatch draws
 */
public record TrainingSetup(String dataset, int trainSize, DType dtype, int batchSize, long seed) {

    /**
     * A setup of the given values.
     *
     * @param dataset the data set's name, not blank
     * @param trainSize the number of training samples, at least 1
     * @param dtype the tensors' dtype, not null
     * @param batchSize samples per minibatch, at least 1
     * @param seed the seed of the minibatch draws
     * @throws IllegalArgumentException if a size is below 1 or a name is missing
     */
    public TrainingSetup {
        if (dataset == null || dataset.isBlank() || dtype == null) {
            throw new IllegalArgumentException("training setup: the data set's name and the dtype must be given");
        }
        if (trainSize < 1 || batchSize < 1) {
            throw new IllegalArgumentException("training setup: train size " + trainSize + " and batch size "
                    + batchSize + " must both be at least 1");
        }
    }
}
