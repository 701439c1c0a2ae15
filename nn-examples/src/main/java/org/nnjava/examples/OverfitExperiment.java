package org.nnjava.examples;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.nnjava.data.TensorDataSet;
import org.nnjava.internal.AtomicFile;
import org.nnjava.net.Activation;
import org.nnjava.net.MultiLayerNetExtend;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.EpochMetrics;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nn experiment overfit}: the book's overfit_weight_decay.py and overfit_dropout.py (chapter
 * 6.4). A 6x100 ReLU network on only the first 300 training images, SGD (lr 0.01, batch 100): without
 * regularisation, with weight decay 0.1, and with dropout 0.2; train and test accuracy every epoch.
 */
@Command(name = "overfit", description = "300 training images, a 6x100 net: no regularisation, weight decay 0.1, "
        + "dropout 0.2 (the book's overfit_weight_decay.py and overfit_dropout.py): accuracy per epoch, CSV and PNG.")
final class OverfitExperiment implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    ExperimentOptions common;

    @Option(names = "--epochs", defaultValue = "201", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--samples", defaultValue = "300", description = "Training images used (default: ${DEFAULT-VALUE}).")
    int samples;



    @Override
    public Integer call() throws IOException {
        Backend nd = backendOptions.backend();
        TensorDataSet data = dataOptions.load(nd, false, null);
        if (samples <= 0 || samples > data.trainSize() || epochs <= 0) {
            throw new IllegalArgumentException("--samples must be 1.." + data.trainSize() + " and --epochs positive");
        }
        Files.createDirectories(common.out);
        int[] first = IntStream.range(0, samples).toArray();
        Tensor x = data.xTrain().gatherRows(first);
        Tensor t = data.tTrain().gatherRows(first);
        TrainingConfig config = TrainingConfig.ofEpochs(epochs, samples, 100, common.seed);
        Map<String, List<EpochMetrics>> runs = new LinkedHashMap<>();
        runs.put("none", train(nd, data, x, t, config, 0, 0));
        runs.put("decay=0.1", train(nd, data, x, t, config, 0.1, 0));
        runs.put("dropout=0.2", train(nd, data, x, t, config, 0, 0.2));
        PrintWriter w = spec.commandLine().getOut();
        printTable(w, runs);
        Path csv = common.out.resolve("overfit.csv");
        Path png = common.out.resolve("overfit.png");
        writeCsv(csv, runs);
        writePlot(png, runs);
        w.println("accuracy per epoch: " + csv);
        w.println("plot: " + png);
        w.flush();
        return 0;
    }

    private List<EpochMetrics> train(Backend nd, TensorDataSet data, Tensor x, Tensor t, TrainingConfig config,
            double decay, double dropout) {
        MultiLayerNetExtend net = MultiLayerNetExtend.builder(nd, x.shape().dim(1), data.classes())
                .hidden(100, 100, 100, 100, 100, 100).activation(Activation.RELU).weightDecay(decay).dropout(dropout)
                .seed(common.seed).build();
        return new Trainer(net, new Sgd(0.01)).train(x, t, data.xTest(), data.tTest(), config, new TrainingListener() { })
                .epochs();
    }

    private static void printTable(PrintWriter w, Map<String, List<EpochMetrics>> runs) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-6s", "epoch"));
        runs.keySet().forEach(n -> header.append(String.format(Locale.ROOT, "%24s", n + " train/test")));
        w.println(header);
        List<EpochMetrics> any = runs.values().iterator().next();
        for (int i = 0; i < any.size(); i++) {
            if (i % 20 != 0 && i != any.size() - 1) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d", any.get(i).epoch()));
            for (List<EpochMetrics> run : runs.values()) {
                row.append(String.format(Locale.ROOT, "%17.4f/%.4f", run.get(i).trainAccuracy(), run.get(i).testAccuracy()));
            }
            w.println(row);
        }
    }

    private static void writeCsv(Path file, Map<String, List<EpochMetrics>> runs) throws IOException {
        AtomicFile.write(file, stream -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.println("variant,epoch,iteration,train_acc,test_acc");
            runs.forEach((name, run) -> run.forEach(m -> w.println(String.format(Locale.ROOT, "%s,%d,%d,%.6f,%.6f", name,
                    m.epoch(), m.iteration(), m.trainAccuracy(), m.testAccuracy()))));
            w.flush();
        });
    }

    private static void writePlot(Path file, Map<String, List<EpochMetrics>> runs) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("overfitting on 300 images")
                .xAxisTitle("epochs").yAxisTitle("accuracy").build();
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        runs.forEach((name, run) -> {
            double[] x = run.stream().mapToDouble(EpochMetrics::epoch).toArray();
            chart.addSeries(name + " train", x, run.stream().mapToDouble(EpochMetrics::trainAccuracy).toArray())
                    .setMarker(SeriesMarkers.NONE);
            var test = chart.addSeries(name + " test", x, run.stream().mapToDouble(EpochMetrics::testAccuracy).toArray());
            test.setMarker(SeriesMarkers.NONE);
            test.setLineStyle(SeriesLines.DASH_DASH);
        });
        TrainingPlots.writePng(file, TrainingPlots.render(chart));
    }
}
