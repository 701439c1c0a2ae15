package org.nnjava.net;

import java.util.List;
import java.util.Random;
import org.nnjava.layer.Affine;
import org.nnjava.layer.Relu;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;

/**
 * The book's two-layer network of chapter 5.7.2: {@code Affine1 -> Relu1 -> Affine2 -> SoftmaxWithLoss},
 * with weights {@code weightInitStd * N(0, 1)} and zero biases. The normal numbers come from
 * {@code new Random(seed)}, W1 first, then W2, so one seed gives the same network on every backend.
 */
public final class TwoLayerNet extends Network {

    /** The book's default standard deviation of the initial weights. */
    public static final double DEFAULT_WEIGHT_INIT_STD = 0.01;

    /**
     * The book's network with {@code weightInitStd = 0.01}.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param inputSize inputs per sample (784 for MNIST)
     * @param hiddenSize the hidden layer's units (50 in the book)
     * @param outputSize the number of classes
     * @param seed the seed of the initial weights
     */
    public TwoLayerNet(Backend backend, int inputSize, int hiddenSize, int outputSize, long seed) {
        this(backend, inputSize, hiddenSize, outputSize, DEFAULT_WEIGHT_INIT_STD, seed);
    }

    /**
     * The book's network with a given standard deviation of the initial weights.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param inputSize inputs per sample (784 for MNIST)
     * @param hiddenSize the hidden layer's units (50 in the book)
     * @param outputSize the number of classes
     * @param weightInitStd the standard deviation of the initial weights
     * @param seed the seed of the initial weights
     */
    public TwoLayerNet(Backend backend, int inputSize, int hiddenSize, int outputSize, double weightInitStd, long seed) {
        this(backend, inputSize, hiddenSize, outputSize, weightInitStd, new Random(seed));
    }

    private TwoLayerNet(Backend nd, int inputSize, int hiddenSize, int outputSize, double std, Random random) {
        super(List.of(
                new Affine(nd.randn(random, inputSize, hiddenSize).mulInPlace(std), nd.zeros(hiddenSize)),
                new Relu(),
                new Affine(nd.randn(random, hiddenSize, outputSize).mulInPlace(std), nd.zeros(outputSize))),
                new SoftmaxWithLoss());
    }
}
