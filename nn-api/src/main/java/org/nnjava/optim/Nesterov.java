package org.nnjava.optim;

import java.util.List;
import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * Nesterov's accelerated gradient (chapter 6.1.7's reference optimizer), in the reformulation of Bengio,
 * Boulanger-Lewandowski and Pascanu, "Advances in optimizing recurrent networks" (arXiv:1212.0901,
 * eq. 7), which evaluates the gradient at the current parameters:
 * <pre>
 *   W ← W + momentum²·v − (1 + momentum)·lr·g     (with v from before this step)
 *   v ← momentum·v − lr·g
 * </pre>
 * This is the corrected update order of the book's {@code common/optimizer.py}: the first printing
 * updated {@code v} first and then used the new {@code v} in the {@code momentum²} term. Computed here
 * as the equivalent {@code v ← momentum·v − lr·g; W ← W + momentum·v − lr·g}. State: {@code v.<parameter>}.
 */
public final class Nesterov implements Optimizer {

    private final double learningRate;
    private final double momentum;
    private final SlotState state = new SlotState("Nesterov", "v");

    /** The book's defaults: lr 0.01, momentum 0.9. */
    public Nesterov() {
        this(0.01, 0.9);
    }

    /**
     * Nesterov's accelerated gradient with the given learning rate and momentum.
     *
     * @param learningRate the step size {@code lr}, positive and finite
     * @param momentum the fraction of the velocity kept per step (the book's 0.9)
     * @throws IllegalArgumentException unless {@code lr > 0} and {@code 0 <= momentum < 1}
     */
    public Nesterov(double learningRate, double momentum) {
        this.learningRate = SlotState.positive("Nesterov", "learning rate", learningRate);
        this.momentum = SlotState.fraction("Nesterov", "momentum", momentum);
    }

    @Override
    public String name() {
        return "nesterov";
    }

    /** The learning rate. */
    @Override
    public double learningRate() {
        return learningRate;
    }

    /**
     * The momentum (the fraction of the velocity kept per step).
     *
     * @return the momentum, in {@code [0, 1)}
     */
    public double momentum() {
        return momentum;
    }

    @Override
    public void update(Map<String, Tensor> params, Map<String, Tensor> grads) {
        SlotState.forEachPair("Nesterov", params, grads, (name, param, grad) -> {
            Tensor v = state.get("v", name, param);
            v.mulInPlace(momentum).addScaledInPlace(grad, -learningRate);
            param.addScaledInPlace(v, momentum).addScaledInPlace(grad, -learningRate);
        });
    }

    @Override
    public Map<String, Tensor> state() {
        return state.snapshot();
    }

    /** {@inheritDoc} Every {@code v.<parameter>} must be present and finite. */
    @Override
    public void loadState(Map<String, ? extends Tensor> saved, Map<String, ? extends Tensor> params) {
        state.checkComplete(saved, params, List.of(), List.of());
        loadState(saved);
    }

    @Override
    public void loadState(Map<String, ? extends Tensor> saved) {
        state.restore(saved, List.of());
    }
}
