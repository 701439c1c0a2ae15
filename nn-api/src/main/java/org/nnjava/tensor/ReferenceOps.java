package org.nnjava.tensor;

/**
 * The one reference implementation of each composition, written on the {@link Tensor} primitives. A
 * backend may override {@link Tensor#softmax()}, {@link Tensor#logSoftmax()}, {@link Tensor#sigmoid()}
 * or the fused {@link Tensor#softmaxCrossEntropy} with a faster kernel; the conformance kit checks such
 * an override against these.
 */
public final class ReferenceOps {

    private ReferenceOps() {
    }

    /**
     * Softmax along the last axis: {@code y_i = exp(x_i - m) / Σ_j exp(x_j - m)} with {@code m = max_j x_j}.
     * Subtracting the maximum keeps {@code exp} from overflowing: logits {@code [1000, 1000]} give
     * {@code [0.5, 0.5]}. A scalar gives 1.
     *
     * @param x the scores, any shape (rows along the last axis)
     * @return a new tensor of {@code x}'s shape whose rows sum to 1
     */
    public static Tensor softmax(Tensor x) {
        Tensor rows = asRows(x);
        Tensor shifted = rows.sub(rows.max(1).reshape(-1, 1));
        Tensor e = shifted.exp();
        return e.div(e.sum(1).reshape(-1, 1)).reshape(x.shape().dims());
    }

    /**
     * Log-softmax along the last axis: {@code x_i - m - log Σ_j exp(x_j - m)} with {@code m = max_j x_j}.
     * Finite for any finite input, even {@code [Double.MAX_VALUE, 1, 2, 3]}.
     *
     * @param x the scores, any shape (rows along the last axis)
     * @return a new tensor of {@code x}'s shape
     */
    public static Tensor logSoftmax(Tensor x) {
        Tensor rows = asRows(x);
        Tensor shifted = rows.sub(rows.max(1).reshape(-1, 1));
        Tensor logSumExp = shifted.exp().sum(1).log().reshape(-1, 1);
        return shifted.sub(logSumExp).reshape(x.shape().dims());
    }

    /**
     * The logistic function {@code 1 / (1 + exp(-x))}. In IEEE arithmetic this reaches its limits
     * exactly and never produces NaN: {@code exp(-x)} overflows to infinity for large negative
     * {@code x}, giving {@code 1 / inf = 0}, and underflows to 0 for large positive {@code x}, giving 1.
     *
     * @param x any tensor
     * @return a new tensor of {@code x}'s shape
     */
    public static Tensor sigmoid(Tensor x) {
        return x.neg().exp().addInPlace(1.0).rdiv(1.0);
    }

    /**
     * Softmax with cross-entropy: writes {@code softmax(x)} into {@code probabilities} and returns
     * {@code -Σ t · logSoftmax(x)} over the elements where {@code t != 0}. Where {@code t} is 0 a
     * log-probability may be {@code -inf} (a probability that underflowed): those terms are dropped
     * before multiplying, since {@code 0 · -inf} would be NaN.
     *
     * @param x the scores, at least one element, rows along the last axis
     * @param t the labels, of {@code x}'s shape
     * @param probabilities a tensor of {@code x}'s shape, distinct from {@code x} and {@code t}; overwritten
     * @return the cross-entropy summed over every row
     */
    public static double softmaxCrossEntropy(Tensor x, Tensor t, Tensor probabilities) {
        Tensor logP = x.logSoftmax();
        probabilities.assign(logP.exp());
        return -logP.maskedFill(t.eq(0.0), 0.0).mul(t).sum().item();
    }

    private static Tensor asRows(Tensor x) {
        int last = x.rank() == 0 ? 1 : x.shape().dim(-1);
        if (last == 0) {
            throw new ShapeMismatchException("softmax: " + x.shape() + ": the last axis is empty");
        }
        return x.reshape(-1, last);
    }
}
