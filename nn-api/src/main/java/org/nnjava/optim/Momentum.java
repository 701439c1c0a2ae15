package org.nnjava.optim;

import java.util.List;
import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * Momentum SGD (chapter 6.1.4): {@code v ← momentum·v − lr·g}, then {@code W ← W + v}, in place.
 * State: the velocity {@code v.<parameter>}, zeros at first.
 */
public final class Momentum implements Optimizer {

    private final double learningRate;
    private final double momentum;
    private final SlotState state = new SlotState("Momentum", "v");

    /** The book's defaults: lr 0.01, momentum 0.9. */
    public Momentum() {
        this(0.01, 0.9);
    }

    /**
     * Momentum SGD with the given learning rate and momentum.
     *
     * @param learningRate the step size {@code lr}, positive and finite
     * @param momentum the fraction of the velocity kept per step (the book's 0.9)
     * @throws IllegalArgumentException unless {@code lr > 0} and {@code 0 <= momentum < 1}
     */
    public Momentum(double learningRate, double momentum) {
        this.learningRate = SlotState.positive("Momentum", "learning rate", learningRate);
        this.momentum = SlotState.fraction("Momentum", "momentum", momentum);
    }

    @Override
    public String name() {
        return "momentum";
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
        SlotState.forEachPair("Momentum", params, grads, (name, param, grad) -> {
            Tensor v = state.get("v", name, param);
            v.mulInPlace(momentum).addScaledInPlace(grad, -learningRate);
            param.addInPlace(v);
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
