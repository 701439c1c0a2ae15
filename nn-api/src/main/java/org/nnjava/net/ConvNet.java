package org.nnjava.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nnjava.layer.Affine;
import org.nnjava.layer.BatchNormalization;
import org.nnjava.layer.Convolution;
import org.nnjava.layer.Dropout;
import org.nnjava.layer.Layer;
import org.nnjava.layer.Pooling;
import org.nnjava.layer.Relu;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.InvalidShapeException;

/**
 * A user's own convolutional network, built from a list of layers as the book assembles
 * {@code ch07/simple_convnet.py} and {@code ch08/deep_convnet.py} by hand, ending in
 * {@code SoftmaxWithLoss}:
 *
 * <pre>{@code
 * Network net = ConvNet.builder(backend, 1, 28, 28)
 *         .conv(16, 3, 1, 1).relu().pool(2, 2)
 *         .conv(32, 3, 1, 1).batchNorm().relu().pool(2, 2)
 *         .affine(50).relu().dropout(0.5).affine(10)
 *         .seed(1).build();
 * }</pre>
 *
 * <p>Shapes are inferred layer by layer in integers as each layer is added, and a layer that cannot
 * take its input is refused at once, naming the layer and the sizes. A convolution gives
 * {@code OH = (H + 2·pad − size) / stride + 1}, a pooling {@code OH = (H + 2·pad − size) / stride + 1},
 * both rounded down as the book's {@code //} (cells past the last whole window are not read); an Affine
 * layer flattens an image input, so its fan-in is {@code C·H·W}.
 *
 * <p>Parameters are named as {@link Network} names them: {@code W1, b1} for the first convolution or
 * Affine layer, {@code gamma1, beta1} for the first batch normalisation, and so on in layer order. Weights
 * are {@code std · N(0, 1)} drawn from {@code new Random(seed)} in layer order, with He's
 * {@code std = sqrt(2 / fan_in)} by default ({@code fan_in = C·FH·FW} for a convolution, the inputs for an
 * Affine layer, as the book's {@code DeepConvNet}); biases and {@code beta} start at 0, {@code gamma}
 * at 1. Each Dropout layer's masks come from its own seed drawn from {@code new Random(seed + 1)}. The
 * network is a plain {@link Network}: optimizers, the trainer and {@link Network#state()} (checkpoints)
 * work on it unchanged.
 */
public final class ConvNet extends Network {

    private final List<String> summary;

    private ConvNet(List<Layer> layers, double weightDecay, List<String> summary) {
        super(layers, new SoftmaxWithLoss(), weightDecay);
        this.summary = summary;
    }

