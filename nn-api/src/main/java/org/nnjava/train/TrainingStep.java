package org.nnjava.train;

import java.util.Map;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * One iteration of the book's {@code train_neuralnet.py} (chapter 5.7.4), the one {@link Trainer} runs:
 * gather a minibatch ({@link Minibatches#next()}), compute the gradient by backpropagation
 * ({@link Network#gradient}), let the optimizer update the parameters, and return the minibatch's loss
 * after the update in inference mode ({@link Network#inferenceLoss}, the book's
 * {@code network.loss(x_batch, t_batch)}). It exists on its own so that a benchmark can time exactly the
 * step that training runs, not a copy of it; {@link #next(int[])} replays indices drawn elsewhere.
 *
 * <p>Each step runs in the step's own {@link StepArena}: the tensors it makes (the batch, every
 * activation and gradient, the optimizer's temporaries) come from memory recycled from the previous
 * step, so that a step allocates almost nothing once warmed up, and they stay valid until the next step
 * begins. Not thread-safe.
 */
public final class TrainingStep {

    private final Network network;
    private final Optimizer optimizer;
    private final Minibatches batches;
    private final StepArena arena;

    /**
     * A step training {@code network} with {@code optimizer} on the batches {@code batches} gathers.
     *
     * @param network the network whose parameters are updated
     * @param optimizer the update rule
     * @param batches the minibatches, gathered into tensors allocated once
     */
    public TrainingStep(Network network, Optimizer optimizer, Minibatches batches) {
        this(network, optimizer, batches, true);
    }

    /**
     * A step as {@link #TrainingStep(Network, Optimizer, Minibatches)}, with or without recycling: without,
     * every tensor of a step is new, as outside any arena (for comparing the two).
     *
     * @param network the network whose parameters are updated
     * @param optimizer the update rule
     * @param batches the minibatches
     * @param recycle whether to run each step in a {@link StepArena}
     */
    public TrainingStep(Network network, Optimizer optimizer, Minibatches batches, boolean recycle) {
        this.network = network;
        this.optimizer = optimizer;
        this.batches = batches;
        this.arena = recycle ? new StepArena() : null;
    }

    /**
     * Gathers the sampler's next batch, trains on it, and returns its loss after the update.
     *
     * @return the batch's loss after the update, in inference mode
     */
    public double next() {
        return next(batches.sampler().next());
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
        if (arena == null) {
            return train(rows);
        }
        arena.begin();
        try {
            return train(rows);
        } finally {
            arena.end();
        }
    }

    /**
     * The batches this step gathers from.
     *
     * @return the minibatches given at construction
     */
    public Minibatches batches() {
        return batches;
    }

    private double train(int[] rows) {
        batches.next(rows);
        Tensor xBatch = batches.xBatch();
        Tensor tBatch = batches.tBatch();
        Map<String, Tensor> grads = network.gradient(xBatch, tBatch);
        optimizer.update(network.params(), grads);
        return network.inferenceLoss(xBatch, tBatch);
    }
}
