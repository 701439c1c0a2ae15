package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nnjava.examples.Run.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.io.Pickles;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.BookWeights;
import org.nnjava.train.Checkpoint;

/**
 * {@code nn predict --checkpoint FILE.pkl --net ...} and {@code nn train --resume FILE.pkl} on pickles in
 * the shapes of the book's three weight files, written at test time by python3's {@code pickle} at
 * protocols 3 and 4 ({@code book_pickles.py}). The oracle is the book's forward passes written in NumPy
 * in that script (its accuracy on the embedded sample's test set, and its prediction per image), never
 * our layers. Skipped, with the reason, where python3 with NumPy is not available.
 */
class BookPicklesCommandTest {

    @TempDir
    static Path dir;

    private static String unavailable;
    private static final Map<String, Double> ACCURACY = new HashMap<>();
    private static final Map<String, int[]> PREDICTED = new HashMap<>();
    private static TensorDataSet data;
    private static Backend nd;

    @BeforeAll
    static void writePickles() throws IOException, InterruptedException {
        nd = Backends.get("ejml", DType.FLOAT64);
        data = DataSetLoader.create().load(DataSetLoader.MNIST_SAMPLE).toTensors(nd, LoadOptions.BOOK_DEFAULTS);
        Path testSet = dir.resolve("test.npz");
        Npz.save(testSet, Map.of("x", data.xTest(), "t", data.tTest()));
        Path script = dir.resolve("book_pickles.py");
        try (InputStream in = BookPicklesCommandTest.class.getResourceAsStream("book_pickles.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> command = List.of("python3", script.toString(), dir.toString(), testSet.toString());
        String output;
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                output = "python3 did not finish within 300 s";
            }
        } catch (IOException e) {
            unavailable = "python3 with numpy not found: cannot run python3: " + e.getMessage();
            return;
        }
        if (!output.endsWith("ok")) {
            String[] lines = output.split("\n");
            unavailable = "python3 with numpy could not write the pickles: " + lines[lines.length - 1];
            return;
        }
        for (String line : Files.readAllLines(dir.resolve("expected.txt"), StandardCharsets.US_ASCII)) {
            String[] fields = line.split(" ");
            ACCURACY.put(fields[0], Double.parseDouble(fields[1]));
            PREDICTED.put(fields[0], Arrays.stream(fields[2].split(",")).mapToInt(Integer::parseInt).toArray());
        }
    }

    private static Path pickle(String name) {
        assumeTrue(unavailable == null, unavailable);
        return dir.resolve(name);
    }

