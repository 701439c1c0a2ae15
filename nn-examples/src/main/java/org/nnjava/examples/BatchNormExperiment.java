package org.nnjava.examples;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.nnjava.data.TensorDataSet;
import org.nnjava.internal.AtomicFile;
import org.nnjava.net.Activation;
import org.nnjava.net.MultiLayerNetExtend;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingDivergedException;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nn experiment batchnorm}: the book's batch_norm_test.py (chapter 6.3.2). For initial weight
 * scales from 1 down to 1e-4 (16 steps, evenly spaced in log scale), a 5x100 ReLU network with and
 * without batch normalisation trains on 1,000 images (SGD lr 0.01, batch 100, 20 epochs); the train
 * accuracy reached shows how batch normalisation makes training insensitive to the initial scale.
 */
@Command(name = "batchnorm", description = "With and without batch normalisation over initial weight scales 1..1e-4 "
        + "(the book's batch_norm_test.py): train accuracy, CSV and PNG.")
final class BatchNormExperiment implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    @Mixin
    ExperimentOptions common;

    @Option(names = "--epochs", defaultValue = "20", description = "Epochs per run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--scales", defaultValue = "16", description = "Weight scales from 1 to 1e-4 (default: ${DEFAULT-VALUE}).")
    int scales;

    @Option(names = "--samples", defaultValue = "1000", description = "Training images used (default: ${DEFAULT-VALUE}).")
    int samples;



    /** One weight scale's final train accuracies. */
    record Row(double scale, double withBatchNorm, double without) {
    }

    @Override
    public Integer call() throws IOException {
        Backend nd = backendOptions.backend();
        TensorDataSet data = dataOptions.load(nd, false, null);
        if (samples <= 0 || samples > data.trainSize() || epochs <= 0 || scales < 2) {
            throw new IllegalArgumentException("--samples must be 1.." + data.trainSize()
                    + ", --epochs positive and --scales at least 2");
        }
        Files.createDirectories(common.out);
        int[] first = IntStream.range(0, samples).toArray();
        Tensor x = data.xTrain().gatherRows(first);
        Tensor t = data.tTrain().gatherRows(first);
        TrainingConfig config = TrainingConfig.ofEpochs(epochs, samples, 100, common.seed);
        PrintWriter w = spec.commandLine().getOut();
        w.println(String.format(Locale.ROOT, "%-12s%16s%16s", "weight std", "with BN", "without BN"));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < scales; i++) {
            double scale = Math.pow(10, -4.0 * i / (scales - 1));
            Row row = new Row(scale, train(nd, data, x, t, config, scale, true), train(nd, data, x, t, config, scale, false));
            rows.add(row);
            w.println(String.format(Locale.ROOT, "%-12.3g%16.4f%16.4f", scale, row.withBatchNorm(), row.without()));
            w.flush();
        }
        Path csv = common.out.resolve("batchnorm.csv");
        Path png = common.out.resolve("batchnorm.png");
        writeCsv(csv, rows);
        writePlot(png, rows);
        w.println("train accuracy per weight scale: " + csv);
        w.println("plot: " + png);
        w.flush();
        return 0;
    }

    private double train(Backend nd, TensorDataSet data, Tensor x, Tensor t, TrainingConfig config, double std,
            boolean batchNorm) {
        MultiLayerNetExtend net = MultiLayerNetExtend.builder(nd, x.shape().dim(1), data.classes())
                .hidden(100, 100, 100, 100, 100).activation(Activation.RELU).init(std).batchNorm(batchNorm).seed(common.seed)
                .build();
        // Accuracy on the training images, as the book's figure: test accuracy is not the point here.
        try {
            return new Trainer(net, new Sgd(0.01)).train(x, t, x, t, config, new TrainingListener() { }).last().trainAccuracy();
        } catch (TrainingDivergedException e) {
            // Part of what the book's figure shows: large initial weights make the plain net diverge. Its
            // accuracy is that of the diverged weights, as the book plots it.
            return net.accuracy(x, t);
        }
    }

    private static void writeCsv(Path file, List<Row> rows) throws IOException {
        AtomicFile.write(file, stream -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
            w.println("weight_std,train_acc_batchnorm,train_acc_plain");
            rows.forEach(r -> w.println(String.format(Locale.ROOT, "%.6g,%.6f,%.6f", r.scale(), r.withBatchNorm(), r.without())));
            w.flush();
        });
    }

    private static void writePlot(Path file, List<Row> rows) throws IOException {
        XYChart chart = new XYChartBuilder().width(800).height(500).title("batch normalisation and the initial weight scale")
                .xAxisTitle("initial weight std").yAxisTitle("train accuracy after training").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        double[] x = rows.stream().mapToDouble(Row::scale).toArray();
        chart.addSeries("with batch normalisation", x, rows.stream().mapToDouble(Row::withBatchNorm).toArray());
        chart.addSeries("without", x, rows.stream().mapToDouble(Row::without).toArray());
        TrainingPlots.writePng(file, TrainingPlots.render(chart));
    }
}
