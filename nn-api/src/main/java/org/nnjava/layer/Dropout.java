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
 * <p>Backward follows the last forward: after a training forward it multiplies {@code dout} by that
 * forward's scaled mask (never a new one); after an inference forward it returns a copy of {@code dout}.
 * With buffer reuse on ({@link BufferReuse}) the mask, the output and {@code dx} live in buffers this
 * layer owns and overwrites on its next pass.
 */
public final class Dropout implements Layer, ModeAware, BufferReuse, Stochastic {

    private final double ratio;
    private final ResumableRandom random;
    private final Workspace workspace = new Workspace();
    private final Workspace.Buffer maskBuffer = workspace.buffer();
    private final Workspace.Buffer out = workspace.buffer();
    private final Workspace.Buffer dx = workspace.buffer();
    /** The draws of one forward, kept between calls so that a training step allocates no array. */
    private double[] draws = new double[0];
    private boolean training = true;
    /** The last training forward's mask scaled by 1 / (1 − ratio), or null after an inference forward. */
    private Tensor scaledMask;
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
            scaledMask = null;
            return out.like(x).assign(x);
        }
        double scale = 1.0 / (1.0 - ratio);
        if (draws.length != x.size()) {
            draws = new double[x.size()];
        }
        for (int i = 0; i < draws.length; i++) {
            draws[i] = random.nextDouble() > ratio ? scale : 0.0;
        }
        scaledMask = maskBuffer.like(x).assign(draws);
        return x.mul(scaledMask, out.like(x));
    }

    @Override
    public void reuseBuffers(boolean reuse) {
        workspace.setReuse(reuse);
    }

    @Override
    public Tensor backward(Tensor dout) {
        if (!forwarded) {
            throw new IllegalStateException("Dropout.backward: called before forward; run forward first,"
                    + " so the layer has the mask its backward pass needs");
        }
        return scaledMask == null ? dx.like(dout).assign(dout) : dout.mul(scaledMask, dx.like(dout));
    }

    /**
     * The last training forward's mask, 1 where a unit was kept and 0 where it was dropped (the book's
     * {@code self.mask}).
     *
     * @return the mask, of the last input's shape
     * @throws IllegalStateException if the last forward ran in inference mode or there was none
     */
    public Tensor mask() {
        if (scaledMask == null) {
            throw new IllegalStateException("Dropout.mask: no mask; the last forward ran in inference mode or"
                    + " there was none: run a forward in training mode first");
        }
        return scaledMask.gt(0.0);
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
