package org.nnjava.train;

import java.util.Map;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.Tensor;

/**
 * One iteration of the book's {@code train_neuralnet.py} (chapter 5.7.4), the one {@link Trainer} runs:
 * gather a minibatch ({@link Minibatches#next()}), compute the gradient by backpropagation
 * ({@link Network#gradient}), let the optimizer update the parameters, and return the minibatch's loss
 * after the update in inference mode ({@link Network#inferenceLoss}, the book's
 * {@code network.loss(x_batch, t_batch)}). It exists on its own so that a benchmark can time exactly the
 * step that training runs, not a copy of it; {@link #next(int[])} replays indices drawn elsewhere.
 *
 * <p>The step does not switch buffer reuse on or off: {@link Trainer} turns it on for the run
 * ({@link Network#reuseBuffers}), and a caller that wants an allocation-free step does the same.
 * Not thread-safe.
 */
public final class TrainingStep {

    private final Network network;
    private final Optimizer optimizer;
    private final Minibatches batches;

    /**
     * A step training {@code network} with {@code optimizer} on the batches {@code batches} gathers.
     *
     * @param network the network whose parameters are updated
     * @param optimizer the update rule
     * @param batches the minibatches, gathered into tensors allocated once
     */
    public TrainingStep(Network network, Optimizer optimizer, Minibatches batches) {
        this.network = network;
        this.optimizer = optimizer;
        this.batches = batches;
    }

    /**
     * Gathers the sampler's next batch, trains on it, and returns its loss after the update.
     *
     * @return the batch's loss after the update, in inference mode
     */
    public double next() {
        batches.next();
        return train();
    }

    /**
     * Gathers the batch of the given sample indices (see {@link Minibatches#next(int[])}), trains on it,
     * and returns its loss after the update.
     *
     * @param rows the batch's sample indices
     * @return the batch's loss after the update, in inference mode
     * @throws IllegalArgumentException if {@code rows} is not one batch of indices
     */
    public double next(int[] rows) {
        batches.next(rows);
        return train();
    }

    /**
     * The batches this step gathers from.
     *
     * @return the minibatches given at construction
     */
    public Minibatches batches() {
        return batches;
    }

    private double train() {
        Tensor xBatch = batches.xBatch();
        Tensor tBatch = batches.tBatch();
        Map<String, Tensor> grads = network.gradient(xBatch, tBatch);
        optimizer.update(network.params(), grads);
        return network.inferenceLoss(xBatch, tBatch);
    }
}
