package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.examples.Run.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.Npz;
import org.nnjava.io.NpyArray;

/** {@code nn train} and {@code nn predict} end to end on the embedded sample, and each bad input's message. */
class TrainCommandTest {

    @TempDir
    Path dir;

    @Test
    void trainWritesCheckpointCsvAndPlotAndPredictReadsTheCheckpoint() throws IOException {
        Path out = dir.resolve("run");
        Run r = run("train", "--backend", "ejml", "--iterations", "120", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.contains("backend ejml, dtype float64, data set mnist-sample: 120 iterations"), r.out);
        assertTrue(r.out.contains("checkpoint: " + out.resolve("network.npz")), r.out);

        Map<String, NpyArray> saved = Npz.load(out.resolve("network.npz"));
        assertEquals(List.of("W1", "b1", "W2", "b2", "history.loss", "history.accuracy"), List.copyOf(saved.keySet()));
        assertEquals(List.of(784, 50), List.of(saved.get("W1").shape().dim(0), saved.get("W1").shape().dim(1)));
        List<String> losses = Files.readAllLines(out.resolve("loss.csv"));
        assertEquals("iteration,loss", losses.get(0));
        assertEquals(121, losses.size());
        List<String> accuracy = Files.readAllLines(out.resolve("accuracy.csv"));
        assertEquals("epoch,iteration,train_acc,test_acc", accuracy.get(0));
        assertEquals(List.of("1", "81", "120"), accuracy.stream().skip(1).map(l -> l.split(",")[1]).toList());
        BufferedImage plot = ImageIO.read(out.resolve("training.png").toFile());
        assertEquals(1280, plot.getWidth());

        double trained = Double.parseDouble(accuracy.get(accuracy.size() - 1).split(",")[3]);
        Run p = run("predict", "--backend", "ejml", "--checkpoint", out.resolve("network.npz").toString());
        assertEquals(0, p.exitCode, p.err);
        assertTrue(p.out.contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", trained)), p.out + " vs " + trained);
    }

    @Test
    void resumeContinuesFromTheCheckpoint() {
        Path first = dir.resolve("first");
        assertEquals(0, run("train", "--backend", "ejml", "--iterations", "150", "--out", first.toString(), "--quiet").exitCode);
        Path second = dir.resolve("second");
        Run r = run("train", "--backend", "ejml", "--iterations", "1", "--out", second.toString(), "--resume",
                first.resolve("network.npz").toString(), "--quiet");
        assertEquals(0, r.exitCode, r.err);
        Run fresh = run("train", "--backend", "ejml", "--iterations", "1", "--out", dir.resolve("fresh").toString(), "--quiet");
        assertTrue(finalLoss(r.out) < finalLoss(fresh.out) / 2, r.out + "\n" + fresh.out);
    }

    private static double finalLoss(String out) {
        String marker = "final loss ";
        int at = out.indexOf(marker) + marker.length();
        return Double.parseDouble(out.substring(at, out.indexOf(',', at)));
    }

    @Test
    void chapterSixOptionsBuildTheExtendedNetworkAndLearn() {
        Path out = dir.resolve("ch6");
        Run r = run("train", "--backend", "ejml", "--iterations", "200", "--hidden", "40,30", "--optimizer", "adam",
                "--batchnorm", "--dropout", "0.1", "--weight-decay", "0.001", "--init", "he", "--out", out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.startsWith("Affine -> BatchNormalization -> Relu -> Dropout -> Affine -> BatchNormalization -> Relu"
                + " -> Dropout -> Affine -> SoftmaxWithLoss on mnist-sample"), r.out);
        String last = r.out.substring(r.out.indexOf("test acc", r.out.indexOf("final loss")) + "test acc ".length()).trim();
        assertTrue(Double.parseDouble(last.substring(0, 6)) > 0.8, r.out);
    }

    @Test
    void batchNormRunningStatisticsAndAdamStateAreCheckpointedAndPredictUsesThem() throws IOException {
        Path out = dir.resolve("bn");
        Run r = run("train", "--backend", "ejml", "--iterations", "100", "--hidden", "30,20", "--batchnorm",
                "--optimizer", "adam", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode, r.err);
        Map<String, NpyArray> saved = Npz.load(out.resolve("network.npz"));
        assertTrue(saved.keySet().containsAll(List.of("gamma1", "beta2", "running_mean1", "running_var2")), saved.keySet().toString());
        assertTrue(saved.keySet().containsAll(List.of("optimizer.m.W1", "optimizer.v.W1", "optimizer.iter")),
                saved.keySet().toString());
        assertFalse(Files.exists(out.resolve("optimizer.npz")), "one file holds the optimizer's state");
        List<String> accuracy = Files.readAllLines(out.resolve("accuracy.csv"));
        double trained = Double.parseDouble(accuracy.get(accuracy.size() - 1).split(",")[3]);
        Run p = run("predict", "--backend", "ejml", "--checkpoint", out.resolve("network.npz").toString());
        assertEquals(0, p.exitCode, p.err);
        assertTrue(p.out.contains("BatchNormalization"), p.out);
        assertTrue(p.out.contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", trained)), p.out + " vs " + trained);
        // No architecture option repeated: the checkpoint describes the run.
        Run resumed = run("train", "--backend", "ejml", "--iterations", "1", "--resume", out.resolve("network.npz").toString(),
                "--out", dir.resolve("bn2").toString());
        assertEquals(0, resumed.exitCode, resumed.err);
        assertTrue(resumed.out.contains("resuming " + out.resolve("network.npz") + ": 784-30-20-10 relu, batch norm, adam,"
                + " 100 iterations done"), resumed.out);
        assertTrue(resumed.out.contains("resumed from " + out.resolve("network.npz") + " at iteration 100"), resumed.out);
    }

    @Test
    void unknownOptimizerListsTheKnownOnes() {
        Run r = run("train", "--optimizer", "lbfgs", "--iterations", "1", "--out", dir.resolve("o").toString());
        assertEquals(1, r.exitCode);
        assertEquals("nn train: --optimizer 'lbfgs' is unknown: use one of [sgd, momentum, nesterov, adagrad, rmsprop, adam]\n",
                r.err);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("train", "--bogus");
        assertEquals(2, r.exitCode);
        assertEquals("nn train: Unknown option: '--bogus'\nTry 'nn train --help'.\n", r.err);
    }

    @Test
    void missingDataDirectoryIsOneLine() {
        Run r = run("train", "--dataset", "mnist", "--data", dir.resolve("nowhere").toString(), "--iterations", "1");
        assertEquals(1, r.exitCode);
        assertEquals("nn train: --data " + dir.resolve("nowhere") + ": no such directory; give the directory that holds "
                + "train-images-idx3-ubyte(.gz) and the other three files\n", r.err);
    }

    @Test
    void corruptDataFileIsOneLineNamingTheFile() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            Files.write(data.resolve(name), new byte[] {0, 0, 8, 3, 0, 0});
        }
        Run r = run("train", "--dataset", "mnist", "--data", data.toString(), "--iterations", "1", "--out",
                dir.resolve("o").toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.err.startsWith("nn train: ") && r.err.contains("train-images-idx3-ubyte"), r.err);
        assertEquals(1, r.err.lines().count(), r.err);
        assertTrue(!r.err.contains("Exception") && !r.err.contains("\tat "), "no stack trace: " + r.err);
    }

