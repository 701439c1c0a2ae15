package org.nnjava.batch;

import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Minibatches of a data set's inputs and labels: each {@link #next()} gathers the rows a
 * {@link MinibatchSampler} draws ({@link Tensor#gatherRows}, the book's {@code x_train[batch_mask]}),
 * so a training loop copies one batch per step and never the whole data set. Inside a training step
 * ({@link org.nnjava.tensor.StepArena}) the batches come from the step's recycled memory. Not thread-safe.
 *
 * <pre>{@code
 * Minibatches batches = new Minibatches(data.xTrain(), data.tTrain(),
 *         MinibatchSampler.withReplacement(data.trainSize(), 100, seed));
 * for (int i = 0; i < iterations; i++) {
 *     batches.next();
 *     network.gradient(batches.xBatch(), batches.tBatch());
 * }
 * }</pre>
 */
public final class Minibatches {

    private final Tensor x;
    private final Tensor t;
    private final MinibatchSampler sampler;
    private Tensor xBatch;
    private Tensor tBatch;
    private int[] rows = new int[0];

    /**
     * Batches of {@code x} and {@code t}, sample {@code i} being row {@code i} (axis 0) of each. The
     * batch tensors are created here, on {@code x}'s and {@code t}'s backends, and filled by {@link #next()}.
     *
     * @param x the inputs, {@code [N, ...]}; only read
     * @param t the labels, {@code [N, ...]}; only read
     * @param sampler draws the indices; {@code sampler.size()} must be {@code N}
     * @throws ShapeMismatchException if {@code x} or {@code t} is a scalar, or their first dimensions
     *     differ from each other or from {@code sampler.size()}
     */
    public Minibatches(Tensor x, Tensor t, MinibatchSampler sampler) {
        if (x.rank() == 0 || t.rank() == 0 || x.shape().dim(0) != sampler.size() || t.shape().dim(0) != sampler.size()) {
            throw new ShapeMismatchException("minibatches: inputs " + x.shape() + " and labels " + t.shape()
                    + " must both have the sampler's " + sampler.size() + " samples along axis 0");
        }
        this.x = x;
        this.t = t;
        this.sampler = sampler;
    }

    /**
     * Draws the next batch and gathers its rows into {@link #xBatch()} and {@link #tBatch()}; returns this.
     *
     * @return this
     */
    public Minibatches next() {
        return next(sampler.next());
    }

    /**
     * Gathers the given sample indices into {@link #xBatch()} and {@link #tBatch()}, as {@link #next()}
     * does with the indices its sampler draws (the sampler is not advanced): for replaying batches
     * drawn elsewhere, such as a benchmark that hands the same indices to another implementation.
     * {@link #rows()} then returns a copy of {@code rows}; the array itself is kept until the next call,
     * so the caller must not change it before then.
     *
     * @param rows the batch's sample indices, exactly {@code sampler().batchSize()} of them
     * @return this
     * @throws IllegalArgumentException if {@code rows} does not hold exactly the sampler's batch size of indices
     * @throws org.nnjava.tensor.TensorIndexException if an index is outside {@code 0..size-1}
     */
    public Minibatches next(int[] rows) {
        if (rows.length != sampler.batchSize()) {
            throw new IllegalArgumentException("minibatches: " + rows.length + " indices given for a batch of "
                    + sampler.batchSize() + ": give exactly one index per row of the batch");
        }
        xBatch = x.gatherRows(rows);
        tBatch = t.gatherRows(rows);
        this.rows = rows;
        return this;
    }

    /**
     * The inputs of the current batch, {@code [batchSize, ...]}, gathered by the last {@link #next()}.
     *
     * @return the batch of inputs
     * @throws IllegalStateException before the first {@link #next()}
     */
    public Tensor xBatch() {
        return gathered(xBatch);
    }

    /**
     * The labels of the current batch, {@code [batchSize, ...]}, gathered by the last {@link #next()}.
     *
     * @return the batch of labels
     * @throws IllegalStateException before the first {@link #next()}
     */
    public Tensor tBatch() {
        return gathered(tBatch);
    }

    /**
     * A copy of the current batch's sample indices (empty before the first {@link #next()}).
     *
     * @return a new array of the batch's indices
     */
    public int[] rows() {
        return rows.clone();
    }

    /**
     * The sampler that draws the indices.
     *
     * @return the sampler given at creation
     */
    public MinibatchSampler sampler() {
        return sampler;
    }

    private static Tensor gathered(Tensor batch) {
        if (batch == null) {
            throw new IllegalStateException("minibatches: no batch gathered yet; call next() first");
        }
        return batch;
    }
}
