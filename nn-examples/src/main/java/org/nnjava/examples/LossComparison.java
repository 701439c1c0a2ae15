package org.nnjava.examples;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nnjava.batch.MinibatchSampler;
import org.nnjava.batch.Minibatches;
import org.nnjava.data.TensorDataSet;
import org.nnjava.internal.AtomicFile;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;

/**
 * Trains several networks side by side on the same minibatches and compares their losses, as the
 * book's chapter-6 comparison scripts do: a table every 100 iterations, a CSV of every iteration, and
 * a PNG of the smoothed curves.
 */
final class LossComparison {

    private final TensorDataSet data;
    private final int batchSize;
    private final long seed;
    private final Map<String, Network> networks = new LinkedHashMap<>();
    private final Map<String, Optimizer> optimizers = new LinkedHashMap<>();

    LossComparison(TensorDataSet data, int batchSize, long seed) {
        if (batchSize <= 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be positive");
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    /** Adds a contestant. */
    void add(String name, Network network, Optimizer optimizer) {
        networks.put(name, network);
        optimizers.put(name, optimizer);
    }

    /** Trains every contestant for {@code iterations}, prints the table, writes {@code out/<file>.csv} and {@code .png}. */
    void run(int iterations, Path out, String file, String title, PrintWriter w) throws IOException {
        if (iterations <= 0) {
            throw new IllegalArgumentException("--iterations " + iterations + " must be positive");
        }
        Files.createDirectories(out);
        Map<String, double[]> losses = new LinkedHashMap<>();
        networks.keySet().forEach(name -> losses.put(name, new double[iterations]));
        w.println(String.format(Locale.ROOT, "%-9s", "iteration") + String.join("", networks.keySet().stream()
                .map(n -> String.format(Locale.ROOT, "%10s", n)).toList()));
        Minibatches batches = new Minibatches(data.xTrain(), data.tTrain(),
                MinibatchSampler.withReplacement(data.trainSize(), batchSize, seed));
        for (int i = 0; i < iterations; i++) {
            batches.next();
            for (String name : networks.keySet()) {
                Network net = networks.get(name);
                optimizers.get(name).update(net.params(), net.gradient(batches.xBatch(), batches.tBatch()));
                losses.get(name)[i] = net.loss(batches.xBatch(), batches.tBatch());
            }
            if (i % 100 == 0 || i == iterations - 1) {
                int at = i;
                w.println(String.format(Locale.ROOT, "%-9d", i) + String.join("", networks.keySet().stream()
                        .map(n -> String.format(Locale.ROOT, "%10.4f", losses.get(n)[at])).toList()));
                w.flush();
            }
        }
        Path csv = out.resolve(file + ".csv");
        Path png = out.resolve(file + ".png");
        writeCsv(csv, losses);
        writePlot(png, losses, title);
        w.println("loss per iteration: " + csv);
        w.println("plot: " + png);
        w.flush();
    }

    private static void writeCsv(Path file, Map<String, double[]> losses) throws IOException {
        AtomicFile.write(file, stream -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.println("iteration," + String.join(",", losses.keySet()));
            int n = losses.values().iterator().next().length;
            for (int i = 0; i < n; i++) {
                List<String> row = new ArrayList<>();
                row.add(Integer.toString(i));
                for (double[] l : losses.values()) {
                    row.add(Double.toString(l[i]));
                }
                w.println(String.join(",", row));
            }
            w.flush();
        });
    }

    private static void writePlot(Path file, Map<String, double[]> losses, String title) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle("iterations")
                .yAxisTitle("loss").build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(2.5);
        chart.getStyler().setXAxisDecimalPattern("#");
        losses.forEach((name, l) -> {
            double[] y = smooth(l);
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = i;
            }
            chart.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
        });
        TrainingPlots.writePng(file, TrainingPlots.render(chart));
    }

    /** A moving average over a window of 11 (5 each side, clipped at the ends), as the book's smooth_curve. */
    static double[] smooth(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            int from = Math.max(0, i - 5);
            int to = Math.min(values.length - 1, i + 5);
            double sum = 0;
            for (int j = from; j <= to; j++) {
                sum += values[j];
            }
            out[i] = sum / (to - from + 1);
        }
        return out;
    }
}
