package org.nnjava.optim;

import java.util.List;
import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * RMSprop (chapter 6.1.5's note, the book's {@code RMSprop}): {@code h ← decay·h + (1 − decay)·g⊙g},
 * then {@code W ← W − lr·g / (√h + 1e-7)}, in place. State: {@code h.<parameter>}, zeros at first.
 */
public final class RmsProp implements Optimizer {

    private final double learningRate;
    private final double decayRate;
    private final SlotState state = new SlotState("RmsProp", "h");

    /** The book's defaults: lr 0.01, decay 0.99. */
    public RmsProp() {
        this(0.01, 0.99);
    }

    /**
     * RMSprop with the given learning rate and decay rate.
     *
     * @param learningRate the step size {@code lr}, positive and finite
     * @param decayRate the weight of the old mean of squared gradients in each update (the book's 0.99)
     * @throws IllegalArgumentException unless {@code lr > 0} and {@code 0 <= decay < 1}
     */
    public RmsProp(double learningRate, double decayRate) {
        this.learningRate = SlotState.positive("RmsProp", "learning rate", learningRate);
        this.decayRate = SlotState.fraction("RmsProp", "decay rate", decayRate);
    }

    @Override
    public String name() {
        return "rmsprop";
    }

    /** The learning rate. */
    @Override
    public double learningRate() {
        return learningRate;
    }

    /**
     * The decay rate of the mean of squared gradients.
     *
     * @return the decay rate, in {@code [0, 1)}
     */
    public double decayRate() {
        return decayRate;
    }

    @Override
    public void update(Map<String, Tensor> params, Map<String, Tensor> grads) {
        SlotState.forEachPair("RmsProp", params, grads, (name, param, grad) -> {
            Tensor h = state.get("h", name, param);
            h.mulInPlace(decayRate).addScaledInPlace(grad.mul(grad), 1 - decayRate);
            AdaGrad.step(param, grad, h, learningRate);
        });
    }

    @Override
    public Map<String, Tensor> state() {
        return state.snapshot();
    }

    /** {@inheritDoc} Every {@code h.<parameter>} must be present, finite and >= 0. */
    @Override
    public void loadState(Map<String, ? extends Tensor> saved, Map<String, ? extends Tensor> params) {
        state.checkComplete(saved, params, List.of(), List.of("h"));
        loadState(saved);
    }

    @Override
    public void loadState(Map<String, ? extends Tensor> saved) {
        state.restore(saved, List.of());
    }
}
