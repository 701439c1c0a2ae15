/**
 * Minibatches: which rows of a data set each step trains on ({@link org.nnjava.batch.MinibatchSampler},
 * with or without replacement, seeded and resumable) and the two preallocated tensors they are gathered
 * into ({@link org.nnjava.batch.Minibatches}). Works on any tensors, whatever loaded them; the data sets
 * themselves (IDX, MNIST, the embedded sample) are the nn-data module's {@code org.nnjava.data}.
 */
package org.nnjava.batch;
