package org.nnjava.examples;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nnjava.internal.AtomicFile;
import org.nnjava.train.EpochMetrics;
import org.nnjava.train.TrainingResult;

/**
 * The outputs of a training run besides the checkpoint: the metrics as CSV and a PNG with the
 * accuracy per epoch and the loss curve, as the book's matplotlib figure for train_neuralnet.py.
 */
final class TrainingPlots {

    private TrainingPlots() {
    }

    /** {@code iteration,loss} for every iteration, then {@code epoch,iteration,train_acc,test_acc} per evaluation. */
    static void writeLossCsv(Path file, List<Double> losses) throws IOException {
        AtomicFile.write(file, out -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.println("iteration,loss");
            for (int i = 0; i < losses.size(); i++) {
                w.println((i + 1) + "," + losses.get(i));
            }
            w.flush();
        });
    }

    /** {@code epoch,iteration,train_acc,test_acc}, one row per evaluation. */
    static void writeAccuracyCsv(Path file, List<EpochMetrics> epochs) throws IOException {
        AtomicFile.write(file, out -> {
            PrintWriter w = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.println("epoch,iteration,train_acc,test_acc");
            for (EpochMetrics m : epochs) {
                w.println(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f", m.epoch(), m.iteration(), m.trainAccuracy(),
                        m.testAccuracy()));
            }
            w.flush();
        });
    }

    /** Accuracy per epoch (train solid, test dashed) beside the loss per iteration, in one PNG. */
    static void writePlot(Path file, TrainingResult result, String title) throws IOException {
        BufferedImage accuracy = render(accuracyChart(result.epochs(), title));
        BufferedImage loss = render(lossChart(result.losses()));
        BufferedImage both = new BufferedImage(accuracy.getWidth() + loss.getWidth(),
                Math.max(accuracy.getHeight(), loss.getHeight()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = both.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, both.getWidth(), both.getHeight());
        g.drawImage(accuracy, 0, 0, null);
        g.drawImage(loss, accuracy.getWidth(), 0, null);
        g.dispose();
        writePng(file, both);
    }

    /** Renders a chart without a display (servers and CI have none). */
    static BufferedImage render(XYChart chart) {
        System.setProperty("java.awt.headless", "true");
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes {@code image} as a PNG, atomically. */
    static void writePng(Path file, BufferedImage image) throws IOException {
        // In memory, not through a cache file: ImageIO's file cache registers a shutdown hook, which fails
        // when the plot is written while the JVM stops (train saving its outputs after Ctrl-C).
        // Encoded in memory first (bounded by the image's own size, which its maker bounds), then written:
        // ImageIO reports a failing stream as "I/O error writing PNG file!", hiding AtomicFile's message
        // that names the file and the cause (a full disk).
        ImageIO.setUseCache(false);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", png)) {
            throw new IOException("no PNG writer in this JDK");
        }
        AtomicFile.write(file, png::writeTo);
    }

    /** A smaller title font (down to 8 points) when the title is wider than the chart, so it is not cut off. */
    static void fitTitle(XYChart chart, String title) {
        System.setProperty("java.awt.headless", "true");
        Font font = chart.getStyler().getChartTitleFont();
        Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            int room = chart.getWidth() - 20;
            while (font.getSize2D() > 8 && g.getFontMetrics(font).stringWidth(title) > room) {
                font = font.deriveFont(font.getSize2D() - 1);
            }
        } finally {
            g.dispose();
        }
        chart.getStyler().setChartTitleFont(font);
    }

    private static XYChart accuracyChart(List<EpochMetrics> epochs, String title) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title(title).xAxisTitle("epochs")
                .yAxisTitle("accuracy").build();
        fitTitle(chart, title);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        double[] x = epochs.stream().mapToDouble(EpochMetrics::epoch).toArray();
        XYSeries train = chart.addSeries("train acc", x, epochs.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray());
        train.setMarker(SeriesMarkers.CIRCLE);
        XYSeries test = chart.addSeries("test acc", x, epochs.stream().mapToDouble(EpochMetrics::testAccuracy).toArray());
        test.setMarker(SeriesMarkers.SQUARE);
        test.setLineStyle(SeriesLines.DASH_DASH);
        return chart;
    }

    private static XYChart lossChart(List<Double> losses) {
        XYChart chart = new XYChartBuilder().width(640).height(480).title("loss").xAxisTitle("iteration")
                .yAxisTitle("loss").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        double[] x = new double[losses.size()];
        double[] y = new double[losses.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
            y[i] = losses.get(i);
        }
        chart.addSeries("loss", x, y).setMarker(SeriesMarkers.NONE);
        return chart;
    }
}