    @Test
    void anArchitectureOptionThatContradictsTheCheckpointNamesBothValues() {
        Path small = dir.resolve("small");
        assertEquals(0, run("train", "--backend", "ejml", "--hidden", "20", "--iterations", "1", "--out", small.toString(),
                "--quiet").exitCode);
        Run r = run("train", "--backend", "ejml", "--iterations", "1", "--hidden", "50", "--resume",
                small.resolve("network.npz").toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, r.exitCode);
        assertEquals("nn train: --hidden 50 contradicts the checkpoint " + small.resolve("network.npz") + ", which was"
                + " trained with --hidden 20; leave --hidden out to continue the run, or train a new one without --resume\n",
                r.err);
        Run dtype = run("train", "--backend", "ejml", "--iterations", "1", "--dtype", "float32", "--resume",
                small.resolve("network.npz").toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, dtype.exitCode);
        assertTrue(dtype.err.contains("--dtype float32 contradicts") && dtype.err.contains("--dtype float64"), dtype.err);
        Run optimizer = run("train", "--backend", "ejml", "--iterations", "1", "--optimizer", "adam", "--resume",
                small.resolve("network.npz").toString(), "--out", dir.resolve("o").toString());
        assertEquals(1, optimizer.exitCode);
        assertTrue(optimizer.err.contains("--optimizer adam contradicts") && optimizer.err.contains("--optimizer sgd"),
                optimizer.err);
    }

