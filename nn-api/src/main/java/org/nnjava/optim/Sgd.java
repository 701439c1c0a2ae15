package org.nnjava.optim;

import java.util.Map;
import org.nnjava.tensor.Tensor;

/** Stochastic gradient descent (chapter 6.1.2): {@code W ← W − lr · ∂L/∂W}, in place. */
public final class Sgd implements Optimizer {

    private final double learningRate;

    /**
     * SGD with learning rate {@code lr} (the book's default is 0.01; its MNIST training uses 0.1).
     *
     * @param learningRate the step size {@code lr}, positive and finite
     * @throws IllegalArgumentException unless {@code lr > 0}
     */
    public Sgd(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Sgd: learning rate " + learningRate + " must be a positive number");
        }
        this.learningRate = learningRate;
    }

    @Override
    public String name() {
        return "sgd";
    }

    /** The learning rate. */
    @Override
    public double learningRate() {
        return learningRate;
    }

    @Override
    public void update(Map<String, Tensor> params, Map<String, Tensor> grads) {
        SlotState.forEachPair("Sgd", params, grads, (name, param, grad) -> param.addScaledInPlace(grad, -learningRate));
    }
}
