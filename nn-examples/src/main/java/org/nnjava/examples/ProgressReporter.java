package org.nnjava.examples;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nnjava.train.EpochMetrics;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;

/**
 * Shows a training run: on a terminal, a progress bar with the current loss and iterations per second
 * (plus a line per evaluation); otherwise plain log lines, one per evaluation and one every
 * {@value #LOG_EVERY} iterations; nothing at all when quiet.
 */
final class ProgressReporter implements TrainingListener {

    static final int LOG_EVERY = 1000;

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private ProgressBar bar;
    private BarLine line;
    private int total;

    ProgressReporter(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
    }

    @Override
    public void started(TrainingConfig config, int iterationsPerEpoch, int iterationsDone) {
        total = iterationsDone + config.iterations();
        if (!quiet && terminal) {
            line = new BarLine(System.err, TerminalWidth.columns());
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).showSpeed().setUnit(" it", 1).setConsumer(line)
                    .startsFrom(iterationsDone, java.time.Duration.ZERO).build();
        }
    }

    /** The loss as the bar's extra message, separated from the rate. */
    static String extraMessage(double loss) {
        return String.format(Locale.ROOT, " | loss %.4f", loss);
    }

    @Override
    public void warning(String message) {
        String text = "nn train: warning: " + message;
        if (line != null) {
            line.println(new PrintWriter(System.err, true), text);
        } else {
            System.err.println(text);
            System.err.flush();
        }
    }

    @Override
    public void iteration(int iteration, double loss) {
        if (bar != null) {
            bar.stepTo(iteration);
            bar.setExtraMessage(extraMessage(loss));
        } else if (!quiet && iteration % LOG_EVERY == 0) {
            out.printf(Locale.ROOT, "iteration %d/%d  loss %.4f%n", iteration, total, loss);
            out.flush();
        }
    }

    @Override
    public void evaluated(EpochMetrics m) {
        if (quiet) {
            return;
        }
        String text = String.format(Locale.ROOT, "epoch %d (iteration %d): train acc %.4f, test acc %.4f", m.epoch(),
                m.iteration(), m.trainAccuracy(), m.testAccuracy());
        if (line != null) {
            line.println(out, text);
        } else {
            out.println(text);
            out.flush();
        }
    }

    @Override
    public void finished(TrainingResult result) {
        if (bar != null) {
            bar.stepTo(total);
            bar.close();
        }
    }
}
