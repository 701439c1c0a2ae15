package org.nnjava.train;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nnjava.data.MinibatchSampler;
import org.nnjava.data.Minibatches;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Minibatch training as the book's {@code train_neuralnet.py} (chapter 5.7.4): each iteration draws
 * {@code batchSize} sample indices uniformly with replacement (as {@code np.random.choice(train_size,
 * batch_size)}) by {@link MinibatchSampler#withReplacement}, computes the gradient by backpropagation and updates the
 * parameters. The loss recorded per iteration is the minibatch's after the update, in inference mode (as
 * the book's {@code network.loss(x_batch, t_batch)} with {@code train_flg=False}), so that it neither
 * draws new dropout masks nor moves batch normalisation's running statistics. Train and test accuracy
 * over the whole sets are measured after the first iteration, at every epoch boundary, and after the
 * last iteration. While it trains, the network reuses its layers' buffers ({@link Network#reuseBuffers}),
 * so that a step allocates nothing once warmed up; the previous setting is restored at the end.
 */
public final class Trainer {

    private final Network network;
    private final Optimizer optimizer;

    /** A trainer updating {@code network}'s parameters with {@code optimizer}. */
    public Trainer(Network network, Optimizer optimizer) {
        this.network = network;
        this.optimizer = optimizer;
    }

    /**
     * Trains on {@code (xTrain, tTrain)}, evaluating on both sets.
     *
     * @param xTrain inputs {@code [N, ...]}; {@code tTrain} labels {@code [N]} or {@code [N, C]}; same for test
     * @throws ShapeMismatchException if inputs and labels disagree on the number of samples
     */
    public TrainingResult train(Tensor xTrain, Tensor tTrain, Tensor xTest, Tensor tTest, TrainingConfig config,
            TrainingListener listener) {
        int trainSize = samples("train", xTrain, tTrain);
        samples("test", xTest, tTest);
        int perEpoch = config.iterationsPerEpoch(trainSize);
        listener.started(config, perEpoch);
        long start = System.nanoTime();
        Minibatches batches = new Minibatches(xTrain, tTrain,
                MinibatchSampler.withReplacement(trainSize, config.batchSize(), config.seed()));
        List<Double> losses = new ArrayList<>(config.iterations());
        List<EpochMetrics> epochs = new ArrayList<>();
        boolean reusing = network.reuseBuffers(true);
        try {
            for (int i = 0; i < config.iterations(); i++) {
                batches.next();
                Tensor xBatch = batches.xBatch();
                Tensor tBatch = batches.tBatch();
                Map<String, Tensor> grads = network.gradient(xBatch, tBatch);
                optimizer.update(network.params(), grads);
                double loss = network.inferenceLoss(xBatch, tBatch);
                losses.add(loss);
                listener.iteration(i + 1, loss);
                if (i % perEpoch == 0 || i == config.iterations() - 1) {
                    EpochMetrics m = new EpochMetrics((i + perEpoch - 1) / perEpoch, i + 1,
                            network.accuracy(xTrain, tTrain), network.accuracy(xTest, tTest));
                    epochs.add(m);
                    listener.evaluated(m);
                }
            }
        } finally {
            network.reuseBuffers(reusing);
        }
        TrainingResult result = new TrainingResult(losses, epochs, Duration.ofNanos(System.nanoTime() - start));
        listener.finished(result);
        return result;
    }

    private static int samples(String part, Tensor x, Tensor t) {
        if (x.rank() == 0 || t.rank() == 0 || x.shape().dim(0) != t.shape().dim(0) || x.shape().dim(0) == 0) {
            throw new ShapeMismatchException("train: " + part + " inputs " + x.shape() + " and labels " + t.shape()
                    + ": both need the same positive number of samples along axis 0");
        }
        return x.shape().dim(0);
    }
}
