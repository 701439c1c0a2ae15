package org.nnjava.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nnjava.layer.Affine;
import org.nnjava.layer.BatchNormalization;
import org.nnjava.layer.Dropout;
import org.nnjava.layer.Layer;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;

/**
 * The book's {@code MultiLayerNetExtend} (chapter 6): for each hidden size
 * {@code Affine -> [BatchNormalization] -> activation -> [Dropout]}, then {@code Affine -> SoftmaxWithLoss},
 * with optional weight decay. Parameters {@code W1, b1, gamma1, beta1, ..., Wk, bk} (batch normalisation
 * adds {@code gamma}/{@code beta} for each hidden layer only).
 *
 * <pre>{@code
 * Network net = MultiLayerNetExtend.builder(backend, 784, 10)
 *         .hidden(100, 100).activation(Activation.RELU).init(WeightInit.HE)
 *         .batchNorm(true).dropout(0.15).weightDecay(0.1).seed(1).build();
 * }</pre>
 *
 * <p>Weights are drawn from {@code new Random(seed)} in layer order, W1 first, scaled by the chosen
 * {@link WeightInit} (by default the activation's: He for ReLU, Xavier for sigmoid and tanh); biases and
 * {@code beta} start at 0, {@code gamma} at 1. Each Dropout layer's masks come from its own seed, drawn
 * from {@code new Random(seed + 1)}, so that dropout does not change the initial weights.
 */
public final class MultiLayerNetExtend extends Network {

    private MultiLayerNetExtend(List<Layer> layers, double weightDecay) {
        super(layers, new SoftmaxWithLoss(), weightDecay);
    }

    /**
     * A builder for a network from {@code inputSize} inputs to {@code outputSize} classes.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param inputSize inputs per sample (784 for MNIST)
     * @param outputSize the number of classes
     * @return a new builder with the defaults: ReLU, the activation's initialisation, no batch
     *     normalisation, dropout or weight decay, seed 0; the hidden sizes must still be given
     */
    public static Builder builder(Backend backend, int inputSize, int outputSize) {
        return new Builder(backend, inputSize, outputSize);
    }

    /** The settings of a {@link MultiLayerNetExtend}; defaults: one hidden layer of 100, ReLU, no extras, seed 0. */
    public static final class Builder {
        private final Backend backend;
        private final int inputSize;
        private final int outputSize;
        private int[] hidden = {100};
        private Activation activation = Activation.RELU;
        private WeightInit init;
        private double fixedStd = 0.01;
        private boolean batchNorm;
        private double dropout;
        private double weightDecay;
        private long seed;

        private Builder(Backend backend, int inputSize, int outputSize) {
            this.backend = backend;
            this.inputSize = inputSize;
            this.outputSize = outputSize;
        }

        /**
         * The hidden layer sizes, at least one.
         *
         * @param sizes the number of units of each hidden layer, in order; copied
         * @return this builder
         */
        public Builder hidden(int... sizes) {
            this.hidden = sizes.clone();
            return this;
        }

        /**
         * The hidden activation (default ReLU).
         *
         * @param activation the activation after each hidden Affine layer
         * @return this builder
         */
        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /**
         * The weight initialisation (default: the activation's, see {@link WeightInit#forActivation}).
         *
         * @param init the initialisation scheme
         * @return this builder
         */
        public Builder init(WeightInit init) {
            this.init = init;
            return this;
        }

        /**
         * A fixed standard deviation for every weight: {@link WeightInit#STD} with {@code std}.
         *
         * @param std the standard deviation, positive and finite
         * @return this builder
         * @throws IllegalArgumentException if {@code std} is not positive and finite
         */
        public Builder init(double std) {
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("MultiLayerNetExtend: weight std " + std + " must be a positive number");
            }
            this.init = WeightInit.STD;
            this.fixedStd = std;
            return this;
        }

        /**
         * Batch normalisation after each hidden Affine layer (default off).
         *
         * @param on whether to add the layers
         * @return this builder
         */
        public Builder batchNorm(boolean on) {
            this.batchNorm = on;
            return this;
        }

        /**
         * Dropout of this ratio after each hidden activation; 0 (the default) for none.
         *
         * @param ratio the fraction of units dropped in training, in {@code [0, 1)}
         * @return this builder
         * @throws IllegalArgumentException if {@code ratio} is outside {@code [0, 1)}
         */
        public Builder dropout(double ratio) {
            if (!(ratio >= 0 && ratio < 1)) {
                throw new IllegalArgumentException("MultiLayerNetExtend: dropout ratio " + ratio + " must be in [0, 1)");
            }
            this.dropout = ratio;
            return this;
        }

        /**
         * Weight decay λ on the weights (default 0, none).
         *
         * @param lambda λ, finite and {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code lambda} is negative, NaN or infinite
         */
        public Builder weightDecay(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("MultiLayerNetExtend: weight decay " + lambda
                        + " must be a finite number >= 0");
            }
            this.weightDecay = lambda;
            return this;
        }

        /**
         * The seed of the initial weights and the dropout masks (default 0).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * The network.
         *
         * @return a new network in training mode
         * @throws IllegalArgumentException if a size is not positive or there is no hidden layer
         */
        public MultiLayerNetExtend build() {
            if (inputSize <= 0 || outputSize <= 0 || hidden.length == 0 || Arrays.stream(hidden).anyMatch(h -> h <= 0)) {
                throw new IllegalArgumentException("MultiLayerNetExtend: input " + inputSize + ", hidden "
                        + Arrays.toString(hidden) + ", output " + outputSize
                        + ": sizes must be positive, with at least one hidden layer");
            }
            WeightInit scale = init == null ? WeightInit.forActivation(activation) : init;
            Random weights = new Random(seed);
            Random dropoutSeeds = new Random(seed + 1);
            List<Layer> layers = new ArrayList<>();
            int fanIn = inputSize;
            for (int size : hidden) {
                layers.add(affine(fanIn, size, scale, weights));
                if (batchNorm) {
                    layers.add(new BatchNormalization(backend.ones(size), backend.zeros(size)));
                }
                layers.add(activation.newLayer());
                if (dropout > 0) {
                    layers.add(new Dropout(dropout, dropoutSeeds.nextLong()));
                }
                fanIn = size;
            }
            layers.add(affine(fanIn, outputSize, scale, weights));
            return new MultiLayerNetExtend(layers, weightDecay);
        }

        private Affine affine(int in, int out, WeightInit scale, Random random) {
            double std = scale.std(in, fixedStd);
            return new Affine(backend.randn(random, in, out).mulInPlace(std), backend.zeros(out));
        }
    }
}