    @ParameterizedTest(name = "{0} protocol {1}")
    @CsvSource({
        "sample_weight, 3, '--net mlp --hidden 50,100 --activation sigmoid'",
        "sample_weight, 4, '--net mlp --hidden 50,100 --activation sigmoid'",
        "params, 3, --net simple-convnet",
        "params, 4, --net simple-convnet",
        "deep_convnet_params, 3, --net deep-convnet",
        "deep_convnet_params, 4, --net deep-convnet",
    })
    void predictScoresTheSampleAsTheBooksForwardPassInNumpy(String name, int protocol, String net) {
        Path file = pickle(name + "_p" + protocol + ".pkl");
        List<String> args = new ArrayList<>(List.of("predict", "--backend", "ejml", "--checkpoint", file.toString()));
        args.addAll(List.of(net.split(" ")));
        Run r = run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode, r.err);
        double expected = ACCURACY.get(name);
        assertTrue(r.out.contains(String.format(Locale.ROOT, "on mnist-sample test (2000 images): accuracy %.4f", expected)),
                r.out + " vs NumPy's " + expected);
    }

    @Test
    void eachImageIsPredictedAsNumpyPredictsIt() throws IOException {
        int[] first = IntStream.range(0, 300).toArray();
        Map<String, NetworkSpec> specs = Map.of(
                "sample_weight", NetworkSpec.of(784, List.of(50, 100), 10, Activation.SIGMOID, null, false, 0, 0, 0),
                "params", NetworkSpec.convNet(NetworkSpec.Kind.SIMPLE_CONVNET, 784, 10, 0),
                "deep_convnet_params", NetworkSpec.convNet(NetworkSpec.Kind.DEEP_CONVNET, 784, 10, 0));
        for (Map.Entry<String, NetworkSpec> e : specs.entrySet()) {
            Network network = BookWeights.load(pickle(e.getKey() + "_p4.pkl"), e.getValue(), nd);
            network.setTraining(false);
            Tensor x = e.getValue().asInput(data.xTest().gatherRows(first));
            int[] ours = Arrays.stream(network.predict(x).argmax(1).toDoubleArray()).mapToInt(v -> (int) v).toArray();
            int[] numpy = Arrays.copyOf(PREDICTED.get(e.getKey()), 300);
            assertArrayEquals(numpy, ours, e.getKey());
            assertTrue(Arrays.stream(numpy).distinct().count() > 3, e.getKey() + ": the weights predict several classes");
        }
    }

    @Test
    void aPickleWithoutItsArchitectureIsRefused() {
        Path file = pickle("params_p4.pkl");
        Run r = run("predict", "--backend", "ejml", "--checkpoint", file.toString());
        assertEquals(1, r.exitCode);
        assertEquals("nn predict: --checkpoint " + file + ": a book pickle (.pkl) holds weights but not the network: give"
                + " --net simple-convnet (ch07/params.pkl), --net deep-convnet (ch08/deep_convnet_params.pkl) or --net mlp"
                + " --hidden 50,100 --activation sigmoid (ch03/sample_weight.pkl)\n", r.err);
        Run mlp = run("predict", "--backend", "ejml", "--checkpoint", pickle("sample_weight_p3.pkl").toString(), "--net", "mlp",
                "--hidden", "50,100");
        assertEquals(1, mlp.exitCode);
        assertTrue(mlp.err.contains("a book pickle does not record the mlp's layers: give --hidden and --activation too"),
                mlp.err);
    }

    @Test
    void theWrongNetForAFileNamesEveryKeyThatDoesNotFit() {
        Run deep = run("predict", "--backend", "ejml", "--checkpoint", pickle("params_p4.pkl").toString(), "--net",
                "deep-convnet");
        assertEquals(1, deep.exitCode);
        assertTrue(deep.err.startsWith("nn predict: pickle " + pickle("params_p4.pkl") + " does not fit the network ("),
                deep.err);
        assertTrue(deep.err.contains("W1: file has [30, 1, 5, 5], network has [16, 1, 3, 3]"), deep.err);
        assertTrue(deep.err.contains("missing W4 (network has [32, 32, 3, 3])"), deep.err);
        Run simple = run("predict", "--backend", "ejml", "--checkpoint", pickle("sample_weight_p3.pkl").toString(), "--net",
                "simple-convnet");
        assertEquals(1, simple.exitCode);
        assertTrue(simple.err.contains("W1: file has [784, 50], network has [30, 1, 5, 5]"), simple.err);
        Run mlp = run("predict", "--backend", "ejml", "--checkpoint", pickle("sample_weight_p4.pkl").toString(), "--net",
                "mlp", "--hidden", "50", "--activation", "sigmoid");
        assertEquals(1, mlp.exitCode);
        assertTrue(mlp.err.contains("W2: file has [50, 100], network has [50, 10]")
                && mlp.err.contains("unexpected W3 (file has [100, 10])"), mlp.err);
    }

    @Test
    void aMissingKeyAndAWrongShapeAreNamed() {
        Run missing = run("predict", "--backend", "ejml", "--checkpoint", pickle("params_missing.pkl").toString(), "--net",
                "simple-convnet");
        assertEquals(1, missing.exitCode);
        assertEquals("nn predict: pickle " + pickle("params_missing.pkl") + " does not fit the network (1 mismatch): missing"
                + " b3 (network has [10]). Load a checkpoint saved from a network with the same parameter names and layer"
                + " sizes\n", missing.err);
        Run misshapen = run("predict", "--backend", "ejml", "--checkpoint", pickle("params_misshapen.pkl").toString(),
                "--net", "simple-convnet");
        assertEquals(1, misshapen.exitCode);
        assertTrue(misshapen.err.contains("(1 mismatch): W2: file has [4320, 90], network has [4320, 100]"), misshapen.err);
    }

    @Test
    void aConvNetRefusesTheMlpOptionsForAPickle() {
        Run r = run("predict", "--backend", "ejml", "--checkpoint", pickle("params_p3.pkl").toString(), "--net",
                "simple-convnet", "--activation", "sigmoid");
        assertEquals(1, r.exitCode);
        assertEquals("nn predict: --activation does not apply to simple-convnet: the convnets are the book's fixed"
                + " architectures (ch07/simple_convnet.py); leave --activation out, or use --net mlp\n", r.err);
    }

    @Test
    void trainResumeFromAPickleStartsANewRunFromItsWeights() throws IOException {
        Path file = pickle("params_p4.pkl");
        Path out = dir.resolve("from-pickle");
        // A learning rate so small that one Adam step leaves the pickle's weights as they were.
        Run r = run("train", "--backend", "ejml", "--net", "simple-convnet", "--resume", file.toString(), "--iterations", "1",
                "--lr", "1e-300", "--out", out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.startsWith("starting a new run from the weights in " + file + " (a book pickle holds no optimizer"
                + " state or history): iteration 0, a fresh optimizer\n"), r.out);
        assertTrue(r.out.contains("1 iterations of 100, starting from the weights in " + file), r.out);
        Checkpoint saved = Checkpoint.load(out.resolve("network.npz"));
        assertEquals(1, saved.history().iterations());
        assertEquals("adam", saved.optimizerName().orElseThrow());
        assertEquals(1.0, saved.optimizerState().get("iter").toDoubleArray()[0]);
        Map<String, NpyArray> book = Pickles.load(file);
        for (String name : book.keySet()) {
            assertArrayEquals(book.get(name).toDoubleArray(), saved.networkState().get(name).toDoubleArray(), 1e-200, name);
        }
        Run bare = run("train", "--backend", "ejml", "--resume", file.toString(), "--iterations", "1", "--out",
                dir.resolve("bare").toString());
        assertEquals(1, bare.exitCode);
        assertTrue(bare.err.startsWith("nn train: --resume " + file + ": a book pickle (.pkl) holds weights but not the"
                + " network: give --net simple-convnet"), bare.err);
    }
}
