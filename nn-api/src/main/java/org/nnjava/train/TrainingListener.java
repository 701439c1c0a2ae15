package org.nnjava.train;

import java.util.List;

/** Observes a training run, e.g. to draw a progress bar or log lines. Every method does nothing by default. */
public interface TrainingListener {

    /**
     * Before the first iteration of this run.
     *
     * @param config what this run trains: {@code config.iterations()} more iterations
     * @param iterationsPerEpoch iterations between evaluations
     * @param iterationsDone the iterations done before this run (0 unless resumed)
     */
    default void started(TrainingConfig config, int iterationsPerEpoch, int iterationsDone) {
    }

    /**
     * After iteration {@code iteration} (1-based, counted over the whole run) with the minibatch loss.
     *
     * @param iteration the iteration just done, 1-based
     * @param loss its minibatch loss
     */
    default void iteration(int iteration, double loss) {
    }

    /**
     * After an evaluation over the whole sets.
     *
     * @param metrics the epoch, iteration and both accuracies
     */
    default void evaluated(EpochMetrics metrics) {
    }

    /**
     * After each evaluation, with everything measured so far: the network and the optimizer are between
     * two iterations, so a checkpoint written now is consistent. The listener may save one.
     *
     * @param soFar the losses and evaluations of the whole run so far
     */
    default void progress(TrainingResult soFar) {
    }

    /**
     * A warning about the run, such as a loss that keeps growing.
     *
     * @param message one line
     */
    default void warning(String message) {
    }

    /**
     * After the last iteration and evaluation.
     *
     * @param result the losses and evaluations of the whole run
     */
    default void finished(TrainingResult result) {
    }

    /**
     * A listener that forwards every call to each of {@code listeners}, in order.
     *
     * @param listeners the listeners, in the order they are called
     * @return a listener calling each of them
     */
    static TrainingListener all(TrainingListener... listeners) {
        List<TrainingListener> each = List.of(listeners);
        return new TrainingListener() {
            @Override
            public void started(TrainingConfig config, int iterationsPerEpoch, int iterationsDone) {
                each.forEach(l -> l.started(config, iterationsPerEpoch, iterationsDone));
            }

            @Override
            public void iteration(int iteration, double loss) {
                for (int i = 0; i < each.size(); i++) { // by index: no iterator on the training step's path
                    each.get(i).iteration(iteration, loss);
                }
            }

            @Override
            public void evaluated(EpochMetrics metrics) {
                each.forEach(l -> l.evaluated(metrics));
            }

            @Override
            public void progress(TrainingResult soFar) {
                each.forEach(l -> l.progress(soFar));
            }

            @Override
            public void warning(String message) {
                each.forEach(l -> l.warning(message));
            }

            @Override
            public void finished(TrainingResult result) {
                each.forEach(l -> l.finished(result));
            }
        };
    }
}
