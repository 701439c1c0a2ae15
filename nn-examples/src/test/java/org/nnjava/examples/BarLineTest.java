package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress bar's line: never wider than the terminal, log lines printed above it, the loss separated. */
class BarLineTest {

    @Test
    void aRenderedBarIsCutToOneColumnLessThanTheTerminal() {
        for (int columns : new int[] {80, 120, 200}) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BarLine line = new BarLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), columns);
            assertEquals(columns - 1, line.getMaxRenderedLength());
            line.accept("x".repeat(500));
            String drawn = bytes.toString(StandardCharsets.UTF_8);
            assertEquals("\r\033[K" + "x".repeat(columns - 1), drawn);
        }
    }

    @Test
    void aLogLineClearsTheBarPrintsAndRedrawsTheBarBelow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BarLine line = new BarLine(new PrintStream(bytes, true, StandardCharsets.UTF_8), 80);
        line.accept("train 10%");
        StringWriter out = new StringWriter();
        line.println(new PrintWriter(out), "epoch 1");
        assertEquals("epoch 1" + System.lineSeparator(), out.toString());
        assertEquals("\r\033[Ktrain 10%\r\033[Ktrain 10%", bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theLossIsSeparatedFromTheRate() {
        assertEquals(" | loss 0.1235", ProgressReporter.extraMessage(0.12345));
        assertTrue(ProgressReporter.extraMessage(Double.NaN).startsWith(" | loss "));
    }

    @Test
    void theTerminalWidthAcceptsOnlyPositiveNumbers() {
        assertEquals(132, TerminalWidth.parse(" 132 "));
        assertNull(TerminalWidth.parse("0"));
        assertNull(TerminalWidth.parse("-5"));
        assertNull(TerminalWidth.parse("wide"));
        assertNull(TerminalWidth.parse(null));
    }
}
