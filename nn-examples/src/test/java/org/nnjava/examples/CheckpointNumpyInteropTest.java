package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.io.Npz;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;

/**
 * A checkpoint trained here gives the same predictions in NumPy (the book's forward pass, written in
 * Python), and weights saved by NumPy give the same predictions here. Needs python3 with numpy; skips
 * with the reason otherwise.
 */
class CheckpointNumpyInteropTest {

    private static final String FORWARD = String.join("\n",
            "import sys, numpy as np",
            "p = np.load(sys.argv[1], allow_pickle=False)",
            "x = np.load(sys.argv[2], allow_pickle=False)['x']",
            "h = np.maximum(0, x @ p['W1'] + p['b1'])",
            "print(','.join(str(int(k)) for k in np.argmax(h @ p['W2'] + p['b2'], axis=1)))");

    private static final String SAVE_RANDOM = String.join("\n",
            "import sys, numpy as np",
            "r = np.random.default_rng(5)",
            "np.savez(sys.argv[1], W1=r.normal(0, 0.05, (784, 50)).astype(np.float32), b1=r.normal(0, 0.1, 50).astype(np.float32),",
            "         W2=r.normal(0, 0.3, (50, 10)).astype(np.float32), b2=r.normal(0, 0.1, 10).astype(np.float32))");

    private static Backend nd;
    private static Tensor x;

    @TempDir
    Path dir;

    @BeforeAll
    static void numpyAndData() throws IOException, InterruptedException {
        String problem = python("import numpy");
        assumeTrue(problem.isEmpty(), "python3 with numpy not found: " + problem);
        nd = Backends.get("ejml", DType.FLOAT64);
        TensorDataSet data = DataSetLoader.create().load(DataSetLoader.MNIST_SAMPLE).toTensors(nd, LoadOptions.BOOK_DEFAULTS);
        x = data.xTest().gatherRows(java.util.stream.IntStream.range(0, 300).toArray());
    }

    /** Runs python3 -c; returns "" on success, else what went wrong. */
    private static String python(String code, String... args) throws IOException, InterruptedException {
        String[] command = new String[3 + args.length];
        command[0] = "python3";
        command[1] = "-c";
        command[2] = code;
        System.arraycopy(args, 0, command, 3, args.length);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "python3 failed: " + output;
            }
            lastOutput = output.trim();
            return "";
        } catch (IOException e) {
            return "python3 could not be started: " + e.getMessage();
        }
    }

    private static String lastOutput;

    private static int[] javaPredictions(TwoLayerNet net) {
        return Arrays.stream(net.predict(x).argmax(1).toDoubleArray()).mapToInt(v -> (int) v).toArray();
    }

    private static int[] parse(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void aCheckpointTrainedHerePredictsTheSameInNumpy() throws Exception {
        TwoLayerNet net = new TwoLayerNet(nd, 784, 50, 10, 3L);
        TensorDataSet data = DataSetLoader.create().load(DataSetLoader.MNIST_SAMPLE).toTensors(nd, LoadOptions.BOOK_DEFAULTS);
        new Trainer(net, new Sgd(0.1)).train(data.xTrain(), data.tTrain(), x, data.tTest().gatherRows(
                java.util.stream.IntStream.range(0, 300).toArray()), new TrainingConfig(200, 100, 4L), new TrainingListener() { });
        Path checkpoint = dir.resolve("net.npz");
        Path inputs = dir.resolve("x.npz");
        Npz.save(checkpoint, net.params());
        Npz.save(inputs, Map.of("x", x));
        assertEquals("", python(FORWARD, checkpoint.toString(), inputs.toString()));
        int[] expected = javaPredictions(net);
        assertArrayEquals(expected, parse(lastOutput));
        assertEquals(300, expected.length);
    }

    @Test
    void weightsSavedByNumpyPredictTheSameHere() throws Exception {
        Path checkpoint = dir.resolve("numpy.npz");
        Path inputs = dir.resolve("x.npz");
        assertEquals("", python(SAVE_RANDOM, checkpoint.toString()));
        Npz.save(inputs, Map.of("x", x));
        assertEquals("", python(FORWARD, checkpoint.toString(), inputs.toString()));
        int[] numpy = parse(lastOutput);
        TwoLayerNet net = new TwoLayerNet(nd, 784, 50, 10, 0L);
        Npz.loadInto(checkpoint, net.params());
        assertArrayEquals(numpy, javaPredictions(net));
        assertTrue(Arrays.stream(numpy).distinct().count() > 1, "the random weights predict several classes");
    }
}