    @Test
    void aParametersOnlyCheckpointThatDoesNotFitNamesEachMismatch() throws IOException {
        Path legacy = dir.resolve("legacy.npz");
        Npz.saveArrays(legacy, Map.of("W1", NpyArray.ofFloat64(new double[784 * 20], 784, 20),
                "b1", NpyArray.ofFloat64(new double[20], 20), "W2", NpyArray.ofFloat64(new double[200], 20, 10),
                "b2", NpyArray.ofFloat64(new double[10], 10)));
        Run r = run("train", "--backend", "ejml", "--iterations", "1", "--resume", legacy.toString(),
                "--out", dir.resolve("o").toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.out.contains(legacy + " holds parameters only (written by an earlier version)"), r.out);
        assertTrue(r.err.startsWith("nn train: "), r.err);
        assertTrue(r.err.contains("W1: file has [784, 20], network has [784, 50]"), r.err);
        assertTrue(r.err.contains("b1: file has [20], network has [50]"), r.err);
        assertTrue(r.err.contains("W2: file has [20, 10], network has [50, 10]"), r.err);
    }

    @Test
    void notACheckpointIsOneLine() throws IOException {
        Path bogus = Files.writeString(dir.resolve("bogus.npz"), "not a zip");
        Run r = run("predict", "--backend", "ejml", "--checkpoint", bogus.toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.err.startsWith("nn predict: checkpoint " + bogus + ": not a zip archive"), r.err);
    }

    @Test
    void unknownDataSetListsTheKnownOnes() {
        Run r = run("train", "--dataset", "cifar", "--iterations", "1");
        assertEquals(1, r.exitCode);
        assertEquals("nn train: unknown data set 'cifar': use one of [mnist, fashion-mnist, mnist-sample]\n", r.err);
    }

    @Test
    void verbosePrintsTheStackTraceToo() {
        Run r = run("train", "--dataset", "cifar", "--verbose");
        assertEquals(1, r.exitCode);
        assertTrue(r.err.contains("\tat "), r.err);
    }

    @Test
    void everyOptionIsCheckedBeforeAnythingIsLoadedOrTrained() {
        String[][] cases = {
            {"--hidden", "0", "--hidden 0: each hidden layer size must be at least 1"},
            {"--hidden", "50,-3", "--hidden 50,-3: each hidden layer size must be at least 1"},
            {"--lr", "NaN", "--lr NaN must be a positive finite number"},
            {"--lr", "Infinity", "--lr Infinity must be a positive finite number"},
            {"--lr", "-1", "--lr -1.0 must be a positive finite number"},
            {"--dropout", "1", "--dropout 1.0 must be in [0, 1)"},
            {"--weight-decay", "-0.1", "--weight-decay -0.1 must be a finite number >= 0"},
            {"--batch-size", "0", "--batch-size 0 must be at least 1"},
            {"--iterations", "0", "--iterations 0 must be at least 1"},
            {"--init", "glorot", "unknown weight initialisation 'glorot'"},
            {"--activation", "gelu", "unknown activation 'gelu'"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("checked");
            Run r = run("train", "--backend", "ejml", c[0], c[1], "--out", out.toString());
            assertEquals(1, r.exitCode, String.join(" ", c));
            assertTrue(r.err.startsWith("nn train: ") && r.err.contains(c[2]), c[0] + " " + c[1] + ": " + r.err);
            assertEquals("", r.out, "nothing loaded or trained for " + c[0] + " " + c[1]);
            assertFalse(Files.exists(out), "--out is not even created for a bad option");
        }
    }

    @Test
    void aBatchLargerThanTheTrainingSetNamesTheOption() {
        Run r = run("train", "--backend", "ejml", "--batch-size", "100000000", "--out", dir.resolve("o").toString(), "--quiet");
        assertEquals(1, r.exitCode);
        assertEquals("nn train: --batch-size 100000000 exceeds the 8000 training images of mnist-sample; give at most 8000\n",
                r.err);
    }

    @Test
    void anOutDirectoryThatCannotBeWrittenFailsBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run under = run("train", "--backend", "ejml", "--out", file.resolve("sub").toString());
        assertEquals(1, under.exitCode);
        assertTrue(under.err.contains("--out " + file.resolve("sub") + ": cannot create the directory"), under.err);
        Run itself = run("train", "--backend", "ejml", "--out", file.toString());
        assertEquals(1, itself.exitCode);
        assertTrue(itself.err.contains("--out " + file + " exists and is not a directory"), itself.err);
        Path proc = Path.of("/proc/self");
        if (Files.isDirectory(proc)) { // an existing directory no one can create files in, even root
            Run r = run("train", "--backend", "ejml", "--out", proc.toString());
            assertEquals(1, r.exitCode);
            assertTrue(r.err.contains("--out /proc/self is not writable") && r.err.contains("nothing was trained"), r.err);
            assertEquals("", r.out, "no data loaded, no iteration run");
        }
    }

