package org.nnjava.layer;

import java.util.Map;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Batch normalisation (chapter 6.3, the book's {@code BatchNormalization}), per feature over a batch
 * {@code [N, D]} (an input {@code [N, ...]} is flattened to {@code [N, D]} and the output reshaped back).
 *
 * <p>Training mode: {@code μ = mean(x, 0)}, {@code σ² = mean((x − μ)², 0)},
 * {@code x̂ = (x − μ) / √(σ² + 1e-6)}, {@code out = γ⊙x̂ + β}; the running statistics become
 * {@code momentum·running + (1 − momentum)·batch} (the biased {@code σ²}, as the book). Inference mode
 * normalises with the running mean and variance instead. Running mean starts at 0 and running variance
 * at 1 (not the book's 0, so that inference before any training is the identity rather than a division
 * by {@code √1e-6}).
 *
 * <p>Backward after a training forward is the book's: {@code dβ = Σ dout}, {@code dγ = Σ x̂⊙dout},
 * {@code dx̂ = γ⊙dout}, {@code dσ = −Σ dx̂⊙(x − μ) / σ²}, {@code dvar = dσ / 2σ},
 * {@code dxc = dx̂/σ + (2/N)(x − μ)⊙dvar}, {@code dx = dxc − Σ dxc / N}. After an inference forward the
 * statistics are constants, so {@code dx = γ⊙dout / √(running σ² + 1e-6)}.
 * Parameters {@code gamma} and {@code beta}, both {@code [D]}. With buffer reuse on ({@link BufferReuse})
 * every intermediate, the output, {@code dx} and the gradients live in buffers this layer owns.
 */
public final class BatchNormalization implements Layer, ModeAware, BufferReuse {

    /** The book's {@code 10e-7} added to the variance before the square root. */
    public static final double EPSILON = 1e-6;
    /** The book's default momentum of the running statistics. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    private final Tensor gamma;
    private final Tensor beta;
    private final double momentum;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private boolean training = true;
    private final Map<String, Tensor> params;
    private Map<String, Tensor> grads = Map.of();
    private final Workspace workspace = new Workspace();
    /** {@code [N, D]} buffers: x − μ, x̂, the output, a temporary, dx̂ and dxc (returned as dx). */
    private final Workspace.Buffer xcBuffer = workspace.buffer();
    private final Workspace.Buffer xnBuffer = workspace.buffer();
    private final Workspace.Buffer out = workspace.buffer();
    private final Workspace.Buffer scratch = workspace.buffer();
    private final Workspace.Buffer dxnBuffer = workspace.buffer();
    private final Workspace.Buffer dxcBuffer = workspace.buffer();
    /** {@code [D]} buffers: μ, σ², σ, σ², dγ, dβ, dσ, dμ. */
    private final Workspace.Buffer mu = workspace.buffer();
    private final Workspace.Buffer var = workspace.buffer();
    private final Workspace.Buffer stdBuffer = workspace.buffer();
    private final Workspace.Buffer stdSquared = workspace.buffer();
    private final Workspace.Buffer dGammaBuffer = workspace.buffer();
    private final Workspace.Buffer dBetaBuffer = workspace.buffer();
    private final Workspace.Buffer dStd = workspace.buffer();
    private final Workspace.Buffer dMu = workspace.buffer();

    private Shape inputShape;
    private boolean trainedForward;
    private Tensor xc;
    private Tensor xn;
    private Tensor std;
    private Tensor dGamma;
    private Tensor dBeta;

    /**
     * A layer over live parameters {@code gamma} and {@code beta} ({@code [D]} each), momentum 0.9.
     *
     * @param gamma the scale {@code [D]}, kept and trained in place
     * @param beta the shift {@code [D]}, kept and trained in place
     * @throws ShapeMismatchException unless both are {@code [D]} for the same {@code D}
     */
    public BatchNormalization(Tensor gamma, Tensor beta) {
        this(gamma, beta, DEFAULT_MOMENTUM);
    }

    /**
     * A layer over live parameters {@code gamma} and {@code beta} ({@code [D]} each).
     *
     * @param gamma the scale {@code [D]}, kept and trained in place
     * @param beta the shift {@code [D]}, kept and trained in place
     * @param momentum the weight of the old running statistics in each update
     * @throws ShapeMismatchException unless both are {@code [D]} for the same {@code D}
     * @throws IllegalArgumentException unless {@code 0 <= momentum <= 1}
     */
    public BatchNormalization(Tensor gamma, Tensor beta, double momentum) {
        if (gamma.rank() != 1 || !gamma.shape().equals(beta.shape())) {
            throw new ShapeMismatchException("BatchNormalization: gamma " + gamma.shape() + ", beta " + beta.shape()
                    + ": both must be [D], one value per feature");
        }
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: momentum " + momentum + " must be in [0, 1]");
        }
        this.gamma = gamma;
        this.beta = beta;
        this.momentum = momentum;
        this.runningMean = gamma.backend().zeros(gamma.shape().dims());
        this.runningVar = gamma.backend().ones(gamma.shape().dims());
        this.params = NamedPair.of("gamma", gamma, "beta", beta);
    }

    @Override
    public void reuseBuffers(boolean reuse) {
        workspace.setReuse(reuse);
    }

    @Override
    public Tensor forward(Tensor input) {
        int d = gamma.shape().dim(0);
        if (input.rank() < 2 || input.shape().dim(0) == 0 || input.size() / input.shape().dim(0) != d) {
            throw new ShapeMismatchException("BatchNormalization.forward: x " + input.shape() + " with gamma "
                    + gamma.shape() + ": x must be a batch [N, " + d + "] (or [N, ...] with " + d
                    + " elements per sample)");
        }
        inputShape = input.shape();
        Tensor x = input.rank() == 2 ? input : input.reshape(input.shape().dim(0), d);
        trainedForward = training;
        if (training) {
            Tensor mean = x.mean(0, mu.like(gamma));
            xc = x.sub(mean, xcBuffer.like(x));
            Tensor variance = xc.mul(xc, scratch.like(x)).mean(0, var.like(gamma));
            std = variance.add(EPSILON, stdBuffer.like(gamma)).sqrtInPlace();
            runningMean.mulInPlace(momentum).addInPlace(mean.mulInPlace(1 - momentum));
            runningVar.mulInPlace(momentum).addInPlace(variance.mulInPlace(1 - momentum));
        } else {
            xc = x.sub(runningMean, xcBuffer.like(x));
            std = runningVar.add(EPSILON, stdBuffer.like(gamma)).sqrtInPlace();
        }
        xn = xc.div(std, xnBuffer.like(x));
        Tensor y = xn.mul(gamma, out.like(x)).addInPlace(beta);
        return inputShape.rank() == 2 ? y : y.reshape(inputShape.dims());
    }

    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(xn, "BatchNormalization");
        int n = xn.shape().dim(0);
        int features = gamma.shape().dim(0);
        boolean fits = dout.rank() == 2 && dout.shape().dim(0) == n && dout.shape().dim(1) == features;
        Tensor d = fits ? dout : dout.reshape(n, features);
        dBeta = d.sum(0, dBetaBuffer.like(beta));
        dGamma = xn.mul(d, scratch.like(xn)).sum(0, dGammaBuffer.like(gamma));
        grads = NamedPair.reuse(grads, "gamma", dGamma, "beta", dBeta);
        Tensor dxn = d.mul(gamma, dxnBuffer.like(xn));
        Tensor dxc = dxn.div(std, dxcBuffer.like(xn));
        if (!trainedForward) {
            return shaped(dxc);
        }
        Tensor dstd = dxn.mul(xc, scratch.like(xn)).divInPlace(std.mul(std, stdSquared.like(std)))
                .sum(0, dStd.like(gamma)).negInPlace();
        Tensor dvar = dstd.mulInPlace(0.5).divInPlace(std);
        dxc.addInPlace(xc.mul(dvar, scratch.like(xn)).mulInPlace(2.0 / n));
        Tensor dmu = dxc.sum(0, dMu.like(gamma));
        return shaped(dxc.subInPlace(dmu.mulInPlace(1.0 / n)));
    }

    /** {@code g} ({@code [N, D]}) in the last forward's input shape. */
    private Tensor shaped(Tensor g) {
        return inputShape.rank() == 2 ? g : g.reshape(inputShape.dims());
    }

    /** {@code gamma} and {@code beta}, the live tensors (an unmodifiable map). */
    @Override
    public Map<String, Tensor> params() {
        return params;
    }

    /** {@code dgamma} and {@code dbeta} of the last backward (an unmodifiable map; empty before any). */
    @Override
    public Map<String, Tensor> grads() {
        return grads;
    }

    /** {@code running_mean} and {@code running_var}, so that a checkpoint keeps the statistics inference uses. */
    @Override
    public Map<String, Tensor> buffers() {
        return NamedPair.of("running_mean", runningMean, "running_var", runningVar);
    }

    /**
     * The running mean {@code [D]}, live (updated by each training forward).
     *
     * @return the live tensor
     */
    public Tensor runningMean() {
        return runningMean;
    }

    /**
     * The running variance {@code [D]}, live (updated by each training forward).
     *
     * @return the live tensor
     */
    public Tensor runningVar() {
        return runningVar;
    }

    /**
     * The momentum of the running statistics.
     *
     * @return the momentum, in {@code [0, 1]}
     */
    public double momentum() {
        return momentum;
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
