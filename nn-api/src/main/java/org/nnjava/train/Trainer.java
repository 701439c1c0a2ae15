package org.nnjava.train;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Minibatch training as the book's {@code train_neuralnet.py} (chapter 5.7.4): each iteration draws
 * {@code batchSize} sample indices uniformly with replacement (as {@code np.random.choice(train_size,
 * batch_size)}) by {@link MinibatchSampler#withReplacement}, computes the gradient by backpropagation and updates the
 * parameters: one {@link TrainingStep} per iteration. The loss recorded per iteration is the minibatch's
 * after the update, in inference mode (as
 * the book's {@code network.loss(x_batch, t_batch)} with {@code train_flg=False}), so that it neither
 * draws new dropout masks nor moves batch normalisation's running statistics. Train and test accuracy
 * over the whole sets are measured after the first iteration, at every epoch boundary, and after the
 * last iteration. Each step runs in a {@link org.nnjava.tensor.StepArena} ({@link TrainingStep}), so
 * that a step allocates almost nothing once warmed up.
 *
 * <p>Resuming: {@link #train(Tensor, Tensor, Tensor, Tensor, TrainingConfig, TrainingResult, TrainingListener)}
 * continues a run whose network, optimizer and dropout generators were restored from a checkpoint: the
 * minibatch sampler skips the batches the earlier iterations drew, iteration numbers and epochs carry
 * on, and the result holds the whole run. {@code K} iterations, then {@code N - K} resumed, give the
 * same parameters bit for bit as {@code N} in one run.
 *
 * <p>Divergence: a loss that is not finite stops training with a {@link TrainingDivergedException}; a
 * loss above {@value #GROWTH_WARNING} times the run's first is reported once to the listener as a warning.
 */
public final class Trainer {

    /** How many times the first iteration's loss a loss may reach before the listener is warned. */
    static final double GROWTH_WARNING = 10;

    private final Network network;
    private final Optimizer optimizer;
    private volatile boolean stopRequested;

    /**
     * A trainer updating {@code network}'s parameters with {@code optimizer}.
     *
     * @param network the network to train; its parameters are updated in place
     * @param optimizer the update rule; its state advances with each step
     */
    public Trainer(Network network, Optimizer optimizer) {
        this.network = network;
        this.optimizer = optimizer;
    }

    /**
     * Asks a running {@link #train} to stop after the iteration in progress (from another thread, such
     * as a shutdown hook); the run then evaluates, reports {@link TrainingListener#progress} and returns
     * a result marked {@link TrainingResult#stopped()}.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Trains on {@code (xTrain, tTrain)} from the first iteration, evaluating on both sets.
     *
     * @param xTrain the training inputs, {@code [N, ...]}; only read
     * @param tTrain the training labels, class indices {@code [N]} or one-hot {@code [N, C]}; only read
     * @param xTest the test inputs, {@code [M, ...]}; only read
     * @param tTest the test labels, {@code [M]} or {@code [M, C]}; only read
     * @param config the iterations, batch size, seed and evaluation schedule
     * @param listener told of every iteration and evaluation
     * @return the losses and evaluations of the run
     * @throws ShapeMismatchException if inputs and labels disagree on the number of samples
     * @throws TrainingDivergedException if a loss is not finite
     */
    public TrainingResult train(Tensor xTrain, Tensor tTrain, Tensor xTest, Tensor tTest, TrainingConfig config,
            TrainingListener listener) {
        return train(xTrain, tTrain, xTest, tTest, config, TrainingResult.none(), listener);
    }

    /**
     * Runs {@code config.iterations()} more iterations after {@code before}, the result of the earlier
     * runs (as a checkpoint holds it), with the same data, batch size and seed as they used.
     *
     * @param xTrain the training inputs, {@code [N, ...]}; only read
     * @param tTrain the training labels, class indices {@code [N]} or one-hot {@code [N, C]}; only read
     * @param xTest the test inputs, {@code [M, ...]}; only read
     * @param tTest the test labels, {@code [M]} or {@code [M, C]}; only read
     * @param config the iterations to add, batch size, seed and evaluation schedule
     * @param before the earlier runs' result, {@link TrainingResult#none()} for a fresh start
     * @param listener told of every iteration and evaluation
     * @return the whole run: {@code before}'s losses and evaluations followed by this run's
     * @throws ShapeMismatchException if inputs and labels disagree on the number of samples
     * @throws TrainingDivergedException if a loss is not finite
     */
    public TrainingResult train(Tensor xTrain, Tensor tTrain, Tensor xTest, Tensor tTest, TrainingConfig config,
            TrainingResult before, TrainingListener listener) {
        int trainSize = samples("train", xTrain, tTrain);
        samples("test", xTest, tTest);
        int perEpoch = config.iterationsPerEpoch(trainSize);
        int done = before.iterations();
        int end = Math.addExact(done, config.iterations());
        listener.started(config, perEpoch, done);
        long start = System.nanoTime();
        MinibatchSampler sampler = MinibatchSampler.withReplacement(trainSize, config.batchSize(), config.seed());
        sampler.skip(done);
        TrainingStep step = new TrainingStep(network, optimizer, new Minibatches(xTrain, tTrain, sampler));
        List<Double> losses = new ArrayList<>(end);
        losses.addAll(before.losses());
        List<EpochMetrics> epochs = new ArrayList<>(before.epochs());
        double firstLoss = losses.isEmpty() ? Double.NaN : losses.get(0);
        boolean warned = false;
        boolean stopped = false;
        for (int i = done; i < end; i++) {
            double loss = step.next();
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(i + 1, loss, optimizer.learningRate());
            }
            losses.add(loss);
            firstLoss = i == 0 ? loss : firstLoss;
            if (!warned && loss > GROWTH_WARNING * firstLoss) {
                warned = true;
                listener.warning(growthWarning(i + 1, loss, firstLoss));
            }
            listener.iteration(i + 1, loss);
            stopped = stopRequested && i < end - 1;
            if (TrainingConfig.evaluatesAfter(i + 1, end, perEpoch) || stopped) {
                EpochMetrics m = new EpochMetrics(TrainingConfig.epochAfter(i + 1, perEpoch), i + 1,
                        network.accuracy(xTrain, tTrain), network.accuracy(xTest, tTest));
                epochs.add(m);
                listener.evaluated(m);
                listener.progress(result(losses, epochs, before, start, stopped));
            }
            if (stopped) {
                break;
            }
        }
        TrainingResult result = result(losses, epochs, before, start, stopped);
        listener.finished(result);
        return result;
    }

    private static TrainingResult result(List<Double> losses, List<EpochMetrics> epochs, TrainingResult before,
            long start, boolean stopped) {
        return new TrainingResult(losses, epochs, before.elapsed().plus(Duration.ofNanos(System.nanoTime() - start)),
                stopped);
    }

    private String growthWarning(int iteration, double loss, double firstLoss) {
        double rate = optimizer.learningRate();
        return String.format(java.util.Locale.ROOT, "the loss at iteration %d (%.6g) is more than %.0f times the first"
                + " iteration's (%.6g): training is diverging; a smaller learning rate%s should help", iteration, loss,
                GROWTH_WARNING, firstLoss, Double.isNaN(rate) ? "" : " than " + rate);
    }

    private static int samples(String part, Tensor x, Tensor t) {
        if (x.rank() == 0 || t.rank() == 0 || x.shape().dim(0) != t.shape().dim(0) || x.shape().dim(0) == 0) {
            throw new ShapeMismatchException("train: " + part + " inputs " + x.shape() + " and labels " + t.shape()
                    + ": both need the same positive number of samples along axis 0");
        }
        return x.shape().dim(0);
    }
}
