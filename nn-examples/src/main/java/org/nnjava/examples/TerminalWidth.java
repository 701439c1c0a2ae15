package org.nnjava.examples;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The terminal's width in columns, for output that must fit on one line. */
final class TerminalWidth {

    /** The width assumed when it cannot be found. */
    static final int DEFAULT = 80;

    private TerminalWidth() {
    }

    /**
     * {@code COLUMNS} when it is set to a number, else what {@code stty size} reports for the controlling
     * terminal (within a second), else {@value #DEFAULT}.
     */
    static int columns() {
        Integer fromEnv = parse(System.getenv("COLUMNS"));
        if (fromEnv != null) {
            return fromEnv;
        }
        File tty = new File("/dev/tty");
        if (!tty.exists()) {
            return DEFAULT;
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!stty.waitFor(1, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
                return DEFAULT;
            }
            String[] rowsColumns = new String(stty.getInputStream().readNBytes(64), StandardCharsets.US_ASCII)
                    .trim().split("\\s+");
            Integer columns = rowsColumns.length == 2 ? parse(rowsColumns[1]) : null;
            return columns != null ? columns : DEFAULT;
        } catch (java.io.IOException e) {
            return DEFAULT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT;
        }
    }

    /** A positive width, or null for anything else. */
    static Integer parse(String text) {
        if (text == null || !text.trim().matches("[0-9]{1,5}")) {
            return null;
        }
        int value = Integer.parseInt(text.trim());
        return value > 0 ? value : null;
    }
}
