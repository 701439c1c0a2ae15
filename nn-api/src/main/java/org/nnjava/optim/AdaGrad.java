package org.nnjava.optim;

import java.util.List;
import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * AdaGrad (chapter 6.1.5): {@code h ← h + g⊙g}, then {@code W ← W − lr·g / (√h + 1e-7)}, in place.
 * State: the sum of squared gradients {@code h.<parameter>}, zeros at first.
 */
public final class AdaGrad implements Optimizer {

    /** The book's {@code 1e-7} added to {@code √h} so that a zero gradient does not divide by zero. */
    public static final double EPSILON = 1e-7;

    private final double learningRate;
    private final SlotState state = new SlotState("AdaGrad", "h");

    /** The book's default: lr 0.01. */
    public AdaGrad() {
        this(0.01);
    }

    /**
     * AdaGrad with learning rate {@code lr}.
     *
     * @param learningRate the step size {@code lr}, positive and finite
     * @throws IllegalArgumentException unless {@code lr > 0}
     */
    public AdaGrad(double learningRate) {
        this.learningRate = SlotState.positive("AdaGrad", "learning rate", learningRate);
    }

    @Override
    public String name() {
        return "adagrad";
    }

    /** The learning rate. */
    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void update(Map<String, Tensor> params, Map<String, Tensor> grads) {
        SlotState.forEachPair("AdaGrad", params, grads, (name, param, grad) -> {
            Tensor h = state.get("h", name, param);
            h.addInPlace(grad.mul(grad));
            step(param, grad, h, learningRate);
        });
    }

    /** {@code param -= lr · g / (sqrt(h) + ε)}, the book's line. Shared with {@link RmsProp}. */
    static void step(Tensor param, Tensor grad, Tensor h, double learningRate) {
        param.addScaledInPlace(grad.div(h.sqrt().add(EPSILON)), -learningRate);
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
