package org.nnjava.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nnjava.layer.Affine;
import org.nnjava.layer.Convolution;
import org.nnjava.layer.Dropout;
import org.nnjava.layer.Layer;
import org.nnjava.layer.Pooling;
import org.nnjava.layer.Relu;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.InvalidShapeException;

/**
 * The book's deep convolutional network of chapter 8.1 ({@code ch08/deep_convnet.py}): three blocks of
 * {@code Convolution 3×3 -> Relu -> Convolution 3×3 -> Relu -> Pooling 2×2 (stride 2)} with 16, 16, 32,
 * 32, 64 and 64 filters, every convolution with stride 1 and pad 1 except the fourth's pad 2, then
 * {@code Affine -> Relu -> Dropout 0.5 -> Affine -> SoftmaxWithLoss}. For MNIST the feature maps are
 * 28 → 14 (first pooling) → 16 (the fourth convolution's pad 2) → 8 → 4, and the first Affine layer
 * takes 64·4·4 = 1024 inputs. Parameters are named {@code W1, b1, ..., W8, b8} as the book's.
 *
 * <p>Weights are He-initialised, {@code sqrt(2 / fan_in) · N(0, 1)} with {@code fan_in = C·FH·FW} for a
 * convolution and the inputs for an Affine layer (the book's {@code pre_node_nums}), drawn from
 * {@code new Random(seed)} in the order W1 ... W8, so one seed gives the same network on every
 * backend; biases start at 0. The dropout masks come from a seed drawn from {@code new Random(seed + 1)}.
 *
 * <p>Two departures from the book, both deliberate:
 * <ul>
 *   <li>The book puts a second {@code Dropout(0.5)} on the scores before {@code SoftmaxWithLoss}. Ours has
 *       none: dropping scores only adds noise to the loss.</li>
 *   <li>The book's {@code Dropout} is not inverted (it scales by {@code 1 − ratio} at inference); ours is
 *       ({@link Dropout}: scaled by {@code 1 / (1 − ratio)} in training, the identity at inference). The
 *       book's trained parameters therefore need {@code W8} scaled by {@code 1 − }{@value #DROPOUT_RATIO}
 *       to give the same scores here.</li>
 * </ul>
 * The book also computes the training loss it reports in training mode (with fresh dropout masks); the
 * library's trainer and {@link #accuracy} evaluate in inference mode.
 */
public final class DeepConvNet extends Network {

    /** The ratio of the Dropout layer after the hidden Affine layer, as the book's {@code Dropout(0.5)}. */
    public static final double DROPOUT_RATIO = 0.5;

    /** Filters of the six convolutions ({@code conv_param_1 ... conv_param_6}). */
    private static final int[] FILTERS = {16, 16, 32, 32, 64, 64};

    /** Pads of the six convolutions: 1, except the fourth's 2. */
    private static final int[] PADS = {1, 1, 1, 2, 1, 1};

    /** Each convolution's filter height and width. */
    private static final int FILTER_SIZE = 3;

    private final String description;

    /**
     * The book's network with its defaults ({@code DeepConvNet()}): MNIST images {@code [N, 1, 28, 28]},
     * 50 hidden units, 10 classes.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param seed the seed of the initial weights and the dropout masks
     */
    public DeepConvNet(Backend backend, long seed) {
        this(backend, new int[] {1, 28, 28}, 50, 10, seed);
    }

    /**
     * The book's network for other input shapes and sizes ({@code input_dim}, {@code hidden_size},
     * {@code output_size}), with the book's six convolutions.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param input one sample's shape {@code [C, H, W]}
     * @param hiddenSize the units of the hidden Affine layer
     * @param outputSize the number of classes
     * @param seed the seed of the initial weights and the dropout masks
     * @throws InvalidShapeException if {@code input} is not {@code [C, H, W]} of positive sizes, or a
     *     pooling window does not fit its feature map
     * @throws IllegalArgumentException if {@code hiddenSize} or {@code outputSize} is below 1
     */
    public DeepConvNet(Backend backend, int[] input, int hiddenSize, int outputSize, long seed) {
        super(layers(backend, input, hiddenSize, outputSize, seed), new SoftmaxWithLoss());
        this.description = String.format(java.util.Locale.ROOT,
                "DeepConvNet %dx%dx%d: 3 x (conv 3x3 -> conv 3x3 -> pool 2x2) with 16, 16, 32, 32, 64, 64 filters -> %d"
                        + " -> dropout %s -> %d", input[0], input[1], input[2], hiddenSize, DROPOUT_RATIO, outputSize);
    }

    /**
     * The architecture in one line, e.g. {@code DeepConvNet 1x28x28: 3 x (conv 3x3 -> conv 3x3 -> pool 2x2)
     * with 16, 16, 32, 32, 64, 64 filters -> 50 -> dropout 0.5 -> 10}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return description;
    }

    private static List<Layer> layers(Backend nd, int[] input, int hidden, int classes, long seed) {
        if (hidden < 1 || classes < 1) {
            throw new IllegalArgumentException("DeepConvNet: hidden " + hidden + ", classes " + classes
                    + ": both must be at least 1");
        }
        if (input.length != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1) {
            throw new InvalidShapeException("DeepConvNet: input " + Arrays.toString(input)
                    + ": give one sample's shape [C, H, W] of positive sizes, e.g. [1, 28, 28]");
        }
        Random random = new Random(seed);
        List<Layer> layers = new ArrayList<>();
        int channels = input[0];
        int h = input[1];
        int w = input[2];
        for (int i = 0; i < FILTERS.length; i++) {
            h = h + 2 * PADS[i] - FILTER_SIZE + 1; // stride 1
            w = w + 2 * PADS[i] - FILTER_SIZE + 1;
            if (h < 1 || w < 1) {
                throw new InvalidShapeException("DeepConvNet: input " + Arrays.toString(input) + " leaves no output"
                        + " for convolution " + (i + 1) + "; give an input of at least 8x8");
            }
            double std = WeightInit.HE.std(channels * FILTER_SIZE * FILTER_SIZE, 0);
            layers.add(new Convolution(nd.randn(random, FILTERS[i], channels, FILTER_SIZE, FILTER_SIZE).mulInPlace(std),
                    nd.zeros(FILTERS[i]), 1, PADS[i]));
            layers.add(new Relu());
            channels = FILTERS[i];
            if (i % 2 == 1) {
                if (h < 2 || w < 2) {
                    throw new InvalidShapeException("DeepConvNet: input " + Arrays.toString(input) + " gives a " + h
                            + "x" + w + " feature map before pooling " + (i / 2 + 1) + ", smaller than its 2x2"
                            + " window; give an input of at least 8x8");
                }
                layers.add(new Pooling(2, 2, 2, 0));
                h = (h - 2) / 2 + 1;
                w = (w - 2) / 2 + 1;
            }
        }
        int flat = channels * h * w;
        layers.add(new Affine(nd.randn(random, flat, hidden).mulInPlace(WeightInit.HE.std(flat, 0)), nd.zeros(hidden)));
        layers.add(new Relu());
        layers.add(new Dropout(DROPOUT_RATIO, new Random(seed + 1).nextLong()));
        layers.add(new Affine(nd.randn(random, hidden, classes).mulInPlace(WeightInit.HE.std(hidden, 0)),
                nd.zeros(classes)));
        return layers;
    }
}
