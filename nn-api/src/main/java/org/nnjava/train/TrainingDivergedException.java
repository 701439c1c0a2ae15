package org.nnjava.train;

/**
 * Training produced a loss that is not a finite number (NaN or infinity): the parameters are no longer
 * usable. Thrown by {@link Trainer} at the iteration it happened; no checkpoint is written from that state.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The 1-based iteration whose loss was not finite.
     */
    private final int iteration;
    /**
     * The loss, NaN or infinite.
     */
    private final double loss;
    /**
     * The learning rate in use, or NaN.
     */
    private final double learningRate;

    /**
     * @param iteration the 1-based iteration whose loss was not finite
     * @param loss that loss
     * @param learningRate the optimizer's learning rate ({@code NaN} if it has none)
     */
    public TrainingDivergedException(int iteration, double loss, double learningRate) {
        super("training diverged at iteration " + iteration + ": the loss is " + loss
                + (Double.isNaN(learningRate) ? "" : " with learning rate " + learningRate)
                + "; train again with a smaller learning rate");
        this.iteration = iteration;
        this.loss = loss;
        this.learningRate = learningRate;
    }

    /**
     * The 1-based iteration whose loss was not finite.
     *
     * @return the iteration, 1-based
     */
    public int iteration() {
        return iteration;
    }

    /**
     * The loss, NaN or infinite.
     *
     * @return the loss
     */
    public double loss() {
        return loss;
    }

    /**
     * The learning rate in use, or {@code NaN}.
     *
     * @return the learning rate
     */
    public double learningRate() {
        return learningRate;
    }
}
