package org.nnjava.layer;

/**
 * A layer that behaves differently in training and in inference (the book's {@code train_flg}):
 * {@link BatchNormalization} uses batch statistics or running ones, {@link Dropout} drops units or
 * passes everything. Layers start in training mode; {@link org.nnjava.net.Network#setTraining} switches
 * every such layer of a network.
 */
public interface ModeAware {

    /**
     * Switches to training mode ({@code true}) or inference mode ({@code false}) for the next forward.
     *
     * @param training {@code true} for training mode, {@code false} for inference
     */
    void setTraining(boolean training);

    /**
     * Whether the next forward runs in training mode.
     *
     * @return {@code true} in training mode
     */
    boolean isTraining();
}
