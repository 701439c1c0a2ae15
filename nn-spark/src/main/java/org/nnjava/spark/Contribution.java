package org.nnjava.spark;

import java.io.Serializable;

/**
 * What partitions send back to the driver, summed by {@code treeAggregate}: for gradient averaging, each
 * gradient times its partition's sample count; for parameter averaging, each partition's parameters and
 * optimizer state (weight 1); in both, the buffers (batch normalisation's running statistics), the loss
 * times the sample count, and the counts to divide by.
 */
final class Contribution implements Serializable {

    private static final long serialVersionUID = 1L;

    final NamedArrays sums = new NamedArrays();
    final NamedArrays buffers = new NamedArrays();
    final NamedArrays optimizerState = new NamedArrays();
    double[] lossSums = new double[0];
    long samples;
    int partitions;

    /** Adds {@code other} into this; returns this (treeAggregate lets the first argument be reused). */
    Contribution merge(Contribution other) {
        sums.addScaled(other.sums, 1);
        buffers.addScaled(other.buffers, 1);
        optimizerState.addScaled(other.optimizerState, 1);
        if (lossSums.length < other.lossSums.length) {
            lossSums = java.util.Arrays.copyOf(lossSums, other.lossSums.length);
        }
        for (int i = 0; i < other.lossSums.length; i++) {
            lossSums[i] += other.lossSums[i];
        }
        samples += other.samples;
        partitions += other.partitions;
        return this;
    }
}
