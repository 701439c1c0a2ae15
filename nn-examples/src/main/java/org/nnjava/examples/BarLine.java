package org.nnjava.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * Draws a progress bar on one terminal line that is never wider than the terminal, and lets log lines be
 * printed above it: the bar's refresh thread and {@link #println} take turns under one lock, so a refresh
 * never lands between clearing the bar and printing the line (which left a trail of bar lines).
 */
final class BarLine implements ProgressBarConsumer {

    private final PrintStream terminal;
    private final int width;
    private final Object lock = new Object();
    private String last = "";

    /** A bar on {@code terminal}, at most {@code columns - 1} characters wide (the last column would wrap). */
    BarLine(PrintStream terminal, int columns) {
        this.terminal = terminal;
        this.width = Math.max(20, columns - 1);
    }

    @Override
    public int getMaxRenderedLength() {
        return width;
    }

    @Override
    public void accept(String rendered) {
        String line = rendered.length() > width ? rendered.substring(0, width) : rendered;
        synchronized (lock) {
            last = line;
            terminal.print("\r\033[K" + line);
            terminal.flush();
        }
    }

    /** Prints {@code text} as a line of {@code out} above the bar, then redraws the bar below it. */
    void println(PrintWriter out, String text) {
        synchronized (lock) {
            terminal.print("\r\033[K");
            terminal.flush();
            out.println(text);
            out.flush();
            terminal.print(last);
            terminal.flush();
        }
    }

    @Override
    public void clear() {
        synchronized (lock) {
            terminal.print("\r\033[K");
            terminal.flush();
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            terminal.println();
            terminal.flush();
        }
    }
}