    @Test
    void divergenceIsAnErrorAndLeavesTheGoodCheckpointAsItWas() throws IOException {
        Path out = dir.resolve("good");
        assertEquals(0, run("train", "--backend", "ejml", "--iterations", "30", "--out", out.toString(), "--quiet").exitCode);
        byte[] good = Files.readAllBytes(out.resolve("network.npz"));
        Run r = run("train", "--backend", "ejml", "--iterations", "300", "--lr", "1e300", "--out", out.toString(), "--quiet");
        assertEquals(1, r.exitCode, r.out);
        assertTrue(r.err.matches("(?s)nn train: training diverged at iteration \\d+: the loss is (NaN|Infinity) with learning"
                + " rate 1\\.0E300; train again with a smaller --lr; no checkpoint was written by this run.*\n"), r.err);
        assertArrayEquals(good, Files.readAllBytes(out.resolve("network.npz")));
    }

    @Test
    void resumingContinuesTheRunExactlyAndTheCsvFilesCoverTheWholeRun() throws IOException {
        for (String backend : List.of("ejml", "nd4j")) {
            String[] common = {"--backend", backend, "--optimizer", "adam", "--hidden", "30,20", "--dropout", "0.1",
                "--batchnorm", "--quiet"};
            Path once = dir.resolve(backend + "-once");
            Path twice = dir.resolve(backend + "-twice");
            assertEquals(0, run(concat(common, "--iterations", "130", "--out", once.toString())).exitCode);
            assertEquals(0, run(concat(common, "--iterations", "50", "--out", twice.toString())).exitCode);
            Run resumed = run("train", "--backend", backend, "--iterations", "80", "--resume",
                    twice.resolve("network.npz").toString(), "--out", twice.toString(), "--quiet");
            assertEquals(0, resumed.exitCode, resumed.err);
            Map<String, NpyArray> expected = Npz.load(once.resolve("network.npz"));
            Map<String, NpyArray> actual = Npz.load(twice.resolve("network.npz"));
            assertEquals(expected.keySet(), actual.keySet());
            for (String name : expected.keySet()) {
                if (!name.equals("history.accuracy")) { // the resumed run also evaluated where the first part ended
                    assertEquals(expected.get(name), actual.get(name), backend + ": " + name + " after 50 + 80 iterations");
                }
            }
            assertEquals(Files.readAllLines(once.resolve("loss.csv")), Files.readAllLines(twice.resolve("loss.csv")));
            List<String> all = Files.readAllLines(twice.resolve("accuracy.csv"));
            assertTrue(all.containsAll(Files.readAllLines(once.resolve("accuracy.csv"))), backend + ": " + all);
            assertTrue(all.stream().anyMatch(l -> l.split(",")[1].equals("50")), all.toString());
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length + 1];
        all[0] = "train";
        System.arraycopy(head, 0, all, 1, head.length);
        System.arraycopy(tail, 0, all, 1 + head.length, tail.length);
        return all;
    }

