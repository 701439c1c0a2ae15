package org.nnjava.net;

import java.util.Locale;

/**
 * How initial weights are scaled (chapter 6.2): each weight matrix fed by {@code n} inputs is
 * {@code std · N(0, 1)} with {@code std} fixed ({@link #STD}), {@code sqrt(1/n)} ({@link #XAVIER}) or
 * {@code sqrt(2/n)} ({@link #HE}).
 */
public enum WeightInit {
    /** A fixed standard deviation, the same for every layer (the book's {@code weight_init_std=0.01}). */
    STD,
    /** Xavier (Glorot) initialisation, {@code sqrt(1/n)}: for sigmoid and tanh. */
    XAVIER,
    /** He initialisation, {@code sqrt(2/n)}: for ReLU. */
    HE;

    /**
     * The standard deviation of weights fed by {@code fanIn} inputs; {@code fixedStd} is used by
     * {@link #STD} only.
     *
     * @param fanIn the number of inputs of each unit, the previous layer's size
     * @param fixedStd the standard deviation for {@link #STD}
     * @return the standard deviation
     */
    public double std(int fanIn, double fixedStd) {
        return switch (this) {
            case STD -> fixedStd;
            case XAVIER -> Math.sqrt(1.0 / fanIn);
            case HE -> Math.sqrt(2.0 / fanIn);
        };
    }

    /**
     * The initialisation that suits {@code activation}: He for ReLU, Xavier for sigmoid and tanh.
     *
     * @param activation the hidden activation
     * @return {@link #HE} or {@link #XAVIER}
     */
    public static WeightInit forActivation(Activation activation) {
        return activation == Activation.RELU ? HE : XAVIER;
    }

    /**
     * Parses {@code std}, {@code xavier} or {@code he} (case-insensitive).
     *
     * @param text the name, any case
     * @return the initialisation of that name
     * @throws IllegalArgumentException for another name
     */
    public static WeightInit parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown weight initialisation '" + text + "': use std, xavier or he", e);
        }
    }
}
