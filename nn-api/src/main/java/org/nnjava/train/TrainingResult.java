package org.nnjava.train;

import java.time.Duration;
import java.util.List;

/**
 * What a training run measured, from its first iteration: a resumed run's result includes what the runs
 * before it measured, so that the iterations, the CSV files and the plot cover the whole run.
 *
 * @param losses the minibatch loss of every iteration, in order
 * @param epochs the evaluations at each epoch boundary and at the end of each run
 * @param elapsed the wall time of the runs, evaluations included
 * @param stopped whether the run was stopped before its last iteration ({@link Trainer#requestStop})
 */
public record TrainingResult(List<Double> losses, List<EpochMetrics> epochs, Duration elapsed, boolean stopped) {

    /**
     * A result of the given values; the lists are copied.
     *
     * @param losses the minibatch loss of every iteration, in order
     * @param epochs the evaluations, in order
     * @param elapsed the wall time of the runs
     * @param stopped whether the run was stopped before its last iteration
     */
    public TrainingResult {
        losses = List.copyOf(losses);
        epochs = List.copyOf(epochs);
    }

    /**
     * A run that ran to its end.
     *
     * @param losses the minibatch loss of every iteration, in order
     * @param epochs the evaluations, in order
     * @param elapsed the wall time of the runs
     */
    public TrainingResult(List<Double> losses, List<EpochMetrics> epochs, Duration elapsed) {
        this(losses, epochs, elapsed, false);
    }

    /**
     * Nothing trained yet: where a new run starts.
     *
     * @return a result of no iterations, no evaluations and no time
     */
    public static TrainingResult none() {
        return new TrainingResult(List.of(), List.of(), Duration.ZERO);
    }

    /**
     * The number of iterations done: {@code losses().size()}.
     *
     * @return the number of losses
     */
    public int iterations() {
        return losses.size();
    }

    /**
     * The last evaluation.
     *
     * @return the last of {@link #epochs()}
     * @throws IllegalStateException if there was none
     */
    public EpochMetrics last() {
        if (epochs.isEmpty()) {
            throw new IllegalStateException("training result: no evaluation yet; train at least one iteration");
        }
        return epochs.get(epochs.size() - 1);
    }
}
