package org.nnjava.net;

import java.util.Locale;
import java.util.function.Supplier;
import org.nnjava.layer.Layer;
import org.nnjava.layer.Relu;
import org.nnjava.layer.Sigmoid;
import org.nnjava.layer.Tanh;

/** The hidden-layer activations of {@link MultiLayerNet}, with the weight scale that suits each. */
public enum Activation {
    /** {@link Relu}, with He initialisation: {@code std = sqrt(2 / fan_in)}. */
    RELU(Relu::new, 2.0),
    /** {@link Sigmoid}, with Xavier initialisation: {@code std = sqrt(1 / fan_in)}. */
    SIGMOID(Sigmoid::new, 1.0),
    /** {@link Tanh}, with Xavier initialisation: {@code std = sqrt(1 / fan_in)}. */
    TANH(Tanh::new, 1.0);

    private final Supplier<Layer> factory;
    private final double gain;

    Activation(Supplier<Layer> factory, double gain) {
        this.factory = factory;
        this.gain = gain;
    }

    /**
     * A new layer of this activation.
     *
     * @return a new layer
     */
    public Layer newLayer() {
        return factory.get();
    }

    /**
     * The default standard deviation of weights fed by {@code fanIn} inputs: He for ReLU, Xavier for sigmoid and tanh.
     *
     * @param fanIn the number of inputs of each unit
     * @return {@code sqrt(2 / fanIn)} for ReLU, {@code sqrt(1 / fanIn)} otherwise
     */
    public double defaultStd(int fanIn) {
        return Math.sqrt(gain / fanIn);
    }

    /**
     * Parses {@code relu}, {@code sigmoid} or {@code tanh} (case-insensitive).
     *
     * @param text the name, any case
     * @return the activation of that name
     * @throws IllegalArgumentException for another name
     */
    public static Activation parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + text + "': use relu, sigmoid or tanh", e);
        }
    }
}
