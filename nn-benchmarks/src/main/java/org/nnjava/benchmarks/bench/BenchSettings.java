package org.nnjava.benchmarks.bench;

import java.util.List;
import org.nnjava.tensor.DType;

/**
 * What one {@code ./nn bench} measures, as its options gave it; the parent hands the same settings to
 * each worker process.
 *
 * @param warmup untimed steps each contestant runs first (JIT, caches)
 * @param runs timed runs per process; each run is {@code iterations} steps of every contestant in turn
 * @param peerWarmup, peerIterations the same for DL4J, whose step takes tens of times longer
 * @param net the network whose training step is timed
 * @param testImages the images of the inference timing ({@link Net#SIMPLE_CONVNET} only), in batches of {@code batch}
 */
record BenchSettings(List<String> backends, List<DType> dtypes, int hidden, int batch, double learningRate, int samples,
        int warmup, int runs, int iterations, int peerWarmup, int peerIterations, long seed, String python,
        boolean numpy, boolean peers, int gemmSize, Net net, int testImages) {

    /** The networks {@code --net} names. */
    enum Net {
        /** The book's chapter-5 TwoLayerNet with SGD, against the lean and the book-style NumPy (the default). */
        TWO_LAYER_NET("two-layer-net"),
        /** The book's chapter-7 SimpleConvNet with Adam, against the book-style NumPy SimpleConvNet. */
        SIMPLE_CONVNET("simple-convnet");

        final String label;

        Net(String label) {
            this.label = label;
        }
    }

    /** The image shape of the convnet's samples: one channel of 28 x 28 (the MNIST-shaped rows reshaped). */
    static final int[] IMAGE = {1, 28, 28};

    static final int INPUT = 784;
    static final int CLASSES = 10;

    /** The steps whose minibatches are drawn: enough for the library's and NumPy's warm-up and runs. */
    int totalSteps() {
        return warmup + runs * iterations;
    }

    /** The first timed step. */
    int firstTimedStep() {
        return warmup;
    }
}
