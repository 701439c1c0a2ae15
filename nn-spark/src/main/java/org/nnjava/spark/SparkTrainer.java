package org.nnjava.spark;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.EpochMetrics;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingDivergedException;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;

/**
 * Data-parallel training of any of the library's networks on Apache Spark, in one of two ways:
 *
 * <ul>
 *   <li>{@link SyncMode#GRADIENTS} (synchronous gradient averaging): at each iteration the driver
 *       broadcasts the network's state; each of the P partitions draws its b samples from its shard and
 *       computes the loss and gradients with the backend its executor has; the gradients, weighted by the
 *       sample counts, are summed with {@code treeAggregate}; the driver applies the optimizer, so every
 *       optimizer and its state work unchanged. Without batch normalisation and dropout this is exactly
 *       single-process training on the union of the shares (batch P·b); batch normalisation normalises
 *       each share with its own statistics, and its running statistics are averaged over the partitions.</li>
 *   <li>{@link SyncMode#PARAMS} (local steps, then parameter averaging, as DL4J's parameter averaging):
 *       each partition runs {@code localSteps} iterations with its own copy of the optimizer from the
 *       broadcast state, then the parameters, buffers and optimizer state are averaged. Fewer Spark jobs
 *       per iteration, at the price of a different (and for a small K similar) trajectory.</li>
 * </ul>
 * Tensors never travel: states and gradients cross the wire as {@code double[]}. The loss recorded per
 * iteration is the global minibatch's, from the same forward pass as the gradients (before the update).
 * Train accuracy is counted on the executors over their shards; test accuracy on the driver.
 */
public final class SparkTrainer {

    private final JavaSparkContext spark;
    private final SparkJob job;
    private final JavaRDD<Integer> partitions;
    private final int trainSize;

    /**
     * A trainer of {@code job} on {@code spark}: one RDD element per partition, each standing for the
     * executor-side shard ({@link Worker}) that it reads once and keeps.
     *
     * @param spark the context the jobs run in
     * @param job what each executor rebuilds
     * @param trainSize the number of training samples (as the driver's copy of the data set has them)
     */
    public SparkTrainer(JavaSparkContext spark, SparkJob job, int trainSize) {
        this.spark = spark;
        this.job = job;
        this.trainSize = trainSize;
        List<Integer> ids = IntStream.range(0, job.partitions()).boxed().toList();
        this.partitions = spark.parallelize(new ArrayList<>(ids), job.partitions());
    }

    /**
     * Runs {@code config.iterations()} more iterations after {@code before} on {@code network} with
     * {@code optimizer} (both on the driver), evaluating at every epoch boundary as {@link
     * org.nnjava.train.Trainer} does.
     *
     * @param network the driver's network, whose parameters are updated
     * @param optimizer the update rule, applied on the driver (or averaged, in {@link SyncMode#PARAMS})
     * @param config how many more iterations; its batch size and seed are the job's
     * @param before the earlier runs' result ({@link TrainingResult#none()} for a new run)
     * @param xTest the test inputs in the shape the network takes ({@link org.nnjava.net.NetworkSpec#asInput}),
     *     evaluated on the driver
     * @param tTest the test labels
     * @param listener told of every iteration and evaluation
     * @return the whole run: {@code before}'s losses and evaluations, then this run's
     * @throws TrainingDivergedException if a loss is not finite
     */
    public TrainingResult train(Network network, Optimizer optimizer, TrainingConfig config, TrainingResult before,
            Tensor xTest, Tensor tTest, TrainingListener listener) {
        int perEpoch = config.iterationsPerEpoch(trainSize);
        int done = before.iterations();
        int end = Math.addExact(done, config.iterations());
        listener.started(config, perEpoch, done);
        long start = System.nanoTime();
        List<Double> losses = new ArrayList<>(before.losses());
        List<EpochMetrics> epochs = new ArrayList<>(before.epochs());
        Backend backend = network.params().values().iterator().next().backend();
        int i = done;
        while (i < end) {
            int steps = job.mode() == SyncMode.GRADIENTS ? 1 : Math.min(job.localSteps(), end - i);
            double[] stepLosses = job.mode() == SyncMode.GRADIENTS ? gradientStep(network, optimizer, backend, i)
                    : averageStep(network, optimizer, backend, i, steps);
            for (double loss : stepLosses) {
                if (!Double.isFinite(loss)) {
                    throw new TrainingDivergedException(i + 1, loss, optimizer.learningRate());
                }
                losses.add(loss);
                listener.iteration(++i, loss);
                if (TrainingConfig.evaluatesAfter(i, end, perEpoch)) {
                    EpochMetrics m = new EpochMetrics(TrainingConfig.epochAfter(i, perEpoch), i, trainAccuracy(network),
                            network.accuracy(xTest, tTest));
                    epochs.add(m);
                    listener.evaluated(m);
                    listener.progress(result(losses, epochs, before, start));
                }
            }
        }
        TrainingResult result = result(losses, epochs, before, start);
        listener.finished(result);
        return result;
    }

    private static TrainingResult result(List<Double> losses, List<EpochMetrics> epochs, TrainingResult before,
            long start) {
        return new TrainingResult(losses, epochs, before.elapsed().plus(Duration.ofNanos(System.nanoTime() - start)));
    }

    private double[] gradientStep(Network network, Optimizer optimizer, Backend backend, long iteration) {
        Broadcast<NamedArrays> state = spark.broadcast(NamedArrays.of(network.state()));
        SparkJob job = this.job;
        Contribution total;
        try {
            total = partitions.treeAggregate(new Contribution(),
                    (acc, p) -> acc.merge(Worker.of(job, p).gradient(state.value(), iteration)), Contribution::merge);
        } finally {
            state.destroy();
        }
        if (total.partitions != job.partitions()) {
            throw new IllegalStateException("spark: " + total.partitions + " partitions answered, not " + job.partitions());
        }
        total.buffers.scale(1.0 / total.partitions).assignTo(network.state());
        Map<String, Tensor> grads = total.sums.scale(1.0 / total.samples).toTensors(backend);
        optimizer.update(network.params(), new LinkedHashMap<>(grads));
        return new double[] {total.lossSums[0] / total.samples};
    }

    private double[] averageStep(Network network, Optimizer optimizer, Backend backend, long iteration, int steps) {
        Broadcast<NamedArrays> state = spark.broadcast(NamedArrays.of(network.state()));
        Broadcast<NamedArrays> optimizerState = spark.broadcast(NamedArrays.of(optimizer.state()));
        SparkJob job = this.job;
        Contribution total;
        try {
            total = partitions.treeAggregate(new Contribution(), (acc, p) -> acc.merge(Worker.of(job, p)
                    .localSteps(state.value(), optimizerState.value(), iteration, steps)), Contribution::merge);
        } finally {
            state.destroy();
            optimizerState.destroy();
        }
        double share = 1.0 / total.partitions;
        total.sums.scale(share).assignTo(network.params());
        total.buffers.scale(share).assignTo(network.state());
        optimizer.loadState(total.optimizerState.scale(share).toTensors(backend), network.params());
        double[] losses = new double[steps];
        for (int s = 0; s < steps; s++) {
            losses[s] = total.lossSums[s] / total.samples;
        }
        return losses;
    }

    private double trainAccuracy(Network network) {
        Broadcast<NamedArrays> state = spark.broadcast(NamedArrays.of(network.state()));
        SparkJob job = this.job;
        try {
            long correct = partitions.map(p -> Worker.of(job, p).correct(state.value())).reduce(Long::sum);
            return (double) correct / trainSize;
        } finally {
            state.destroy();
        }
    }
}
