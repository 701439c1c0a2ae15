package org.nnjava.layer;

import org.nnjava.tensor.Tensor;

/**
 * Inverted dropout (chapter 6.4.3, scaled at training time rather than at inference as the book does).
 * In training mode each element is kept where a uniform draw {@code u > ratio} and then scaled by
 * {@code 1 / (1 − ratio)}, else set to 0, so the expected output equals the input; in inference mode
 * the output is the input. The draws come from {@code new Random(seed)} in Java, one per element in
 * row-major order and forward call, so that one seed gives the same masks on every backend; the
 * generator's state can be saved and restored ({@link Stochastic}), so resumed training draws the same masks.
 *
 * <p>The book's {@code Dropout} ({@code common/layers.py}) line by line, but inverted:
 * {@code mask = rand(x.shape) > ratio}, scaled by {@code 1 / (1 − ratio)} so that inference needs no
 * rescaling; {@code out = x * mask}; backward {@code dout * mask}, with the last training forward's mask
 * (never a new one). After an inference forward, forward returns {@code x} itself and backward
 * {@code dout} itself.
 */
public final class Dropout implements Layer, ModeAware, Stochastic {

    private final double ratio;
    private final ResumableRandom random;
    private boolean training = true;
    /** The last training forward's mask scaled by 1 / (1 − ratio), or null after an inference forward. */
    private Tensor mask;
    private boolean forwarded;

    /**
     * Dropout of a fraction {@code ratio} of the units, with masks drawn from {@code new Random(seed)}.
     *
     * @param ratio the fraction of units dropped in training, in {@code [0, 1)}
     * @param seed the seed of the masks' generator
     * @throws IllegalArgumentException unless {@code 0 <= ratio < 1}
     */
    public Dropout(double ratio, long seed) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("Dropout: ratio " + ratio + " must be in [0, 1)"
                    + " (the fraction of units dropped at training time)");
        }
        this.ratio = ratio;
        this.random = new ResumableRandom(seed);
    }

    /**
     * The fraction of units dropped at training time.
     *
     * @return the ratio given at creation
     */
    public double ratio() {
        return ratio;
    }

    @Override
    public Tensor forward(Tensor x) {
        forwarded = true;
        if (!training) {
            mask = null;
            return x;
        }
        mask = x.backend().rand(random, x.shape().dims()).gt(ratio).mul(1.0 / (1.0 - ratio));
        return x.mul(mask);
    }

    @Override
    public Tensor backward(Tensor dout) {
        if (!forwarded) {
            throw new IllegalStateException("Dropout.backward: called before forward; run forward first,"
                    + " so the layer has the mask its backward pass needs");
        }
        return mask == null ? dout : dout.mul(mask);
    }

    /**
     * The last training forward's mask, 1 where a unit was kept and 0 where it was dropped (the book's
     * {@code self.mask}).
     *
     * @return the mask, of the last input's shape
     * @throws IllegalStateException if the last forward ran in inference mode or there was none
     */
    public Tensor mask() {
        if (mask == null) {
            throw new IllegalStateException("Dropout.mask: no mask; the last forward ran in inference mode or"
                    + " there was none: run a forward in training mode first");
        }
        return mask.gt(0.0);
    }

    @Override
    public long randomState() {
        return random.state();
    }

    @Override
    public void restoreRandomState(long state) {
        random.restore(state);
    }

    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    @Override
    public boolean isTraining() {
        return training;
    }
}
