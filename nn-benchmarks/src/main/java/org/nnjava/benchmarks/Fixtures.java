package org.nnjava.benchmarks;

import java.util.Random;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * The shapes of the training step that {@code ./nn bench} times (the book's TwoLayerNet 784-50-10,
 * batch 100, on 10,000 MNIST-shaped samples) and the seeded inputs every benchmark starts from, so
 * that two runs, and two backends, see the same numbers.
 */
final class Fixtures {

    /** Samples in a minibatch. */
    static final int BATCH = 100;
    /** Pixels of an MNIST image, the first layer's input size. */
    static final int INPUT = 784;
    /** The hidden layer's size. */
    static final int HIDDEN = 50;
    /** Classes, the second layer's output size. */
    static final int CLASSES = 10;
    /** Samples the minibatches are drawn from, as many as the embedded MNIST sample. */
    static final int SAMPLES = 10_000;
    /** The learning rate of the book's MNIST training. */
    static final double LEARNING_RATE = 0.1;
    /** The seed every input derives from; each input adds its own offset so that no two are equal. */
    static final long SEED = 20_240_501L;

    private Fixtures() {
    }

    /**
     * The backend a benchmark's parameters name.
     *
     * @throws org.nnjava.tensor.BackendSelectionException if it is not on the classpath or cannot run here
     */
    static Backend backend(String name, String dtype) {
        return Backends.get(name, DType.parse(dtype));
    }

    /** {@code std · N(0, 1)} drawn from {@code new Random(seed)}, row-major. */
    static Tensor normal(Backend nd, long seed, double std, int... shape) {
        return nd.randn(seed, shape).mulInPlace(std);
    }

    /** Numbers uniform in {@code [0, 1)} from {@code new Random(seed)}, like MNIST pixels scaled by 1/255. */
    static Tensor uniform(Backend nd, long seed, int rows, int cols) {
        Random random = new Random(seed);
        double[] values = new double[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return nd.fromArray(values, rows, cols);
    }

    /** One-hot labels {@code [rows, classes]}, each row's class drawn uniformly from {@code new Random(seed)}. */
    static Tensor oneHot(Backend nd, long seed, int rows, int classes) {
        Random random = new Random(seed);
        double[] values = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            values[r * classes + random.nextInt(classes)] = 1.0;
        }
        return nd.fromArray(values, rows, classes);
    }

    /** {@code count} minibatches of {@code BATCH} row indices below {@code SAMPLES}, drawn with replacement. */
    static int[][] batches(long seed, int count) {
        Random random = new Random(seed);
        int[][] batches = new int[count][BATCH];
        for (int[] batch : batches) {
            for (int j = 0; j < batch.length; j++) {
                batch[j] = random.nextInt(SAMPLES);
            }
        }
        return batches;
    }
}