    /**
     * A builder for a network over samples of shape {@code [channels, height, width]}.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param channels the input channels, {@code >= 1} (1 for MNIST)
     * @param height the input height, {@code >= 1}
     * @param width the input width, {@code >= 1}
     * @return a new builder with no layers, He initialisation, no weight decay, seed 0
     * @throws InvalidShapeException if a size is below 1
     */
    public static Builder builder(Backend backend, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new InvalidShapeException("ConvNet: input [" + channels + ", " + height + ", " + width
                    + "]: give one sample's shape [C, H, W] of positive sizes, e.g. [1, 28, 28]");
        }
        return new Builder(backend, new int[] {channels, height, width});
    }

    /**
     * One line per layer with its settings and the shape of one sample after it, e.g.
     * {@code "1 conv 16 3x3, stride 1, pad 1 -> [16, 28, 28]"}.
     *
     * @return an unmodifiable list, in layer order
     */
    public List<String> summary() {
        return summary;
    }

    /** What one added layer is: its kind and sizes; the tensors are made by {@link Builder#build()}. */
    private record Step(String kind, int a, int b, int c, int d, double ratio, int[] in, int[] out) {

        String describe(int index) {
            String settings = switch (kind) {
                case "conv" -> "conv " + a + " " + b + "x" + b + ", stride " + c + ", pad " + d;
                case "pool" -> "pool " + a + "x" + a + ", stride " + b + ", pad " + c;
                case "affine" -> "affine " + a;
                case "dropout" -> "dropout " + ratio;
                default -> kind;
            };
            return index + " " + settings + " -> " + Arrays.toString(out);
        }
    }

    /**
     * The layers and settings of a {@link ConvNet}, each layer checked against the shape before it as it
     * is added. Not thread-safe.
     */
    public static final class Builder {
        private final Backend backend;
        private final int[] input;
        private final List<Step> steps = new ArrayList<>();
        private int[] shape;
        private WeightInit init = WeightInit.HE;
        private double fixedStd;
        private double weightDecay;
        private long seed;

        private Builder(Backend backend, int[] input) {
            this.backend = backend;
            this.input = input;
            this.shape = input;
        }

        private String where(String settings) {
            return "ConvNet layer " + (steps.size() + 1) + " (" + settings + ")";
        }

        private void requireImage(String settings) {
            if (shape.length != 3) {
                throw new InvalidShapeException(where(settings) + ": its input " + Arrays.toString(shape)
                        + " is flat (after an Affine layer); put convolutions and poolings before the first affine");
            }
        }

        private Builder add(String kind, int a, int b, int c, int d, double ratio, int[] out) {
            steps.add(new Step(kind, a, b, c, d, ratio, shape, out));
            shape = out;
            return this;
        }

        /**
         * A convolution of {@code filters} filters {@code size × size} (the book's {@code Convolution}),
         * {@code [C, H, W] -> [filters, OH, OW]} with {@code OH = (H + 2·pad − size) / stride + 1} rounded down.
         *
         * @param filters the number of filters, {@code >= 1}
         * @param size each filter's height and width, {@code >= 1}
         * @param stride the step between windows, {@code >= 1}
         * @param pad the zero border on each side, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if a size is out of its range
         * @throws InvalidShapeException if the input is flat or the padded input is smaller than the filter
         */
        public Builder conv(int filters, int size, int stride, int pad) {
            String settings = "conv " + filters + " " + size + "x" + size + ", stride " + stride + ", pad " + pad;
            if (filters < 1 || size < 1 || stride < 1 || pad < 0) {
                throw new IllegalArgumentException(where(settings)
                        + ": filters, size and stride must be >= 1 and the pad >= 0");
            }
            requireImage(settings);
            int h = windows(settings, shape[1], size, stride, pad);
            int w = windows(settings, shape[2], size, stride, pad);
            long cells = (long) filters * h * w;
            if (cells > Integer.MAX_VALUE || (long) filters * shape[0] * size * size > Integer.MAX_VALUE) {
                throw new InvalidShapeException(where(settings) + ": input " + Arrays.toString(shape)
                        + " gives more than 2^31 - 1 values per sample; use fewer filters or a larger stride");
            }
            return add("conv", filters, size, stride, pad, 0, new int[] {filters, h, w});
        }

        /** The number of windows along one side, or a clear error when the padded side is smaller than the window. */
        private int windows(String settings, int side, int size, int stride, int pad) {
            long padded = side + 2L * pad;
            if (padded < size) {
                throw new InvalidShapeException(where(settings) + ": input " + Arrays.toString(shape) + " padded to "
                        + (shape[1] + 2L * pad) + "x" + (shape[2] + 2L * pad) + " is smaller than the " + size + "x"
                        + size + " window; use a smaller window, a larger pad or a larger input");
            }
            return (int) ((padded - size) / stride + 1);
        }

        /**
         * A ReLU activation; the shape is unchanged.
         *
         * @return this builder
         */
        public Builder relu() {
            return add("relu", 0, 0, 0, 0, 0, shape);
        }

        /**
         * Max pooling over {@code size × size} windows without padding (the book's {@code Pooling}).
         *
         * @param size the window's height and width, {@code >= 1}
         * @param stride the step between windows, {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if a size is below 1
         * @throws InvalidShapeException if the input is flat or smaller than the window
         */
        public Builder pool(int size, int stride) {
            return pool(size, stride, 0);
        }

        /**
         * Max pooling over {@code size × size} windows with a border of {@code −∞} ({@link Pooling}),
         * {@code [C, H, W] -> [C, OH, OW]} with {@code OH = (H + 2·pad − size) / stride + 1} rounded down.
         *
         * @param size the window's height and width, {@code >= 1}
         * @param stride the step between windows, {@code >= 1}
         * @param pad the border on each side, {@code 0 <= pad < size}
         * @return this builder
         * @throws IllegalArgumentException if a size is out of its range
         * @throws InvalidShapeException if the input is flat or the padded input is smaller than the window
         */
        public Builder pool(int size, int stride, int pad) {
            String settings = "pool " + size + "x" + size + ", stride " + stride + ", pad " + pad;
            if (size < 1 || stride < 1 || pad < 0 || pad >= size) {
                throw new IllegalArgumentException(where(settings)
                        + ": the window and stride must be >= 1 and the pad >= 0 and smaller than the window");
            }
            requireImage(settings);
            int h = windows(settings, shape[1], size, stride, pad);
            int w = windows(settings, shape[2], size, stride, pad);
            return add("pool", size, stride, pad, 0, 0, new int[] {shape[0], h, w});
        }

        /**
         * Batch normalisation: per channel ({@code gamma} of {@code [C]}) after a convolution or pooling,
         * per feature after an Affine layer ({@link BatchNormalization}); the shape is unchanged.
         *
         * @return this builder
         */
        public Builder batchNorm() {
            return add("batchnorm", 0, 0, 0, 0, 0, shape);
        }

        /**
         * Inverted dropout of this ratio ({@link Dropout}); the shape is unchanged.
         *
         * @param ratio the fraction of units dropped in training, in {@code [0, 1)}
         * @return this builder
         * @throws IllegalArgumentException if {@code ratio} is outside {@code [0, 1)}
         */
        public Builder dropout(double ratio) {
            if (!(ratio >= 0 && ratio < 1)) {
                throw new IllegalArgumentException(where("dropout " + ratio) + ": the ratio must be in [0, 1)");
            }
            return add("dropout", 0, 0, 0, 0, ratio, shape);
        }

        /**
         * A fully connected layer of {@code units} outputs ({@link Affine}); an image input is flattened,
         * so the layer has {@code C·H·W} inputs.
         *
         * @param units the outputs, {@code >= 1}; the last Affine layer's are the classes
         * @return this builder
         * @throws IllegalArgumentException if {@code units < 1}
         * @throws InvalidShapeException if the weight matrix would exceed 2³¹ − 1 elements
         */
        public Builder affine(int units) {
            String settings = "affine " + units;
            if (units < 1) {
                throw new IllegalArgumentException(where(settings) + ": units must be >= 1");
            }
            if (size(shape) * units > Integer.MAX_VALUE) {
                throw new InvalidShapeException(where(settings) + ": input " + Arrays.toString(shape) + " ("
                        + size(shape) + " values) times " + units + " units exceeds 2^31 - 1 weights;"
                        + " pool or stride more before it");
            }
            return add("affine", units, 0, 0, 0, 0, new int[] {units});
        }

        /**
         * He initialisation ({@link WeightInit#HE}, the default) or Xavier ({@link WeightInit#XAVIER}).
         *
         * @param init the scheme; {@link WeightInit#STD} needs {@link #init(double)}
         * @return this builder
         * @throws IllegalArgumentException for {@link WeightInit#STD}, which needs a standard deviation
         */
        public Builder init(WeightInit init) {
            if (init == WeightInit.STD) {
                throw new IllegalArgumentException("ConvNet: WeightInit.STD needs a standard deviation; call init(std)");
            }
            this.init = init;
            return this;
        }

        /**
         * A fixed standard deviation for every weight, as the book's {@code weight_init_std}.
         *
         * @param std the standard deviation, positive and finite
         * @return this builder
         * @throws IllegalArgumentException if {@code std} is not positive and finite
         */
        public Builder init(double std) {
            if (!(std > 0) || Double.isInfinite(std)) {
                throw new IllegalArgumentException("ConvNet: weight std " + std + " must be a positive finite number");
            }
            this.init = WeightInit.STD;
            this.fixedStd = std;
            return this;
        }

        /**
         * Weight decay λ on the weights {@code W} (default 0, none), as {@link Network}.
         *
         * @param lambda λ, finite and {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if {@code lambda} is negative, NaN or infinite
         */
        public Builder weightDecay(double lambda) {
            if (!(lambda >= 0) || Double.isInfinite(lambda)) {
                throw new IllegalArgumentException("ConvNet: weight decay " + lambda + " must be a finite number >= 0");
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
         * The network: the layers in order, their tensors made now, then {@code SoftmaxWithLoss}.
         *
         * @return a new network in training mode
         * @throws IllegalStateException if there is no layer, or the last shape is not flat (end with
         *     {@code affine(classes)})
         */
        public ConvNet build() {
            if (steps.isEmpty() || shape.length != 1) {
                throw new IllegalStateException("ConvNet: the layers end in " + Arrays.toString(shape)
                        + " per sample; SoftmaxWithLoss needs class scores: end with affine(classes)");
            }
            Random weights = new Random(seed);
            Random dropoutSeeds = new Random(seed + 1);
            List<Layer> layers = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (Step s : steps) {
                layers.add(layer(s, weights, dropoutSeeds));
                lines.add(s.describe(lines.size() + 1));
            }
            return new ConvNet(layers, weightDecay, List.copyOf(lines));
        }

        private Layer layer(Step s, Random weights, Random dropoutSeeds) {
            return switch (s.kind()) {
                case "conv" -> {
                    int fanIn = s.in()[0] * s.b() * s.b();
                    yield new Convolution(backend.randn(weights, s.a(), s.in()[0], s.b(), s.b())
                            .mulInPlace(init.std(fanIn, fixedStd)), backend.zeros(s.a()), s.c(), s.d());
                }
                case "pool" -> new Pooling(s.a(), s.a(), s.b(), s.c());
                case "relu" -> new Relu();
                case "batchnorm" -> {
                    int d = s.in()[0]; // [C] per channel after an image layer, [D] per feature after an affine
                    yield new BatchNormalization(backend.ones(d), backend.zeros(d));
                }
                case "dropout" -> new Dropout(s.ratio(), dropoutSeeds.nextLong());
                case "affine" -> {
                    int fanIn = (int) size(s.in()); // affine() has checked fanIn · units < 2^31
                    yield new Affine(backend.randn(weights, fanIn, s.a()).mulInPlace(init.std(fanIn, fixedStd)),
                            backend.zeros(s.a()));
                }
                default -> throw new IllegalStateException("ConvNet: unknown layer kind " + s.kind());
            };
        }

        private static long size(int[] shape) {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }
}
