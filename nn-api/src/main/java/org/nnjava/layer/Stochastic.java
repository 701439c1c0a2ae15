package org.nnjava.layer;

/**
 * A layer that draws random numbers (dropout's masks): its generator's state can be read and restored,
 * so that training resumed from a checkpoint draws exactly what uninterrupted training would have.
 */
public interface Stochastic {

    /**
     * The state of the layer's random generator, a value in {@code [0, 2^48)}.
     *
     * @return the state
     */
    long randomState();

    /**
     * Continues the layer's random draws from {@code state}, a value {@link #randomState()} returned.
     *
     * @param state a state {@link #randomState()} returned
     * @throws IllegalArgumentException if {@code state} is outside {@code [0, 2^48)}
     */
    void restoreRandomState(long state);
}
