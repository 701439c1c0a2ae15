package org.nnjava.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.conformance.TensorAssertions.assertThrowsWithMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nnjava.io.CheckpointFormatException;
import org.nnjava.io.CheckpointMismatchException;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.io.NpzArchive;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.optim.Optimizer;
import org.nnjava.optim.Optimizers;
import org.nnjava.spi.BackendProvider;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Checkpoint;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingDivergedException;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;
import org.nnjava.train.TrainingSetup;

/**
 * Checkpoints and exact resume on a backend: {@code K} iterations, a checkpoint, and {@code N - K} more
 * from the file alone equal {@code N} in one run bit for bit (SGD and Adam, with and without batch
 * normalisation and dropout, both dtypes); a checkpoint never holds non-finite values; incomplete or
 * invalid optimizer state and corrupt metadata are refused with a message naming the entry.
 */
public abstract class CheckpointContract {

    private static final int SAMPLES = 60;
    private static final int FEATURES = 8;
    private static final int CLASSES = 3;

    /** The backend under test. */
    protected abstract BackendProvider provider();

    @TempDir
    Path dir;

    private record Data(Tensor x, Tensor t) {
    }

    /** Separable-ish data: the class is the index of the largest of the first three features. */
    private static Data data(Backend nd, long seed) {
        Random random = new Random(seed);
        double[] x = new double[SAMPLES * FEATURES];
        double[] t = new double[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            int best = 0;
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = random.nextGaussian();
                if (j < CLASSES && x[i * FEATURES + j] > x[i * FEATURES + best]) {
                    best = j;
                }
            }
            t[i] = best;
        }
        return new Data(nd.fromArray(x, SAMPLES, FEATURES), nd.fromArray(t, SAMPLES));
    }

    private static NetworkSpec spec(boolean extras) {
        return extras
                ? NetworkSpec.of(FEATURES, List.of(7, 5), CLASSES, Activation.RELU, null, true, 0.3, 0.01, 4L)
                : NetworkSpec.of(FEATURES, List.of(6), CLASSES, Activation.RELU, null, false, 0, 0, 4L);
    }

    private static TrainingResult train(Network net, Optimizer opt, Data d, int iterations, TrainingResult before) {
        return new Trainer(net, opt).train(d.x, d.t, d.x, d.t, new TrainingConfig(iterations, 10, 9L), before,
                new TrainingListener() { });
    }

    private static Map<String, double[]> values(Network net) {
        Map<String, double[]> values = new LinkedHashMap<>();
        net.state().forEach((name, tensor) -> values.put(name, tensor.toDoubleArray()));
        return values;
    }

    @ParameterizedTest(name = "{0}, extras {1}, {2}")
    @CsvSource({"sgd, false, FLOAT64", "adam, false, FLOAT64", "sgd, true, FLOAT64", "adam, true, FLOAT64",
        "momentum, true, FLOAT64", "adam, true, FLOAT32", "rmsprop, false, FLOAT32"})
    void resumingFromTheFileEqualsOneUninterruptedRunBitForBit(String optimizer, boolean extras, DType dtype)
            throws IOException {
        Backend nd = provider().create(dtype);
        Data d = data(nd, 3L);
        NetworkSpec spec = spec(extras);
        Network whole = spec.build(nd);
        TrainingResult once = train(whole, Optimizers.create(optimizer, 0.05), d, 23, TrainingResult.none());

        Network first = spec.build(nd);
        Optimizer opt = Optimizers.create(optimizer, 0.05);
        TrainingResult part = train(first, opt, d, 9, TrainingResult.none());
        Path file = dir.resolve("network.npz");
        Checkpoint.save(file, first, spec, opt, new TrainingSetup("synthetic", SAMPLES, dtype, 10, 9L), part);

        Checkpoint saved = Checkpoint.load(file);
        NetworkSpec recorded = saved.network().orElseThrow();
        assertEquals(spec, recorded);
        Network resumed = saved.restoreNetwork(recorded, nd);
        Optimizer resumedOpt = Optimizers.create(saved.optimizerName().orElseThrow(), saved.learningRate().orElseThrow());
        saved.restoreOptimizer(resumedOpt, resumed);
        TrainingResult rest = train(resumed, resumedOpt, d, 14, saved.history());

        Map<String, double[]> expected = values(whole);
        Map<String, double[]> actual = values(resumed);
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, v) -> assertArrayEquals(v, actual.get(name), 0.0, name));
        assertEquals(once.losses(), rest.losses());
        assertEquals(23, rest.iterations());
        assertEquals(once.epochs().get(once.epochs().size() - 1), rest.last());
    }

    @Test
    void aCheckpointWithNonFiniteValuesIsNeverWrittenAndTheOldFileStays() throws IOException {
        Backend nd = provider().create(DType.FLOAT64);
        Data d = data(nd, 3L);
        NetworkSpec spec = spec(false);
        Network net = spec.build(nd);
        Optimizer opt = Optimizers.create("adam", 0.01);
        TrainingResult result = train(net, opt, d, 3, TrainingResult.none());
        Path file = dir.resolve("network.npz");
        TrainingSetup setup = new TrainingSetup("synthetic", SAMPLES, DType.FLOAT64, 10, 9L);
        Checkpoint.save(file, net, spec, opt, setup, result);
        byte[] good = Files.readAllBytes(file);

        double[] w = net.params().get("W2").toDoubleArray();
        w[4] = Double.NaN;
        net.params().get("W2").assign(w);
        assertThrowsWithMessage(IllegalStateException.class, () -> Checkpoint.save(file, net, spec, opt, setup, result),
                "refusing to write", "W2 holds NaN at element 4", "smaller learning rate");
        assertArrayEquals(good, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file is left");
        }
    }

    @Test
    void aNonFiniteLossStopsTrainingNamingTheIterationAndTheRate() {
        Backend nd = provider().create(DType.FLOAT64);
        Data d = data(nd, 3L);
        Network net = spec(false).build(nd);
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new Trainer(net,
                Optimizers.create("sgd", 1e300)).train(d.x, d.t, d.x, d.t, new TrainingConfig(50, 10, 1L),
                new TrainingListener() { }));
        assertFalse(Double.isFinite(e.loss()));
        assertTrue(e.iteration() >= 1 && e.iteration() <= 50, e.getMessage());
        assertTrue(e.getMessage().contains("iteration " + e.iteration()) && e.getMessage().contains("1.0E300"),
                e.getMessage());
    }

    @Test
    void aGrowingLossIsReportedOnceAsAWarning() {
        Backend nd = provider().create(DType.FLOAT64);
        Data d = data(nd, 3L);
        Network net = NetworkSpec.of(FEATURES, List.of(6), CLASSES, Activation.RELU, "1.0", false, 0, 0, 4L).build(nd);
        List<String> warnings = new java.util.ArrayList<>();
        try {
            new Trainer(net, Optimizers.create("sgd", 50.0)).train(d.x, d.t, d.x, d.t,
                    new TrainingConfig(40, 10, 1L), new TrainingListener() {
                        @Override
                        public void warning(String message) {
                            warnings.add(message);
                        }
                    });
        } catch (TrainingDivergedException diverged) {
            // A NaN may come after the warning; the warning is what is checked here.
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("diverging") && warnings.get(0).contains("50.0"), warnings.get(0));
    }

    /** A checkpoint of Adam after a few steps, then the same archive with {@code edit} applied. */
    private Checkpoint editedAdamCheckpoint(java.util.function.Consumer<Map<String, NpyArray>> edit, Network[] net)
            throws IOException {
        Backend nd = provider().create(DType.FLOAT64);
        Data d = data(nd, 3L);
        NetworkSpec spec = spec(false);
        net[0] = spec.build(nd);
        Optimizer opt = Optimizers.create("adam", 0.01);
        TrainingResult result = train(net[0], opt, d, 3, TrainingResult.none());
        Path file = dir.resolve("adam.npz");
        Checkpoint.save(file, net[0], spec, opt, new TrainingSetup("synthetic", SAMPLES, DType.FLOAT64, 10, 9L), result);
        NpzArchive archive = Npz.loadArchive(file);
        Map<String, NpyArray> arrays = new LinkedHashMap<>(archive.arrays());
        edit.accept(arrays);
        Path edited = dir.resolve("edited.npz");
        Npz.saveArchive(edited, arrays, archive.files());
        return Checkpoint.load(edited);
    }

    @Test
    void incompleteOrInvalidOptimizerStateIsRefusedNamingTheEntry() throws IOException {
        Network[] net = new Network[1];
        Object[][] cases = {
            {(java.util.function.Consumer<Map<String, NpyArray>>) a -> a.remove("optimizer.m.W1"), "missing m.W1"},
            {(java.util.function.Consumer<Map<String, NpyArray>>) a -> a.remove("optimizer.iter"), "missing iter"},
            {(java.util.function.Consumer<Map<String, NpyArray>>) a -> a.put("optimizer.iter",
                    NpyArray.ofFloat64(new double[] {1e300})), "iter 1.0E300"},
            {(java.util.function.Consumer<Map<String, NpyArray>>) a -> a.put("optimizer.v.b1",
                    NpyArray.ofFloat64(new double[] {0, 0, -1, 0, 0, 0}, 6)), "v.b1[2] is -1.0", ">= 0"},
            {(java.util.function.Consumer<Map<String, NpyArray>>) a -> a.put("optimizer.m.b2",
                    NpyArray.ofFloat64(new double[] {0, 0}, 2)), "m.b2 has shape [2]"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Checkpoint bad = editedAdamCheckpoint((java.util.function.Consumer<Map<String, NpyArray>>) c[0], net);
            String[] fragments = new String[c.length - 1];
            for (int i = 1; i < c.length; i++) {
                fragments[i - 1] = (String) c[i];
            }
            Optimizer adam = Optimizers.create("adam", 0.01);
            assertThrowsWithMessage(CheckpointFormatException.class, () -> bad.restoreOptimizer(adam,
                    bad.restoreNetwork(bad.network().orElseThrow(), net[0].params().get("W1").backend())), fragments);
        }
        Checkpoint good = editedAdamCheckpoint(a -> { }, net);
        assertThrowsWithMessage(CheckpointFormatException.class, () -> good.restoreOptimizer(
                Optimizers.create("sgd", 0.1), net[0]), "trained with optimizer adam, not sgd");
    }

    @Test
    void aParametersOnlyFileLoadsAndAShapeMismatchBlamesTheEntryThatIsWrong() throws IOException {
        Backend nd = provider().create(DType.FLOAT64);
        Network net = spec(false).build(nd);
        Path legacy = dir.resolve("legacy.npz");
        Npz.save(legacy, net.state());
        Checkpoint loaded = Checkpoint.load(legacy);
        assertFalse(loaded.hasMetadata());
        NetworkSpec inferred = loaded.inferSpec(Activation.RELU);
        assertEquals(List.of(6), inferred.hidden());
        Network restored = loaded.restoreNetwork(inferred, nd);
        assertArrayEquals(net.params().get("W1").toDoubleArray(), restored.params().get("W1").toDoubleArray(), 0.0);

        Map<String, Tensor> wrong = new LinkedHashMap<>(net.state());
        wrong.put("W1", nd.zeros(FEATURES, 7));
        Npz.save(legacy, wrong);
        Checkpoint bad = Checkpoint.load(legacy);
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> bad.restoreNetwork(bad.inferSpec(Activation.RELU), nd));
        assertEquals(List.of("W1: file has [8, 7], network has [8, 6]"), e.mismatches());
    }

    @Test
    void corruptMetadataIsRefusedNamingTheField() throws IOException {
        Network[] net = new Network[1];
        editedAdamCheckpoint(a -> { }, net);
        NpzArchive archive = Npz.loadArchive(dir.resolve("adam.npz"));
        String json = new String(archive.file(Checkpoint.METADATA), StandardCharsets.UTF_8);
        String[][] cases = {
            {"{", "not valid JSON"},
            {json.replace("\"hidden\" : [ 6 ]", "\"hidden\" : [ 0 ]"), "network.hidden[0]"},
            {json.replace("\"nnjava-checkpoint\"", "\"other\""), "not an nnjava checkpoint"},
            {json.replace("\"version\" : 1", "\"version\" : 99"), "version 99 is newer"},
            {json.replace("\"dtype\" : \"float64\"", "\"dtype\" : 3"), "\"dtype\" must be a string"},
            {json.replace("\"learning_rate\" : 0.01", "\"learning_rate\" : \"fast\""), "\"learning_rate\" must be a finite"},
            {json.replace("\"iterations\" : 3", "\"iterations\" : 4"), "expected 4 losses"},
            {json.replace("\"kind\" : \"two-layer-net\"", "\"kind\" : \"cnn\""), "unknown network kind 'cnn'"},
            {"[".repeat(500) + "]".repeat(500), "not valid JSON"},
        };
        for (String[] c : cases) {
            Path file = dir.resolve("corrupt.npz");
            Npz.saveArchive(file, archive.arrays(), Map.of(Checkpoint.METADATA, c[0].getBytes(StandardCharsets.UTF_8)));
            assertThrowsWithMessage(CheckpointFormatException.class, () -> Checkpoint.load(file), c[1], "checkpoint.json");
        }
    }

    @Test
    void randomMutationsOfTheMetadataGiveOnlyTheCheckpointErrors() throws IOException {
        Network[] net = new Network[1];
        editedAdamCheckpoint(a -> { }, net);
        NpzArchive archive = Npz.loadArchive(dir.resolve("adam.npz"));
        byte[] json = archive.file(Checkpoint.METADATA);
        Backend nd = net[0].params().get("W1").backend();
        Random random = new Random(11L);
        Path file = dir.resolve("mutated.npz");
        for (int trial = 0; trial < 150; trial++) {
            byte[] mutated = json.clone();
            for (int k = 0; k <= random.nextInt(3); k++) {
                mutated[random.nextInt(mutated.length)] = (byte) "0123456789-.e\"{}[],: atfn".charAt(random.nextInt(25));
            }
            Npz.saveArchive(file, archive.arrays(), Map.of(Checkpoint.METADATA, mutated));
            try {
                Checkpoint c = Checkpoint.load(file);
                Network restored = c.restoreNetwork(c.network().orElseThrow(), nd);
                c.restoreOptimizer(Optimizers.create(c.optimizerName().orElseThrow(), 0.01), restored);
            } catch (CheckpointFormatException | CheckpointMismatchException expected) {
                assertTrue(expected.getMessage().contains("checkpoint"), expected.getMessage());
            } catch (IllegalArgumentException optimizerName) {
                // A mutated optimizer name is refused by Optimizers.create with its own message.
                assertTrue(optimizerName.getMessage().contains("optimizer"), optimizerName.getMessage());
            }
        }
    }
}
