package org.nnjava.examples;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nnjava.layer.Layer;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.Tensor;

/**
 * The training step that {@code nn bench} times, exactly as {@link org.nnjava.train.Trainer} does it
 * (and the book's train_neuralnet.py): draw {@code batch} sample indices with replacement, gather
 * them into batch tensors allocated once, compute the gradient by backpropagation, update the
 * parameters, compute the loss on the batch. The network reuses its layers' buffers, as the trainer's does.
 */
final class BenchStep {

    /** One phase of the step and its mean time. */
    record Phase(String name, double msPerIter) {
    }

    private final Network network;
    private final Optimizer optimizer;
    private final Tensor x;
    private final Tensor t;
    private final Tensor xBatch;
    private final Tensor tBatch;
    private final int[] batch;
    private final Random random;
    private double loss = Double.NaN;

    BenchStep(Network network, Optimizer optimizer, Tensor x, Tensor t, int batchSize, long seed) {
        this.network = network;
        this.optimizer = optimizer;
        network.reuseBuffers(true);
        this.x = x;
        this.t = t;
        this.xBatch = x.backend().zeros(batchSize, x.shape().dim(1));
        this.tBatch = t.backend().zeros(batchSize, t.shape().dim(1));
        this.batch = new int[batchSize];
        this.random = new Random(seed);
    }

    /** Runs {@code iterations} training steps; returns the last loss (also kept, so no work is dead). */
    double run(int iterations) {
        for (int i = 0; i < iterations; i++) {
            drawBatch();
            x.gatherRows(batch, xBatch);
            t.gatherRows(batch, tBatch);
            Map<String, Tensor> grads = network.gradient(xBatch, tBatch);
            optimizer.update(network.params(), grads);
            loss = network.loss(xBatch, tBatch);
        }
        return loss;
    }

    /** The loss of the last step. */
    double loss() {
        return loss;
    }

    /** The accuracy over the whole data set, the book's {@code network.accuracy(x_train, t_train)}. */
    double accuracy() {
        return network.accuracy(x, t);
    }

    /**
     * Runs {@code iterations} steps doing the same work as {@link #run}, with each phase timed on its
     * own: the gather, each layer's forward and backward, the loss layer's, the update and the final
     * loss. The gradient is computed layer by layer here, as {@link Network#gradient} does (the first
     * layer computing its parameter gradients only; the book's NumPy code also computes its {@code dx}).
     */
    List<Phase> phases(int iterations) {
        List<Layer> layers = network.layers();
        List<String> names = phaseNames(layers);
        long[] nanos = new long[names.size()];
        for (int i = 0; i < iterations; i++) {
            int p = 0;
            long t0 = System.nanoTime();
            drawBatch();
            x.gatherRows(batch, xBatch);
            t.gatherRows(batch, tBatch);
            long t1 = System.nanoTime();
            nanos[p++] += t1 - t0;
            Tensor out = xBatch;
            for (Layer layer : layers) {
                out = layer.forward(out);
                t0 = t1;
                t1 = System.nanoTime();
                nanos[p++] += t1 - t0;
            }
            network.lossLayer().forward(out, tBatch);
            t0 = t1;
            t1 = System.nanoTime();
            nanos[p++] += t1 - t0;
            Tensor dout = network.lossLayer().backward();
            t0 = t1;
            t1 = System.nanoTime();
            nanos[p++] += t1 - t0;
            for (int k = layers.size() - 1; k > 0; k--) {
                dout = layers.get(k).backward(dout);
                t0 = t1;
                t1 = System.nanoTime();
                nanos[p++] += t1 - t0;
            }
            layers.get(0).backwardParameters(dout); // as Network.gradient: nothing consumes the input gradient
            t0 = t1;
            t1 = System.nanoTime();
            nanos[p++] += t1 - t0;
            optimizer.update(network.params(), grads(layers));
            t0 = t1;
            t1 = System.nanoTime();
            nanos[p++] += t1 - t0;
            loss = network.loss(xBatch, tBatch);
            nanos[p] += System.nanoTime() - t1;
        }
        List<Phase> phases = new ArrayList<>();
        for (int p = 0; p < nanos.length; p++) {
            phases.add(new Phase(names.get(p), nanos[p] / 1e6 / iterations));
        }
        return phases;
    }

    /** The phase names, as the NumPy reference names them: {@code forward Affine1}, {@code backward Relu1}, ... */
    static List<String> phaseNames(List<Layer> layers) {
        List<String> layerNames = new ArrayList<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer layer : layers) {
            String type = layer.getClass().getSimpleName();
            layerNames.add(type + counts.merge(type, 1, Integer::sum));
        }
        List<String> names = new ArrayList<>();
        names.add("gather");
        layerNames.forEach(n -> names.add("forward " + n));
        names.add("loss forward");
        names.add("loss backward");
        for (int k = layerNames.size() - 1; k >= 0; k--) {
            names.add("backward " + layerNames.get(k));
        }
        names.add("sgd update");
        names.add("loss (after update)");
        return names;
    }

    /** The layers' gradients named as {@link Network#params()} names the parameters: W1, b1, W2, b2. */
    private static Map<String, Tensor> grads(List<Layer> layers) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (Layer layer : layers) {
            Map<String, Tensor> own = layer.grads();
            for (String name : layer.params().keySet()) {
                int k = counts.merge(name, 1, Integer::sum);
                Tensor grad = own.get(name);
                if (grad != null) {
                    named.put(name + k, grad);
                }
            }
        }
        return named;
    }

    private void drawBatch() {
        int size = x.shape().dim(0);
        for (int j = 0; j < batch.length; j++) {
            batch[j] = random.nextInt(size);
        }
    }
}