    @Test
    void anEarlierVersionsOptimizerFileIsRemovedWhenTheCheckpointSupersedesIt() throws IOException {
        Path out = Files.createDirectories(dir.resolve("old"));
        Npz.saveArrays(out.resolve("optimizer.npz"), Map.of("m.W1", NpyArray.ofFloat64(new double[] {1}, 1)));
        Run r = run("train", "--backend", "ejml", "--iterations", "5", "--out", out.toString(), "--quiet");
        assertEquals(0, r.exitCode, r.err);
        assertFalse(Files.exists(out.resolve("optimizer.npz")));
        assertTrue(r.out.contains("removed " + out.resolve("optimizer.npz") + ", an earlier version's optimizer state"), r.out);
    }

    @Test
    void predictRebuildsTheRecordedArchitectureAndRefusesAContradictingActivation() throws IOException {
        Path out = dir.resolve("sigmoid");
        assertEquals(0, run("train", "--backend", "ejml", "--iterations", "40", "--hidden", "20", "--activation",
                "sigmoid", "--out", out.toString(), "--quiet").exitCode);
        String checkpoint = out.resolve("network.npz").toString();
        List<String> accuracy = Files.readAllLines(out.resolve("accuracy.csv"));
        double trained = Double.parseDouble(accuracy.get(accuracy.size() - 1).split(",")[3]);
        Run p = run("predict", "--backend", "ejml", "--checkpoint", checkpoint);
        assertEquals(0, p.exitCode, p.err);
        assertTrue(p.out.contains("Sigmoid") && p.out.contains(String.format(java.util.Locale.ROOT, "accuracy %.4f", trained)),
                p.out);
        Run wrong = run("predict", "--backend", "ejml", "--checkpoint", checkpoint, "--activation", "relu");
        assertEquals(1, wrong.exitCode);
        assertTrue(wrong.err.contains("--activation relu contradicts the checkpoint") && wrong.err.contains("uses sigmoid"),
                wrong.err);
    }

    @Test
    void aCheckpointWithNonFiniteWeightsIsRefusedForResumeAndWarnedAboutForPredict() throws IOException {
        Path bad = dir.resolve("nan.npz");
        double[] w1 = new double[784 * 5];
        w1[7] = Double.NaN;
        Map<String, NpyArray> arrays = new java.util.LinkedHashMap<>();
        arrays.put("W1", NpyArray.ofFloat64(w1, 784, 5));
        arrays.put("b1", NpyArray.ofFloat64(new double[5], 5));
        arrays.put("W2", NpyArray.ofFloat64(new double[50], 5, 10));
        arrays.put("b2", NpyArray.ofFloat64(new double[10], 10));
        Npz.saveArrays(bad, arrays);
        Run resume = run("train", "--backend", "ejml", "--hidden", "5", "--iterations", "1", "--resume", bad.toString(),
                "--out", dir.resolve("o").toString());
        assertEquals(1, resume.exitCode);
        assertTrue(resume.err.contains("holds values that are not finite (1 problem: W1 holds NaN at element 7)"), resume.err);
        Run predict = run("predict", "--backend", "ejml", "--checkpoint", bad.toString());
        assertEquals(0, predict.exitCode, predict.err);
        assertTrue(predict.err.contains("nn predict: warning: " + bad + " holds values that are not finite"), predict.err);
    }

    @Test
    void aFifoOrADirectoryGivenAsTheCheckpointIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("fifo.npz");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available here");
        Run p = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> run("predict", "--backend", "ejml", "--checkpoint", fifo.toString()));
        assertEquals(1, p.exitCode);
        assertTrue(p.err.startsWith("nn predict: ") && p.err.contains(fifo.toString()) && !p.err.contains("\tat "), p.err);
        Run d = run("train", "--backend", "ejml", "--iterations", "1", "--resume", dir.toString(), "--out",
                dir.resolve("o").toString());
        assertEquals(1, d.exitCode);
        assertTrue(d.err.contains("is a directory"), d.err);
    }
}
