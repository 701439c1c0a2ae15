package org.nnjava.optim;

import java.util.Map;
import org.nnjava.tensor.Tensor;

/**
 * Updates parameters in place from their gradients, both by name (the book's
 * {@code optimizer.update(params, grads)}, chapter 6.1).
 *
 * <p>An optimizer with memory (Momentum's velocity, AdaGrad's sum of squares, Adam's moments and step
 * count) exposes it through {@link #state()} and takes it back through {@link #loadState}, so that a
 * checkpoint can hold it and resumed training continues exactly as uninterrupted training would.
 */
public interface Optimizer {

    /**
     * Updates every parameter that has a gradient of the same name; does not modify {@code grads}.
     *
     * @param params the live parameters by name; updated in place
     * @param grads the gradients by parameter name, each of its parameter's shape; only read
     * @throws IllegalArgumentException if a gradient has no parameter of its name
     */
    void update(Map<String, Tensor> params, Map<String, Tensor> grads);

    /**
     * A snapshot (copies) of the optimizer's state, by flat names that a {@code .npz} accepts: one entry
     * per state slot and parameter, {@code <slot>.<parameter>} (e.g. {@code v.W1}, {@code h.b2},
     * {@code m.W1}), plus scalars such as Adam's step count {@code iter} (a rank-0 tensor). Empty for a
     * stateless optimizer such as SGD, and before the first update.
     *
     * @return a new map of copies, by entry name
     */
    default Map<String, Tensor> state() {
        return Map.of();
    }

    /**
     * Replaces the optimizer's state by {@code state} as {@link #state()} returned it (copied; tensors may
     * come from any backend or dtype, and are converted to the parameter's at the next update).
     *
     * @param state entries by the names {@link #state()} uses; copied, not kept
     * @throws IllegalArgumentException if a name is not one of this optimizer's state entries
     */
    default void loadState(Map<String, ? extends Tensor> state) {
        if (!state.isEmpty()) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ".loadState: entries " + state.keySet()
                    + ": this optimizer has no state; load a state saved from the same kind of optimizer");
        }
    }

    /**
     * The name {@link Optimizers#create} knows this optimizer by ({@code sgd}, {@code adam}, ...), so that a
     * checkpoint can record it; empty for an optimizer of a user's own, which a checkpoint cannot rebuild.
     *
     * @return the name, or empty
     */
    default String name() {
        return "";
    }

    /**
     * The learning rate, or {@code NaN} for an optimizer that has none.
     *
     * @return the step size, or NaN
     */
    default double learningRate() {
        return Double.NaN;
    }

    /**
     * {@link #loadState(Map)}, after checking that {@code state} is complete for {@code params}: either
     * empty (an optimizer that has not stepped yet) or holding every entry an update of these parameters
     * would have made, each of its parameter's shape, finite, and within the entry's range (a sum or
     * average of squares is never negative; a step count is a whole number). The default checks nothing
     * more than {@link #loadState(Map)} does.
     *
     * @param state entries by the names {@link #state()} uses; copied, not kept
     * @param params the parameters the optimizer will update, by name; only read
     * @throws IllegalArgumentException listing the missing, misshapen or invalid entries; nothing is
     *     loaded then
     */
    default void loadState(Map<String, ? extends Tensor> state, Map<String, ? extends Tensor> params) {
        loadState(state);
    }
}
