package org.nnjava.net;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.nnjava.tensor.Backend;

/**
 * The architecture of one of the library's fully connected networks, everything needed to build it
 * again: what a checkpoint records so that {@code predict} and {@code --resume} rebuild the network
 * from the file alone.
 *
 * <ul>
 *   <li>{@link Kind#TWO_LAYER_NET}: the book's {@link TwoLayerNet} (one hidden ReLU layer, weights
 *       {@code initStd · N(0, 1)}), no chapter-6 option;</li>
 *   <li>{@link Kind#MULTI_LAYER_NET_EXTEND}: a {@link MultiLayerNetExtend} with every option.</li>
 * </ul>
 * {@link #of} picks the kind as the {@code train} command does: the book's TwoLayerNet for one hidden
 * size, ReLU and no other option, else a MultiLayerNetExtend.
 *
 * @param kind which network class
 * @param inputSize inputs per sample (784 for MNIST)
 * @param hidden the hidden layer sizes, each at least 1, at least one
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
        MULTI_LAYER_NET_EXTEND("multi-layer-net-extend");

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
            throw new IllegalArgumentException("unknown network kind '" + label + "': expected two-layer-net or"
                    + " multi-layer-net-extend");
        }
    }

    /**
     * Checks every field.
     *
     * @param kind which network class
     * @param inputSize inputs per sample, at least 1
     * @param hidden the hidden layer sizes, each at least 1, at least one; copied
     * @param outputSize the number of classes, at least 1
     * @param activation the hidden activation
     * @param init the weight initialisation; null for the activation's default
     * @param initStd the standard deviation when {@code init} is {@link WeightInit#STD}
     * @param batchNorm batch normalisation after each hidden Affine layer
     * @param dropout the dropout ratio after each hidden activation, in {@code [0, 1)}, 0 for none
     * @param weightDecay the L2 weight decay λ, finite and {@code >= 0}, 0 for none
     * @param seed the seed of the initial weights and the dropout masks
     * @throws IllegalArgumentException naming the field, its value and the rule broken
     */
    public NetworkSpec {
        hidden = List.copyOf(hidden);
        positive("input size", inputSize);
        positive("output size", outputSize);
        if (hidden.isEmpty()) {
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
     * A new network of this architecture, its weights drawn from {@link #seed()} on {@code backend}.
     *
     * @param backend the backend (and dtype) of the network's tensors
     * @return a new network in training mode
     */
    public Network build(Backend backend) {
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
     * {@code 784-50-10 relu} plus the options that are on, for messages.
     *
     * @return a one-line description, e.g. {@code 784-50-10 relu}
     */
    public String describe() {
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
