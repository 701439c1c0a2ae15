package org.nnjava.layer;

import java.util.Random;

/**
 * A {@link Random} whose whole state is one number that can be read and restored, so that a layer drawing
 * random numbers (dropout's masks) continues after a checkpoint exactly where it stopped.
 *
 * <p>It runs the linear congruential generator that {@code java.util.Random} specifies
 * ({@code seed ← (seed · 0x5DEECE66D + 0xB) mod 2^48}, scrambled at seeding by {@code 0x5DEECE66D}), so
 * {@code new ResumableRandom(s)} yields exactly the {@code nextInt}, {@code nextLong} and
 * {@code nextDouble} values of {@code new Random(s)}. {@code nextGaussian} keeps a second value between
 * calls that is not part of {@link #state()}: callers that resume must not use it.
 */
final class ResumableRandom extends Random {

    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long ADDEND = 0xBL;
    private static final long MASK = (1L << 48) - 1;

    private long state;

    /** The generator {@code new Random(seed)} would be. */
    ResumableRandom(long seed) {
        super(seed);
        this.state = (seed ^ MULTIPLIER) & MASK;
    }

    /** A generator continuing from {@code state}, a value {@link #state()} returned. */
    static ResumableRandom fromState(long state) {
        ResumableRandom random = new ResumableRandom(0);
        random.restore(state);
        return random;
    }

    /** The generator's state: 48 bits, so a value in {@code [0, 2^48)}. */
    long state() {
        return state;
    }

    /**
     * Continues from {@code state}.
     *
     * @throws IllegalArgumentException if {@code state} is outside {@code [0, 2^48)}
     */
    void restore(long state) {
        if ((state & ~MASK) != 0) {
            throw new IllegalArgumentException("random state " + state + " is outside [0, 2^48); it was not saved"
                    + " from this generator");
        }
        this.state = state;
    }

    @Override
    public synchronized void setSeed(long seed) {
        super.setSeed(seed);
        state = (seed ^ MULTIPLIER) & MASK;
    }

    @Override
    protected int next(int bits) {
        state = (state * MULTIPLIER + ADDEND) & MASK;
        return (int) (state >>> (48 - bits));
    }
}
