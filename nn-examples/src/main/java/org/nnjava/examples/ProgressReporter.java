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
            // The bar's own width computation leaves out the extra message: keep room for it, so that a
            // refresh never wraps (which would leave a trail of lines).
            int width = Math.max(40, TerminalWidth.columns() - EXTRA_WIDTH - 1);
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(250).showSpeed().setUnit(" it", 1).setMaxRenderedLength(width)
                    .startsFrom(iterationsDone, java.time.Duration.ZERO).build();
        }
    }

    /** The extra message's fixed width: {@code " | loss 12.3456"}. */
    static final int EXTRA_WIDTH = 16;

    /** The loss as the bar's extra message, separated from the rate and padded to {@link #EXTRA_WIDTH}. */
    static String extraMessage(double loss) {
        String text = String.format(Locale.ROOT, " | loss %.4f", loss);
        return text.length() >= EXTRA_WIDTH ? text.substring(0, EXTRA_WIDTH) : text + " ".repeat(EXTRA_WIDTH - text.length());
    }

    @Override
    public void warning(String message) {
        if (bar != null) {
            System.err.print("\r\033[K");
        }
        System.err.println("nn train: warning: " + message);
        System.err.flush();
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
        String line = String.format(Locale.ROOT, "epoch %d (iteration %d): train acc %.4f, test acc %.4f", m.epoch(),
                m.iteration(), m.trainAccuracy(), m.testAccuracy());
        if (bar != null) {
            // Printing through the bar's own stream keeps the bar on one line below the log.
            System.err.print("\r\033[K");
            System.err.flush();
        }
        out.println(line);
        out.flush();
    }

    @Override
    public void finished(TrainingResult result) {
        if (bar != null) {
            bar.stepTo(total);
            bar.close();
        }
    }
}
