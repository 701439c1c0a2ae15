package org.nnjava.net;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.nnjava.layer.Affine;
import org.nnjava.layer.Convolution;
import org.nnjava.layer.Layer;
import org.nnjava.layer.Pooling;
import org.nnjava.layer.Relu;
import org.nnjava.layer.SoftmaxWithLoss;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.InvalidShapeException;

/**
 * The book's convolutional network of chapter 7.5 ({@code ch07/simple_convnet.py}):
 * {@code Convolution1 -> Relu1 -> Pooling1 (2×2, stride 2) -> Affine1 -> Relu2 -> Affine2 -> SoftmaxWithLoss},
 * with parameters {@code W1 [FN, C, FS, FS], b1 [FN], W2 [FN·PH·PW, hidden], b2, W3 [hidden, classes], b3}.
 * Weights are {@code weightInitStd · N(0, 1)} from {@code new Random(seed)}, drawn in that order (W1, W2,
 * W3), so one seed gives the same network on every backend; biases are 0.
 *
 * <p>Sizes are integers: {@code OH = (H + 2·pad − FS) / stride + 1} (and {@code OW} from {@code W}), the
 * pooled {@code PH = (OH − 2) / 2 + 1}, and Affine1 takes {@code FN·PH·PW} inputs: 30·12·12 = 4320 for
 * MNIST. The book computes the pooled size in floating point from the height alone
 * ({@code int(FN * (OH/2) * (OH/2))}), which is wrong for an odd {@code OH} or a non-square input.
 */
public final class SimpleConvNet extends Network {

    /** The book's {@code weight_init_std}. */
    public static final double DEFAULT_WEIGHT_INIT_STD = 0.01;

    private final String description;

    /**
     * The book's network with its defaults ({@code SimpleConvNet()}): MNIST images {@code [N, 1, 28, 28]},
     * 30 filters 5×5 with pad 0 and stride 1, 100 hidden units, 10 classes, weights {@code 0.01 · N(0, 1)}.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param seed the seed of the initial weights
     */
    public SimpleConvNet(Backend backend, long seed) {
        this(backend, new int[] {1, 28, 28}, 30, 5, 0, 1, 100, 10, DEFAULT_WEIGHT_INIT_STD, seed);
    }

    /**
     * The book's network with every parameter given.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @param input one sample's shape {@code [C, H, W]} ({@code input_dim})
     * @param filters the number of filters ({@code filter_num})
     * @param filterSize each filter's height and width ({@code filter_size})
     * @param pad the convolution's zero border ({@code pad})
     * @param stride the convolution's stride ({@code stride})
     * @param hiddenSize the hidden layer's units ({@code hidden_size})
     * @param outputSize the number of classes ({@code output_size})
     * @param weightInitStd the standard deviation of the initial weights ({@code weight_init_std})
     * @param seed the seed of the initial weights
     * @throws InvalidShapeException if {@code input} is not {@code [C, H, W]} of positive sizes, or the
     *     convolution leaves less than one 2×2 pooling window
     * @throws IllegalArgumentException if a size is below 1 or the pad below 0
     */
    public SimpleConvNet(Backend backend, int[] input, int filters, int filterSize, int pad, int stride,
            int hiddenSize, int outputSize, double weightInitStd, long seed) {
        super(layers(backend, input, filters, filterSize, pad, stride, hiddenSize, outputSize, weightInitStd,
                new Random(seed)), new SoftmaxWithLoss());
        this.description = String.format(java.util.Locale.ROOT,
                "SimpleConvNet %dx%dx%d: conv %d %dx%d (pad %d, stride %d) -> pool 2x2 -> %d -> %d", input[0], input[1],
                input[2], filters, filterSize, filterSize, pad, stride, hiddenSize, outputSize);
    }

    /**
     * The architecture in one line, e.g.
     * {@code SimpleConvNet 1x28x28: conv 30 5x5 (pad 0, stride 1) -> pool 2x2 -> 100 -> 10}.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return description;
    }

    private static List<Layer> layers(Backend nd, int[] input, int filters, int fs, int pad,
            int stride, int hidden, int classes, double std, Random random) {
        if (filters < 1 || fs < 1 || stride < 1 || pad < 0 || hidden < 1 || classes < 1) {
            throw new IllegalArgumentException("SimpleConvNet: filters " + filters + ", filter size " + fs
                    + ", stride " + stride + ", pad " + pad + ", hidden " + hidden + ", classes " + classes
                    + ": every size must be >= 1 and the pad >= 0");
        }
        if (input.length != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1) {
            throw new InvalidShapeException("SimpleConvNet: input " + Arrays.toString(input)
                    + ": give one sample's shape [C, H, W] of positive sizes, e.g. [1, 28, 28]");
        }
        int oh = Math.floorDiv(input[1] + 2 * pad - fs, stride) + 1;
        int ow = Math.floorDiv(input[2] + 2 * pad - fs, stride) + 1;
        if (oh < 2 || ow < 2) {
            throw new InvalidShapeException("SimpleConvNet: input " + Arrays.toString(input) + " with "
                    + fs + "x" + fs + " filters, pad " + pad + ", stride " + stride + " gives a " + oh + "x" + ow
                    + " feature map, smaller than the 2x2 pooling window; use a larger input or smaller filters");
        }
        int pooled = filters * ((oh - 2) / 2 + 1) * ((ow - 2) / 2 + 1);
        return List.of(
                new Convolution(nd.randn(random, filters, input[0], fs, fs).mulInPlace(std), nd.zeros(filters), stride, pad),
                new Relu(),
                new Pooling(2, 2, 2, 0),
                new Affine(nd.randn(random, pooled, hidden).mulInPlace(std), nd.zeros(hidden)),
                new Relu(),
                new Affine(nd.randn(random, hidden, classes).mulInPlace(std), nd.zeros(classes)));
    }
}
