package org.nnjava.layer;

import java.util.Map;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/**
 * Batch normalisation (chapter 6.3, the book's {@code BatchNormalization}), per feature over a batch
 * {@code [N, D]}, or per channel over an image batch {@code [N, C, H, W]} (spatial batch normalisation).
 *
 * <p>Which statistics: a 2-D input {@code [N, D]} is normalised per feature over its {@code N} rows. A
 * 4-D input {@code [N, C, H, W]} with {@code gamma} of {@code [C]} is normalised per channel over
 * {@code N·H·W} values (its {@code [N, C, H, W]} is permuted to {@code [N·H·W, C]}, normalised as rows,
 * and permuted back), so {@code gamma}, {@code beta} and the running statistics have one value per
 * channel. <b>This differs from the book</b>: {@code common/layers.py} reshapes a 4-D input to
 * {@code [N, C·H·W]} and keeps statistics per position (one mean per channel <i>and</i> pixel); that
 * behaviour remains available by giving {@code gamma} of {@code [C·H·W]}, as for any other input
 * {@code [N, ...]}, which is flattened to {@code [N, D]} and the output reshaped back.
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
 * {@code dxc = dx̂/σ + (2/N)(x − μ)⊙dvar}, {@code dx = dxc − Σ dxc / N} (with {@code N·H·W} for
 * {@code N} in the spatial case). After an inference forward the statistics are constants, so
 * {@code dx = γ⊙dout / √(running σ² + 1e-6)}.
 * Parameters {@code gamma} and {@code beta}, both {@code [D]} (or {@code [C]}). Forward and backward follow
 * {@code BatchNormalization.__forward} and {@code __backward} of the book's {@code common/layers.py}
 * line by line.
 */
public final class BatchNormalization implements Layer, ModeAware {

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

    private Shape inputShape;
    private boolean spatial;
    private boolean trainedForward;
    private int batchSize;
    private Tensor xc;
    private Tensor xn;
    private Tensor std;
    private Tensor dgamma;
    private Tensor dbeta;

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

    /**
     * The forward pass in the current mode.
     *
     * @param input {@code [N, D]}, {@code [N, C, H, W]} with {@code gamma} of {@code [C]} (per channel), or
     *     {@code [N, ...]} with {@code D} elements per sample
     * @return a new tensor of {@code input}'s shape
     * @throws ShapeMismatchException if {@code input} is none of those
     */
    @Override
    public Tensor forward(Tensor input) {
        int d = gamma.shape().dim(0);
        boolean image = input.rank() == 4 && input.shape().dim(1) == d && input.shape().dim(0) > 0;
        if (!image && (input.rank() < 2 || input.shape().dim(0) == 0 || input.size() / input.shape().dim(0) != d)) {
            throw new ShapeMismatchException("BatchNormalization.forward: x " + input.shape() + " with gamma "
                    + gamma.shape() + ": x must be a batch [N, " + d + "], images [N, " + d
                    + ", H, W] (normalised per channel), or [N, ...] with " + d + " elements per sample");
        }
        inputShape = input.shape();
        spatial = image && input.size() / input.shape().dim(0) != d; // H·W = 1 is the same either way
        Tensor x = rows(input);
        trainedForward = training;
        if (training) {
            Tensor mu = x.mean(0);
            xc = x.sub(mu);
            Tensor var = xc.mul(xc).mean(0);
            std = var.add(EPSILON).sqrt();
            xn = xc.div(std);
            batchSize = x.shape().dim(0);
            runningMean.assign(runningMean.mul(momentum).add(mu.mul(1 - momentum)));
            runningVar.assign(runningVar.mul(momentum).add(var.mul(1 - momentum)));
        } else {
            xc = x.sub(runningMean);
            std = runningVar.add(EPSILON).sqrt();
            xn = xc.div(std);
        }
        Tensor out = xn.mul(gamma).add(beta);
        return shaped(out);
    }

    /**
     * The backward pass of the last forward.
     *
     * @param dout the gradient of the output, of the last forward input's shape
     * @return a new tensor, the gradient of the input, of the last forward input's shape
     * @throws IllegalStateException before any forward
     * @throws ShapeMismatchException if {@code dout} has not the shape of the last forward's images
     */
    @Override
    public Tensor backward(Tensor dout) {
        Cache.require(xn, "BatchNormalization");
        if (spatial && !dout.shape().equals(inputShape)) {
            throw new ShapeMismatchException("BatchNormalization.backward: dout " + dout.shape() + " after an input "
                    + inputShape + ": dout must have the forward output's shape");
        }
        Tensor d = spatial ? rows(dout) : dout.rank() == 2 ? dout : dout.reshape(xn.shape().dim(0), gamma.shape().dim(0));
        dbeta = d.sum(0);
        dgamma = xn.mul(d).sum(0);
        Tensor dxn = d.mul(gamma);
        Tensor dxc = dxn.div(std);
        if (!trainedForward) {
            return shaped(dxc); // the statistics were constants: nothing flows through them
        }
        Tensor dstd = dxn.mul(xc).div(std.mul(std)).sum(0).neg();
        Tensor dvar = dstd.mul(0.5).div(std);
        dxc = dxc.add(xc.mul(2.0 / batchSize).mul(dvar));
        Tensor dmu = dxc.sum(0);
        return shaped(dxc.sub(dmu.div(batchSize)));
    }

    /** {@code t} as the rows normalised: {@code [N·H·W, C]} for images, else {@code [N, D]}. */
    private Tensor rows(Tensor t) {
        if (spatial) {
            return t.permute(0, 2, 3, 1).reshape(-1, gamma.shape().dim(0));
        }
        return t.rank() == 2 ? t : t.reshape(t.shape().dim(0), gamma.shape().dim(0));
    }

    /** {@code g} (the rows of {@link #rows}) in the last forward's input shape. */
    private Tensor shaped(Tensor g) {
        if (spatial) {
            Shape s = inputShape;
            return g.reshape(s.dim(0), s.dim(2), s.dim(3), s.dim(1)).permute(0, 3, 1, 2);
        }
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
        return dgamma == null ? Map.of() : NamedPair.of("gamma", dgamma, "beta", dbeta);
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
