package org.nnjava.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nnjava.layer.Affine;
import org.nnjava.layer.Layer;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;

/**
 * A fully connected network of any depth, as the book's {@code MultiLayerNet}: for each hidden size an
 * Affine layer and an activation, then an Affine layer to the outputs and SoftmaxWithLoss. Weights are
 * drawn from {@code new Random(seed)} in layer order, scaled by the activation's default (He for ReLU,
 * Xavier for sigmoid) unless a fixed standard deviation is given; biases start at 0.
 */
public final class MultiLayerNet extends Network {

    /**
     * A network whose weight scale follows the activation.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param inputSize inputs per sample
     * @param hiddenSizes the units of each hidden layer, at least one
     * @param outputSize the number of classes
     * @param activation the hidden activation, which also picks the weight scale
     * @param seed the seed of the initial weights
     */
    public MultiLayerNet(Backend backend, int inputSize, int[] hiddenSizes, int outputSize, Activation activation,
            long seed) {
        this(backend, inputSize, hiddenSizes, outputSize, activation, Double.NaN, seed);
    }

    /**
     * A network with weights of standard deviation {@code weightInitStd}, or the activation's default
     * when it is NaN.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param inputSize inputs per sample
     * @param hiddenSizes the units of each hidden layer, at least one
     * @param outputSize the number of classes
     * @param activation the hidden activation
     * @param weightInitStd the weights' standard deviation, or NaN for the activation's default
     * @param seed the seed of the initial weights
     */
    public MultiLayerNet(Backend backend, int inputSize, int[] hiddenSizes, int outputSize, Activation activation,
            double weightInitStd, long seed) {
        super(build(backend, inputSize, hiddenSizes, outputSize, activation, weightInitStd, new Random(seed)),
                new SoftmaxWithLoss());
    }

    private static List<Layer> build(Backend nd, int inputSize, int[] hidden, int outputSize, Activation activation,
            double std, Random random) {
        if (inputSize <= 0 || outputSize <= 0 || hidden.length == 0) {
            throw new IllegalArgumentException("MultiLayerNet: input " + inputSize + ", hidden " + java.util.Arrays.toString(hidden)
                    + ", output " + outputSize + ": sizes must be positive, with at least one hidden layer");
        }
        List<Layer> layers = new ArrayList<>();
        int fanIn = inputSize;
        for (int size : hidden) {
            if (size <= 0) {
                throw new IllegalArgumentException("MultiLayerNet: hidden size " + size + " must be positive");
            }
            layers.add(affine(nd, fanIn, size, activation, std, random));
            layers.add(activation.newLayer());
            fanIn = size;
        }
        layers.add(affine(nd, fanIn, outputSize, activation, std, random));
        return layers;
    }

    private static Affine affine(Backend nd, int in, int out, Activation activation, double std, Random random) {
        double scale = Double.isNaN(std) ? activation.defaultStd(in) : std;
        return new Affine(nd.randn(random, in, out).mulInPlace(scale), nd.zeros(out));
    }
}
