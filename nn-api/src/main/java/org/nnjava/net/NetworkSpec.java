package org.nnjava.net;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * The architecture of one of the library's networks, everything needed to build it again: what a
 * checkpoint records so that {@code predict} and {@code --resume} rebuild the network from the file alone.
 *
 * <ul>
 *   <li>{@link Kind#TWO_LAYER_NET}: the book's {@link TwoLayerNet} (one hidden ReLU layer, weights
 *       {@code initStd · N(0, 1)}), no chapter-6 option;</li>
 *   <li>{@link Kind#MULTI_LAYER_NET_EXTEND}: a {@link MultiLayerNetExtend} with every option;</li>
 *   <li>{@link Kind#SIMPLE_CONVNET}: the book's {@link SimpleConvNet} of {@code ch07/simple_convnet.py} with
 *       its defaults (30 filters 5×5, 100 hidden units, weights {@code 0.01 · N(0, 1)});</li>
 *   <li>{@link Kind#DEEP_CONVNET}: the book's {@link DeepConvNet} of {@code ch08/deep_convnet.py} with its
 *       defaults (six 3×3 convolutions, 50 hidden units, He weights, its fixed dropout 0.5).</li>
 * </ul>
 * {@link #of} picks a fully connected kind as the {@code train} command does: the book's TwoLayerNet for
 * one hidden size, ReLU and no other option, else a MultiLayerNetExtend. {@link #convNet} gives a
 * convolutional kind: the book's fixed architectures, so a convnet's spec has no hidden sizes, ReLU, the
 * default initialisation and none of chapter 6's options (its own layers, DeepConvNet's dropout
 * included, are part of the architecture, not of the spec); its input is one channel of
 * {@code s × s} pixels, {@code inputSize = s²} ({@link #inputShape()}).
 *
 * @param kind which network class
 * @param inputSize inputs per sample (784 for MNIST); a square for the convnets
 * @param hidden the hidden layer sizes, each at least 1, at least one; none for the convnets
 * @param outputSize the number of classes
 * @param activation the hidden activation
 * @param init the weight initialisation; null for the activation's default ({@link WeightInit#forActivation})
 * @param initStd the standard deviation when {@code init} is {@link WeightInit#STD}
 * @param batchNorm batch normalisation after each hidden Affine layer
 * @param dropout the dropout ratio after each hidden activation, 0 for none
 * @param weightDecay the L2 weight decay λ, 0 for none
 * @param seed the seed of the initial weights and the dropout masks
 * @serial exclude
 */
public record NetworkSpec(Kind kind, int inputSize, List<Integer> hidden, int outputSize, Activation activation,
        WeightInit init, double initStd, boolean batchNorm, double dropout, double weightDecay, long seed)
        implements java.io.Serializable {

    /** The network classes a spec can build. */
    public enum Kind {
        /** {@link TwoLayerNet}. */
        TWO_LAYER_NET("two-layer-net"),
        /** {@link MultiLayerNetExtend}. */
        MULTI_LAYER_NET_EXTEND("multi-layer-net-extend"),
        /** {@link SimpleConvNet} with the book's defaults ({@code ch07/simple_convnet.py}). */
        SIMPLE_CONVNET("simple-convnet"),
        /** {@link DeepConvNet} with the book's defaults ({@code ch08/deep_convnet.py}). */
        DEEP_CONVNET("deep-convnet");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /**
         * The name a checkpoint records.
         *
         * @return the label, e.g. {@code two-layer-net}
         */
        public String label() {
            return label;
        }

        /**
         * The kind called {@code label}.
         *
         * @param label a label that {@link #label()} returns
         * @return the kind with that label
         * @throws IllegalArgumentException for an unknown label
         */
        public static Kind parse(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown network kind '" + label + "': expected one of "
                    + Arrays.stream(values()).map(Kind::label).collect(Collectors.joining(", ")));
        }

        /**
         * Whether this is one of the book's convolutional networks, whose architecture is fixed.
         *
         * @return true for {@link #SIMPLE_CONVNET} and {@link #DEEP_CONVNET}
         */
        public boolean isConvNet() {
            return this == SIMPLE_CONVNET || this == DEEP_CONVNET;
        }
    }

    /**
     * Checks every field.
     *
     * @param kind which network class
     * @param inputSize inputs per sample, at least 1; a square {@code s²} for the convnets
     * @param hidden the hidden layer sizes, each at least 1, at least one; empty for the convnets; copied
     * @param outputSize the number of classes, at least 1
     * @param activation the hidden activation
     * @param init the weight initialisation; null for the activation's default
     * @param initStd the standard deviation when {@code init} is {@link WeightInit#STD}
     * @param batchNorm batch normalisation after each hidden Affine layer
     * @param dropout the dropout ratio after each hidden activation, in {@code [0, 1)}, 0 for none
     * @param weightDecay the L2 weight decay λ, finite and {@code >= 0}, 0 for none
     * @param seed the seed of the initial weights and the dropout masks
     * @throws IllegalArgumentException naming the field, its value and the rule broken; for a convnet, also
     *     a hidden size, an activation other than ReLU, an initialisation or a chapter-6 option, or an input
     *     size that is not a square
     */
    public NetworkSpec {
        hidden = List.copyOf(hidden);
        positive("input size", inputSize);
        positive("output size", outputSize);
        if (kind != null && kind.isConvNet()) {
            checkConvNet(kind, inputSize, hidden, activation, init, initStd, batchNorm, dropout, weightDecay);
        } else if (hidden.isEmpty()) {
            throw new IllegalArgumentException("network: no hidden layer; give at least one hidden size");
        }
        hidden.forEach(size -> positive("hidden layer size", size));
        if (activation == null || kind == null) {
            throw new IllegalArgumentException("network: the kind and the activation must be given");
        }
        if (!(initStd > 0) || Double.isInfinite(initStd)) {
            throw new IllegalArgumentException("network: initial weight std " + initStd + " must be a positive number");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("network: dropout ratio " + dropout + " must be in [0, 1)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("network: weight decay " + weightDecay + " must be a finite number >= 0");
        }
        if (kind == Kind.TWO_LAYER_NET && !isBook(hidden, activation, init, batchNorm, dropout, weightDecay)) {
            throw new IllegalArgumentException("network: a two-layer-net has one hidden ReLU layer with a fixed"
                    + " initial std and no chapter-6 option; use multi-layer-net-extend");
        }
    }

    private static void checkConvNet(Kind kind, int inputSize, List<Integer> hidden, Activation activation,
            WeightInit init, double initStd, boolean batchNorm, double dropout, double weightDecay) {
        if (!hidden.isEmpty() || activation != Activation.RELU || init != null
                || initStd != TwoLayerNet.DEFAULT_WEIGHT_INIT_STD || batchNorm || dropout != 0 || weightDecay != 0) {
            throw new IllegalArgumentException("network: a " + kind.label() + " is the book's fixed architecture: no"
                    + " hidden sizes, ReLU, the default initialisation, no batch norm, dropout or weight decay; found"
                    + " hidden " + hidden + ", " + activation + ", init " + init + " (std " + initStd + "), batch norm "
                    + batchNorm + ", dropout " + dropout + ", weight decay " + weightDecay);
        }
        side(kind, inputSize);
    }

    /** The side {@code s} of a convnet's square input, {@code inputSize = s²}. */
    private static int side(Kind kind, int inputSize) {
        int s = (int) Math.round(Math.sqrt(inputSize));
        if (s * s != inputSize) {
            throw new IllegalArgumentException("network: a " + kind.label() + " takes square one-channel images"
                    + " [1, s, s], but the input size " + inputSize + " is not a square (" + s + "x" + s + " = " + s * s
                    + "); use a data set of square images such as mnist, or --net mlp");
        }
        return s;
    }

    private static void positive(String what, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("network: " + what + " " + value + " must be at least 1");
        }
    }

    private static boolean isBook(List<Integer> hidden, Activation activation, WeightInit init, boolean batchNorm,
            double dropout, double weightDecay) {
        return hidden.size() == 1 && activation == Activation.RELU && (init == null || init == WeightInit.STD)
                && !batchNorm && dropout == 0 && weightDecay == 0;
    }

    /**
     * The spec the {@code train} command builds from its options: the book's {@link TwoLayerNet} (initial
     * std 0.01) for one hidden size, ReLU, no {@code init} and no chapter-6 option; else a
     * {@link MultiLayerNetExtend}. {@code init} is null for the default, {@code std}, {@code xavier},
     * {@code he}, or a standard deviation such as {@code 0.05}.
     *
     * @param inputSize inputs per sample, at least 1
     * @param hidden the hidden layer sizes, each at least 1, at least one
     * @param outputSize the number of classes, at least 1
     * @param activation the hidden activation
     * @param init null, {@code std}, {@code xavier}, {@code he}, or a positive standard deviation
     * @param batchNorm batch normalisation after each hidden Affine layer
     * @param dropout the dropout ratio, 0 for none
     * @param weightDecay λ, 0 for none
     * @param seed the seed of the initial weights and the dropout masks
     * @return the spec
     * @throws IllegalArgumentException for an invalid value, named
     */
    public static NetworkSpec of(int inputSize, List<Integer> hidden, int outputSize, Activation activation,
            String init, boolean batchNorm, double dropout, double weightDecay, long seed) {
        if (init == null && isBook(hidden, activation, null, batchNorm, dropout, weightDecay)) {
            return new NetworkSpec(Kind.TWO_LAYER_NET, inputSize, hidden, outputSize, activation, WeightInit.STD,
                    TwoLayerNet.DEFAULT_WEIGHT_INIT_STD, false, 0, 0, seed);
        }
        WeightInit scale = null;
        double std = TwoLayerNet.DEFAULT_WEIGHT_INIT_STD;
        if (init != null && init.trim().matches("[0-9.eE+-]+")) {
            scale = WeightInit.STD;
            try {
                std = Double.parseDouble(init.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("network: initial weight std '" + init + "' is not a number", e);
            }
        } else if (init != null) {
            scale = WeightInit.parse(init);
        }
        return new NetworkSpec(Kind.MULTI_LAYER_NET_EXTEND, inputSize, hidden, outputSize, activation, scale, std,
                batchNorm, dropout, weightDecay, seed);
    }

    /**
     * The spec of one of the book's convolutional networks with its defaults, for square one-channel
     * images of {@code inputSize = s²} pixels.
     *
     * @param kind {@link Kind#SIMPLE_CONVNET} or {@link Kind#DEEP_CONVNET}
     * @param inputSize pixels per image, a square (784 for MNIST's 28×28)
     * @param outputSize the number of classes, at least 1
     * @param seed the seed of the initial weights (and of DeepConvNet's dropout masks)
     * @return the spec
     * @throws IllegalArgumentException if {@code kind} is not a convnet, or {@code inputSize} is not a square
     */
    public static NetworkSpec convNet(Kind kind, int inputSize, int outputSize, long seed) {
        if (kind == null || !kind.isConvNet()) {
            throw new IllegalArgumentException("network: " + kind + " is not a convolutional network; use"
                    + " simple-convnet or deep-convnet, or NetworkSpec.of for a fully connected one");
        }
        return new NetworkSpec(kind, inputSize, List.of(), outputSize, Activation.RELU, null,
                TwoLayerNet.DEFAULT_WEIGHT_INIT_STD, false, 0, 0, seed);
    }

    /**
     * One sample's input shape as the network's first layer takes it: {@code [inputSize]} for the fully
     * connected networks, {@code [1, s, s]} with {@code s² = inputSize} for the convnets.
     *
     * @return a new array of the dimensions after the batch axis
     */
    public int[] inputShape() {
        if (kind.isConvNet()) {
            int s = side(kind, inputSize);
            return new int[] {1, s, s};
        }
        return new int[] {inputSize};
    }

    /**
     * Flat inputs {@code [N, inputSize]} (as data sets load them) in the shape the network takes:
     * {@code x} itself for the fully connected networks, the view {@code x.reshape(N, 1, s, s)} for the
     * convnets (the book's {@code load_mnist(flatten=False)}).
     *
     * @param x the inputs, {@code [N, inputSize]}; not copied
     * @return {@code x} or a view of it of shape {@code [N, inputShape()...]}
     * @throws ShapeMismatchException if {@code x} is not {@code [N, inputSize]}
     */
    public Tensor asInput(Tensor x) {
        if (x.rank() != 2 || x.shape().dim(1) != inputSize) {
            throw new ShapeMismatchException("network " + kind.label() + ": inputs " + x.shape() + ": expected flat"
                    + " samples [N, " + inputSize + "]");
        }
        if (!kind.isConvNet()) {
            return x;
        }
        int[] shape = inputShape();
        return x.reshape(x.shape().dim(0), shape[0], shape[1], shape[2]);
    }

    /**
     * A new network of this architecture, its weights drawn from {@link #seed()} on {@code backend}.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @return a new network in training mode
     * @throws org.nnjava.tensor.InvalidShapeException if a convnet's input is too small for its layers
     */
    public Network build(Backend backend) {
        if (kind == Kind.SIMPLE_CONVNET) {
            return new SimpleConvNet(backend, inputShape(), 30, 5, 0, 1, 100, outputSize,
                    SimpleConvNet.DEFAULT_WEIGHT_INIT_STD, seed);
        }
        if (kind == Kind.DEEP_CONVNET) {
            return new DeepConvNet(backend, inputShape(), 50, outputSize, seed);
        }
        if (kind == Kind.TWO_LAYER_NET) {
            return new TwoLayerNet(backend, inputSize, hidden.get(0), outputSize, initStd, seed);
        }
        MultiLayerNetExtend.Builder builder = MultiLayerNetExtend.builder(backend, inputSize, outputSize)
                .hidden(hidden.stream().mapToInt(Integer::intValue).toArray()).activation(activation)
                .batchNorm(batchNorm).dropout(dropout).weightDecay(weightDecay).seed(seed);
        if (init == WeightInit.STD) {
            builder.init(initStd);
        } else if (init != null) {
            builder.init(init);
        }
        return builder.build();
    }

    /**
     * {@code 784-50-10 relu} plus the options that are on, or {@code simple-convnet 1x28x28-10}, for messages.
     *
     * @return a one-line description, e.g. {@code 784-50-10 relu}
     */
    public String describe() {
        if (kind.isConvNet()) {
            return kind.label() + " " + Arrays.stream(inputShape()).mapToObj(String::valueOf)
                    .collect(Collectors.joining("x")) + "-" + outputSize;
        }
        StringBuilder text = new StringBuilder().append(inputSize).append('-')
                .append(hidden.stream().map(String::valueOf).collect(Collectors.joining("-"))).append('-')
                .append(outputSize).append(' ').append(activation.name().toLowerCase(Locale.ROOT));
        if (batchNorm) {
            text.append(", batch norm");
        }
        if (dropout > 0) {
            text.append(", dropout ").append(dropout);
        }
        if (weightDecay > 0) {
            text.append(", weight decay ").append(weightDecay);
        }
        return text.toString();
    }
}
