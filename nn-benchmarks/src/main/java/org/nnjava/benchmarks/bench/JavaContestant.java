package org.nnjava.benchmarks.bench;

import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.net.Network;
import org.nnjava.net.SimpleConvNet;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Adam;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.TrainingStep;

/**
 * The library's own training step on one backend: {@link TrainingStep}, the class {@code Trainer} runs
 * each iteration (gather through {@link Minibatches}, {@code Network.gradient}, the optimizer's update,
 * the loss after it in inference mode), on the book's TwoLayerNet from the benchmark's seed with SGD,
 * each step in its own step arena as the Trainer runs it; or, with {@code --net simple-convnet}, the
 * book's SimpleConvNet with Adam on the samples as {@code [N, 1, 28, 28]} images. The indices come from
 * {@link BenchData#rows()}.
 */
final class JavaContestant extends Contestant {

    private final Backend backend;
    private final String threads;
    private final TrainingStep step;
    private final Network network;
    private final Tensor x;
    private final double[] labels;
    private Tensor[] testBatches;
    private int correct = -1;
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
        boolean convnet = data.convnet();
        int[] image = BenchSettings.IMAGE;
        this.x = convnet ? backend.fromArray(data.x(), data.samples(), image[0], image[1], image[2])
                : backend.fromArray(data.x(), data.samples(), data.inputs());
        this.labels = data.t();
        Tensor t = backend.fromArray(data.t(), data.samples(), data.classes());
        this.network = convnet ? new SimpleConvNet(backend, data.seed())
                : new TwoLayerNet(backend, data.inputs(), data.hidden(), data.classes(), data.seed());
        data.checkInitialWeights(backend.name(), backend.dtype(), network.params());
        MinibatchSampler sampler = MinibatchSampler.withReplacement(data.samples(), data.batch(), data.seed());
        this.step = new TrainingStep(network, convnet ? new Adam(data.learningRate(), 0.9, 0.999) : new Sgd(data.learningRate()),
                new Minibatches(x, t, sampler));
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

    /**
     * The scores of each batch in its own step arena, as a step: the batches are cut from the samples before
     * the clock starts (NumPy's slices are views), the argmax and the count of correct predictions inside it.
     */
    @Override
    double infer(int images, int batch) {
        if (testBatches == null) {
            int count = (images + batch - 1) / batch;
            testBatches = new Tensor[count];
            for (int b = 0; b < count; b++) {
                int[] rows = new int[Math.min(batch, images - b * batch)];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = b * batch + i;
                }
                testBatches[b] = x.gatherRows(rows);
            }
        }
        int classes = labels.length / x.shape().dim(0);
        StepArena arena = new StepArena();
        boolean training = network.isTraining();
        network.setTraining(false);
        long start = System.nanoTime();
        int hits = 0;
        for (int b = 0; b < testBatches.length; b++) {
            arena.begin();
            try {
                double[] predicted = network.predict(testBatches[b]).argmax(1).toDoubleArray();
                for (int i = 0; i < predicted.length; i++) {
                    int row = b * batch + i;
                    if (labels[row * classes + (int) predicted[i]] == 1.0) {
                        hits++;
                    }
                }
            } finally {
                arena.end();
            }
        }
        long nanos = System.nanoTime() - start;
        network.setTraining(training);
        correct = hits;
        return nanos / 1e6;
    }

    @Override
    int correct() {
        return correct;
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
