package org.nnjava.benchmarks.bench;

import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.TrainingStep;

/**
 * The library's own training step on one backend: {@link TrainingStep}, the class {@code Trainer} runs
 * each iteration (gather through {@link Minibatches}, {@code Network.gradient}, the optimizer's update,
 * the loss after it in inference mode), on the book's TwoLayerNet from the benchmark's seed with SGD,
 * each step in its own step arena as the Trainer runs it. The indices come from {@link BenchData#rows()}.
 */
final class JavaContestant extends Contestant {

    private final Backend backend;
    private final String threads;
    private final TrainingStep step;
    private final int[][] rows;
    private final BenchMemory memory;
    private boolean counting;
    private long allocated;
    private long countedSteps;

    JavaContestant(Backend backend, String threads, BenchData data, BenchMemory memory) {
        super(data.rows().length);
        this.backend = backend;
        this.threads = threads;
        this.rows = data.rows();
        this.memory = memory;
        Tensor x = backend.fromArray(data.x(), data.samples(), data.inputs());
        Tensor t = backend.fromArray(data.t(), data.samples(), data.classes());
        TwoLayerNet network = new TwoLayerNet(backend, data.inputs(), data.hidden(), data.classes(), data.seed());
        data.checkInitialWeights(backend.name(), backend.dtype(), network.params());
        MinibatchSampler sampler = MinibatchSampler.withReplacement(data.samples(), data.batch(), data.seed());
        this.step = new TrainingStep(network, new Sgd(data.learningRate()), new Minibatches(x, t, sampler));
    }

    @Override
    Kind kind() {
        return Kind.NNJAVA;
    }

    @Override
    String name() {
        return backend.name();
    }

    @Override
    String threads() {
        return threads;
    }

    @Override
    String describe() {
        return backend.name() + ": nnjava's TrainingStep on " + backend.name() + " " + backend.dtype().label();
    }

    @Override
    double run(int from, int count) {
        long bytes = counting ? memory.allocatedBytesAllThreads() : 0;
        long start = System.nanoTime();
        for (int k = from; k < from + count; k++) {
            recordLoss(k, step.next(rows[k]));
        }
        long nanos = System.nanoTime() - start;
        if (counting) {
            allocated += memory.allocatedBytesAllThreads() - bytes;
            countedSteps += count;
        }
        return nanos / 1e6 / count;
    }

    @Override
    void countAllocation() {
        counting = memory.allocationCounted();
    }

    @Override
    double allocatedBytesPerStep() {
        return countedSteps == 0 ? Double.NaN : (double) allocated / countedSteps;
    }

    @Override
    String computedDtypes() {
        return step.batches().xBatch().dtype().label();
    }
}
