package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.examples.Run.run;

import java.awt.image.BufferedImage;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.net.NetworkSpec;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Checkpoint;

/**
 * {@code nn train --net simple-convnet|deep-convnet} and {@code nn predict} on the checkpoints it writes:
 * the outputs, the book's defaults (Adam, learning rate 0.001, 20 epochs), exact resume, Spark, and the
 * options a convnet refuses. The runs train on the first 200 training and 100 test images of the
 * embedded sample, written as MNIST's IDX files ({@code --dataset mnist --data DIR}), so that each
 * evaluation over the whole of both parts stays short.
 */
class ConvNetCommandsTest {

    @TempDir
    static Path shared;

    private static Path small;

    @TempDir
    Path dir;

    @BeforeAll
    static void writeSmallSample() throws IOException {
        Backend nd = Backends.get("ejml", DType.FLOAT64);
        TensorDataSet sample = DataSetLoader.create().load(DataSetLoader.MNIST_SAMPLE).toTensors(nd, LoadOptions.BOOK_DEFAULTS);
        small = Files.createDirectories(shared.resolve("small"));
        writeIdx(small, "train", sample.xTrain().gatherRows(IntStream.range(0, 200).toArray()),
                sample.tTrain().gatherRows(IntStream.range(0, 200).toArray()), 28, 28);
        writeIdx(small, "t10k", sample.xTest().gatherRows(IntStream.range(0, 100).toArray()),
                sample.tTest().gatherRows(IntStream.range(0, 100).toArray()), 28, 28);
    }

