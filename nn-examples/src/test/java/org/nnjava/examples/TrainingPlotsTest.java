package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

class TrainingPlotsTest {

    private static int width(Font font, String text) {
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    @Test
    void aTitleWiderThanTheChartGetsASmallerFontThatFits() {
        String title = "Convolution -> Relu -> Pooling -> Affine -> Relu -> Affine -> SoftmaxWithLoss on mnist-sample";
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).build();
        Font before = chart.getStyler().getChartTitleFont();
        assertTrue(width(before, title) > 620, "the test needs a title wider than the chart at the default font");
        TrainingPlots.fitTitle(chart, title);
        Font after = chart.getStyler().getChartTitleFont();
        assertTrue(after.getSize2D() < before.getSize2D(), "font " + after.getSize2D());
        assertTrue(width(after, title) <= 620, "width " + width(after, title));
    }

    @Test
    void aShortTitleKeepsItsFont() {
        XYChart chart = new XYChartBuilder().width(640).height(480).title("TwoLayerNet on mnist-sample").build();
        Font before = chart.getStyler().getChartTitleFont();
        TrainingPlots.fitTitle(chart, "TwoLayerNet on mnist-sample");
        assertEquals(before.getSize2D(), chart.getStyler().getChartTitleFont().getSize2D());
    }
}
