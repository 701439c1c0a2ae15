package org.nnjava.optim;

import java.util.List;
import java.util.Map;
import org.nnjava.tensor.StepArena;
import org.nnjava.tensor.Tensor;

/**
 * Adam (chapter 6.1.6), as the book's implementation: at step {@code t} (counted from 1, once per
 * {@link #update} call),
 * <pre>
 *   lr_t = lr · √(1 − beta2^t) / (1 − beta1^t)
 *   m ← m + (1 − beta1)·(g − m)
 *   v ← v + (1 − beta2)·(g⊙g − v)
 *   W ← W − lr_t · m / (√v + 1e-7)
 * </pre>
 * State: the moments {@code m.<parameter>} and {@code v.<parameter>} (zeros at first) and the step count
 * {@code iter}, a rank-0 tensor (exact up to 2^24 steps in float32).
 */
public final class Adam implements Optimizer {

    /** The name of the step count in {@link #state()}. */
    public static final String ITER = "iter";

    /** The largest step count restored: every whole number up to 2^53 is exact in a double. */
    private static final double MAX_ITER = 0x1p53;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final SlotState state = new SlotState("Adam", "m", "v");
    private long iter;
    /** The backend of the step count in {@link #state()}: the parameters', or the restored count's. */
    private org.nnjava.tensor.Backend iterBackend;

    /** The book's defaults: lr 0.001, beta1 0.9, beta2 0.999. */
    public Adam() {
        this(0.001, 0.9, 0.999);
    }

    /**
     * Adam with the given learning rate and decay rates of the moments.
     *
     * @param learningRate the step size {@code lr}, positive and finite
     * @param beta1 the decay rate of the first moment (the book's 0.9)
     * @param beta2 the decay rate of the second moment (the book's 0.999)
     * @throws IllegalArgumentException unless {@code lr > 0} and both betas are in {@code [0, 1)}
     */
    public Adam(double learningRate, double beta1, double beta2) {
        this.learningRate = SlotState.positive("Adam", "learning rate", learningRate);
        this.beta1 = SlotState.fraction("Adam", "beta1", beta1);
        this.beta2 = SlotState.fraction("Adam", "beta2", beta2);
    }

    @Override
    public String name() {
        return "adam";
    }

    /** The learning rate. */
    @Override
    public double learningRate() {
        return learningRate;
    }

    /**
     * The decay rate of the first moment.
     *
     * @return beta1
     */
    public double beta1() {
        return beta1;
    }

    /**
     * The decay rate of the second moment.
     *
     * @return beta2
     */
    public double beta2() {
        return beta2;
    }

    /**
     * The number of updates made (the book's {@code iter}).
     *
     * @return the step count, 0 before the first update
     */
    public long iterations() {
        return iter;
    }

    @Override
    public void update(Map<String, Tensor> params, Map<String, Tensor> grads) {
        iter++;
        double lrT = learningRate * Math.sqrt(1 - Math.pow(beta2, iter)) / (1 - Math.pow(beta1, iter));
        SlotState.forEachPair("Adam", params, grads, (name, param, grad) -> {
            iterBackend = param.backend();
            Tensor m = state.get("m", name, param);
            Tensor v = state.get("v", name, param);
            m.addScaledInPlace(grad.sub(m), 1 - beta1); // m += (1 - beta1) * (g - m)
            v.addScaledInPlace(grad.mul(grad).sub(v), 1 - beta2); // v += (1 - beta2) * (g**2 - v)
            param.addScaledInPlace(m.div(v.sqrt().add(AdaGrad.EPSILON)), -lrT); // p -= lr_t * m / (sqrt(v) + eps)
        });
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> snapshot = state.snapshot();
        if (iter > 0 && iterBackend != null) {
            snapshot.put(ITER, StepArena.outside(() -> iterBackend.scalar(iter))); // a snapshot is never recycled
        }
        return snapshot;
    }

    /**
     * {@inheritDoc} Every {@code m.<parameter>} and {@code v.<parameter>} must be present and finite,
     * {@code v} also {@code >= 0}, and {@code iter} a whole number from 1 to 2^53.
     */
    @Override
    public void loadState(Map<String, ? extends Tensor> saved, Map<String, ? extends Tensor> params) {
        state.checkComplete(saved, params, List.of(ITER), List.of("v"));
        Tensor savedIter = saved.get(ITER);
        if (!saved.isEmpty()) {
            double count = savedIter.item();
            if (!(count >= 1 && count <= MAX_ITER) || count != Math.rint(count)) {
                throw new IllegalArgumentException("Adam.loadState: iter " + count + " must be a whole number from 1"
                        + " to 2^53 (the number of updates made); the state is corrupt or not Adam's");
            }
        }
        loadState(saved);
    }

    /** The step count {@code iter} is restored too (0 when absent). */
    @Override
    public void loadState(Map<String, ? extends Tensor> saved) {
        Tensor savedIter = saved.get(ITER);
        double count = savedIter == null ? 0 : savedIter.item();
        if (count < 0 || count != Math.rint(count)) {
            throw new IllegalArgumentException("Adam.loadState: iter " + count + " must be a whole number >= 0");
        }
        state.restore(saved, List.of(ITER));
        iter = (long) count;
        iterBackend = savedIter == null ? null : savedIter.backend();
    }
}