    /** {@code args} on the small data set. */
    private static String[] onSmall(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 4);
        System.arraycopy(new String[] {"--dataset", "mnist", "--data", small.toString()}, 0, all, args.length, 4);
        return all;
    }

    @Test
    void trainingASimpleConvNetWritesCheckpointCsvAndPlotAndPredictReadsIt() throws IOException {
        Path out = dir.resolve("convnet");
        Run r = run(onSmall("train", "--backend", "ejml", "--net", "simple-convnet", "--out", out.toString()));
        assertEquals(0, r.exitCode, r.err);
        // ch07/train_convnet.py's 20 epochs: 200 images in batches of 100 are 2 iterations an epoch.
        assertTrue(r.out.startsWith("SimpleConvNet 1x28x28: conv 30 5x5 (pad 0, stride 1) -> pool 2x2 -> 100 -> 10 on"
                + " mnist (ejml, float64): 200 training and 100 test images, 40 iterations of 100"), r.out);
        Checkpoint saved = Checkpoint.load(out.resolve("network.npz"));
        assertEquals(NetworkSpec.convNet(NetworkSpec.Kind.SIMPLE_CONVNET, 784, 10, 1), saved.network().orElseThrow());
        assertEquals("adam", saved.optimizerName().orElseThrow(), "ch07/train_convnet.py's optimizer");
        assertEquals(0.001, saved.learningRate().orElseThrow(), "and its learning rate");
        assertEquals(List.of(30, 1, 5, 5), List.of(saved.networkState().get("W1").shape().dim(0),
                saved.networkState().get("W1").shape().dim(1), saved.networkState().get("W1").shape().dim(2),
                saved.networkState().get("W1").shape().dim(3)));
        assertEquals(41, Files.readAllLines(out.resolve("loss.csv")).size());
        List<String> accuracy = Files.readAllLines(out.resolve("accuracy.csv"));
        // As the book's trainer: at the start of each epoch (iterations 1, 3, ..., 39), and at the end.
        List<String> evaluated = new java.util.ArrayList<>(IntStream.range(0, 20).mapToObj(e -> String.valueOf(2 * e + 1))
                .toList());
        evaluated.add("40");
        assertEquals(evaluated, accuracy.stream().skip(1).map(l -> l.split(",")[1]).toList());
        double first = Double.parseDouble(accuracy.get(1).split(",")[2]);
        double last = Double.parseDouble(accuracy.get(accuracy.size() - 1).split(",")[2]);
        assertTrue(last > first + 0.2, "it learns: train accuracy " + first + " -> " + last);
        BufferedImage plot = ImageIO.read(out.resolve("training.png").toFile());
        assertEquals(1280, plot.getWidth());

        double trained = Double.parseDouble(accuracy.get(accuracy.size() - 1).split(",")[3]);
        Run p = run(onSmall("predict", "--backend", "ejml", "--checkpoint", out.resolve("network.npz").toString()));
        assertEquals(0, p.exitCode, p.err);
        assertTrue(p.out.contains(String.format(Locale.ROOT, "on mnist test (100 images): accuracy %.4f", trained)),
                p.out + " vs " + trained);
        // --show-wrong lists every misclassified image: as many as the accuracy leaves.
        Run wrong = run(onSmall("predict", "--backend", "ejml", "--checkpoint", out.resolve("network.npz").toString(),
                "--show-wrong", "100", "--out", dir.resolve("wrong").toString()));
        assertEquals(0, wrong.exitCode, wrong.err);
        assertEquals(Math.round((1 - trained) * 100), wrong.out.lines().filter(l -> l.startsWith("  test image ")).count(),
                wrong.out);
        Run wrongNet = run(onSmall("predict", "--backend", "ejml", "--checkpoint", out.resolve("network.npz").toString(),
                "--net", "deep-convnet"));
        assertEquals(1, wrongNet.exitCode);
        assertEquals("nn predict: --net deep-convnet contradicts the checkpoint " + out.resolve("network.npz") + ", which"
                + " holds a simple-convnet network; leave --net out\n", wrongNet.err);
    }

    @Test
    void resumingASimpleConvNetContinuesTheRunBitForBit() throws IOException {
        String[] common = {"--backend", "ejml", "--net", "simple-convnet", "--batch-size", "20", "--quiet"};
        Path once = dir.resolve("once");
        Path twice = dir.resolve("twice");
        assertEquals(0, run(concat(common, "--iterations", "4", "--out", once.toString())).exitCode);
        assertEquals(0, run(concat(common, "--iterations", "2", "--out", twice.toString())).exitCode);
        Run resumed = run(onSmall("train", "--backend", "ejml", "--iterations", "2", "--resume",
                twice.resolve("network.npz").toString(), "--out", twice.toString()));
        assertEquals(0, resumed.exitCode, resumed.err);
        assertTrue(resumed.out.startsWith("resuming " + twice.resolve("network.npz") + ": simple-convnet 1x28x28-10, adam,"
                + " 2 iterations done"), resumed.out);
        Map<String, NpyArray> expected = Npz.load(once.resolve("network.npz"));
        Map<String, NpyArray> actual = Npz.load(twice.resolve("network.npz"));
        assertEquals(expected.keySet(), actual.keySet());
        assertTrue(expected.keySet().containsAll(List.of("W1", "b3", "optimizer.m.W1", "optimizer.v.W3", "optimizer.iter")),
                expected.keySet().toString());
        for (String name : expected.keySet()) {
            if (!name.equals("history.accuracy")) { // the resumed run also evaluated where the first part ended
                assertEquals(expected.get(name), actual.get(name), name + " after 2 + 2 iterations");
            }
        }
        assertEquals(Files.readAllLines(once.resolve("loss.csv")), Files.readAllLines(twice.resolve("loss.csv")));
    }

    @Test
    void aDeepConvNetTrainsAndResumesWithItsDropoutGenerator() throws IOException {
        String[] common = {"--backend", "ejml", "--net", "deep-convnet", "--batch-size", "10", "--quiet"};
        Path once = dir.resolve("deep-once");
        Path twice = dir.resolve("deep-twice");
        assertEquals(0, run(concat(common, "--iterations", "2", "--out", once.toString())).exitCode);
        assertEquals(0, run(concat(common, "--iterations", "1", "--out", twice.toString())).exitCode);
        Run resumed = run(onSmall("train", "--backend", "ejml", "--iterations", "1", "--resume",
                twice.resolve("network.npz").toString(), "--out", twice.toString(), "--quiet"));
        assertEquals(0, resumed.exitCode, resumed.err);
        Map<String, NpyArray> expected = Npz.load(once.resolve("network.npz"));
        Map<String, NpyArray> actual = Npz.load(twice.resolve("network.npz"));
        assertTrue(expected.keySet().containsAll(List.of("W8", "b8")), expected.keySet().toString());
        for (String name : expected.keySet()) {
            if (!name.equals("history.accuracy")) {
                assertEquals(expected.get(name), actual.get(name), name + " after 1 + 1 iterations");
            }
        }
        assertEquals(NetworkSpec.Kind.DEEP_CONVNET,
                Checkpoint.load(twice.resolve("network.npz")).network().orElseThrow().kind());
    }

    @Test
    void aConvNetTrainsOnSparkTheWorkersReshapingTheirShares() throws IOException {
        Path out = dir.resolve("spark");
        Run r = run(onSmall("train", "--spark", "local[2]", "--backend", "ejml", "--net", "simple-convnet", "--iterations",
                "2", "--out", out.toString(), "--quiet"));
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.contains("2 iterations"), r.out);
        Checkpoint saved = Checkpoint.load(out.resolve("network.npz"));
        assertEquals(NetworkSpec.Kind.SIMPLE_CONVNET, saved.network().orElseThrow().kind());
        assertEquals(2, saved.history().iterations());
        double train = saved.history().last().trainAccuracy();
        assertTrue(train > 0 && train < 1, "train accuracy counted on the executors: " + train);
    }

    @Test
    void theMlpOptionsAreRefusedForAConvNet() {
        String[][] cases = {
            {"--hidden", "100"}, {"--activation", "relu"}, {"--init", "he"}, {"--batchnorm"}, {"--dropout", "0.5"},
            {"--weight-decay", "0.1"},
        };
        for (String net : List.of("simple-convnet", "deep-convnet")) {
            for (String[] c : cases) {
                Path out = dir.resolve("refused");
                String[] args = new String[c.length + 7];
                System.arraycopy(new String[] {"train", "--backend", "ejml", "--net", net, "--out", out.toString()}, 0,
                        args, 0, 7);
                System.arraycopy(c, 0, args, 7, c.length);
                Run r = run(args);
                assertEquals(1, r.exitCode, String.join(" ", args));
                assertEquals("nn train: " + c[0] + " does not apply to " + net + ": the convnets are the book's fixed"
                        + " architectures (" + (net.equals("simple-convnet") ? "ch07/simple_convnet.py"
                        : "ch08/deep_convnet.py") + "); leave " + c[0] + " out, or use --net mlp\n", r.err);
                assertEquals("", r.out);
                assertFalse(Files.exists(out), "refused before --out is created");
            }
        }
        Run unknown = run("train", "--net", "lenet", "--out", dir.resolve("u").toString());
        assertEquals(1, unknown.exitCode);
        assertEquals("nn train: --net 'lenet' is unknown: use one of [mlp, simple-convnet, deep-convnet]\n", unknown.err);
    }

    @Test
    void resumingAConvNetRefusesAnMlpOptionAndAnotherNet() {
        Path out = dir.resolve("c");
        assertEquals(0, run(onSmall("train", "--backend", "ejml", "--net", "simple-convnet", "--iterations", "1",
                "--batch-size", "10", "--out", out.toString(), "--quiet")).exitCode);
        String checkpoint = out.resolve("network.npz").toString();
        Run hidden = run(onSmall("train", "--backend", "ejml", "--resume", checkpoint, "--hidden", "50", "--out",
                out.toString()));
        assertEquals(1, hidden.exitCode);
        assertTrue(hidden.err.startsWith("nn train: --hidden does not apply to simple-convnet"), hidden.err);
        Run mlp = run(onSmall("train", "--backend", "ejml", "--resume", checkpoint, "--net", "mlp", "--out",
                out.toString()));
        assertEquals(1, mlp.exitCode);
        assertEquals("nn train: --net mlp contradicts the checkpoint " + checkpoint + ", which was trained with --net"
                + " simple-convnet; leave --net out to continue the run, or train a new one without --resume\n", mlp.err);
    }

    @Test
    void aConvNetRefusesImagesThatAreNotSquare() throws IOException {
        Path data = Files.createDirectories(dir.resolve("odd"));
        writePattern(data, "train", 4, 3, 5);
        writePattern(data, "t10k", 2, 3, 5);
        Run r = run("train", "--backend", "ejml", "--net", "simple-convnet", "--dataset", "mnist", "--data",
                data.toString(), "--iterations", "1", "--batch-size", "2", "--out", dir.resolve("o").toString(), "--quiet");
        assertEquals(1, r.exitCode);
        assertEquals("nn train: network: a simple-convnet takes square one-channel images [1, s, s], but the input size 15"
                + " is not a square (4x4 = 16); use a data set of square images such as mnist, or --net mlp\n", r.err);
        Run mlp = run("train", "--backend", "ejml", "--dataset", "mnist", "--data", data.toString(), "--iterations", "1",
                "--batch-size", "2", "--out", dir.resolve("o").toString(), "--quiet");
        assertEquals(0, mlp.exitCode, "an mlp takes them: " + mlp.err);
    }

    /** MNIST's IDX files of {@code images} ({@code rows × cols} each) and their labels, under MNIST's names. */
    private static void writeIdx(Path dir, String prefix, byte[] images, byte[] labels, int rows, int cols)
            throws IOException {
        try (OutputStream file = Files.newOutputStream(dir.resolve(prefix + "-images-idx3-ubyte"));
                DataOutputStream out = new DataOutputStream(file)) {
            out.writeInt(0x803);
            out.writeInt(labels.length);
            out.writeInt(rows);
            out.writeInt(cols);
            out.write(images);
        }
        try (OutputStream file = Files.newOutputStream(dir.resolve(prefix + "-labels-idx1-ubyte"));
                DataOutputStream out = new DataOutputStream(file)) {
            out.writeInt(0x801);
            out.writeInt(labels.length);
            out.write(labels);
        }
    }

    /** {@code count} images of {@code rows × cols} pixels of a fixed pattern, and labels cycling 0..9. */
    private static void writePattern(Path dir, String prefix, int count, int rows, int cols) throws IOException {
        byte[] images = new byte[count * rows * cols];
        for (int i = 0; i < images.length; i++) {
            images[i] = (byte) (i * 37 % 256);
        }
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        writeIdx(dir, prefix, images, labels, rows, cols);
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length + 1];
        all[0] = "train";
        System.arraycopy(head, 0, all, 1, head.length);
        System.arraycopy(tail, 0, all, 1 + head.length, tail.length);
        return onSmall(all);
    }

    /** Tensors of pixels in 0..1 {@code [count, rows·cols]} and class indices as MNIST's IDX files. */
    private static void writeIdx(Path dir, String prefix, Tensor x, Tensor t, int rows, int cols) throws IOException {
        double[] pixels = x.toDoubleArray();
        byte[] images = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            images[i] = (byte) Math.round(pixels[i] * 255);
        }
        double[] labels = t.toDoubleArray();
        byte[] classes = new byte[labels.length];
        for (int i = 0; i < labels.length; i++) {
            classes[i] = (byte) labels[i];
        }
        writeIdx(dir, prefix, images, classes, rows, cols);
    }
}
