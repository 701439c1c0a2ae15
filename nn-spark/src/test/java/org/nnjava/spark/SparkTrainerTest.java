package org.nnjava.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.optim.Optimizer;
import org.nnjava.optim.Optimizers;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Checkpoint;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;
import org.nnjava.train.TrainingSetup;

/** Training through Spark in local mode against single-process training on the same samples. */
class SparkTrainerTest {

    private static final NetworkSpec NET = NetworkSpec.of(784, List.of(20), 10, Activation.RELU, null, false, 0, 0, 3L);
    /** He initialisation: every optimizer's loss falls within a few dozen iterations. */
    private static final NetworkSpec HE = NetworkSpec.of(784, List.of(20), 10, Activation.RELU, "he", false, 0, 0, 3L);

    @TempDir
    Path dir;

    private static TensorDataSet data(Backend nd) throws IOException {
        return DataSetLoader.create().load(DataSetLoader.MNIST_SAMPLE).toTensors(nd, new LoadOptions(true, true, false));
    }

    private static SparkJob job(String backend, String optimizer, double lr, int partitions, int b, SyncMode mode, int k) {
        return job(NET, backend, optimizer, lr, partitions, b, mode, k);
    }

    private static SparkJob job(NetworkSpec net, String backend, String optimizer, double lr, int partitions, int b,
            SyncMode mode, int k) {
        return new SparkJob(backend, "float64", DataSetLoader.MNIST_SAMPLE, null, net, optimizer, lr, partitions, b, 11L,
                mode, k);
    }

    private static TrainingResult spark(SparkJob job, Network net, Optimizer opt, int iterations, TrainingResult before,
            TensorDataSet data) {
        return new SparkTrainer(SharedSpark.context(), job, data.trainSize()).train(net, opt,
                new TrainingConfig(iterations, job.globalBatch(), job.seed()), before,
                data.xTest(), data.tTest(), new TrainingListener() { });
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void synchronousAveragingWithSgdEqualsOneProcessOnTheUnionOfTheShares(String backend) throws IOException {
        Backend nd = Backends.get(backend, DType.FLOAT64);
        TensorDataSet data = data(nd);
        int partitions = 2;
        int b = 5;
        Network single = NET.build(nd);
        Optimizer sgd = Optimizers.create("sgd", 0.1);
        double[] expected = new double[20];
        for (int i = 0; i < 20; i++) {
            int[] rows = new int[partitions * b];
            for (int p = 0; p < partitions; p++) {
                int[] shard = Worker.shardRows(data.trainSize(), partitions, p);
                int[] drawn = Worker.draw(11L, p, i, shard.length, b);
                for (int j = 0; j < b; j++) {
                    rows[p * b + j] = shard[drawn[j]];
                }
            }
            Map<String, Tensor> grads = single.gradient(data.xTrain().gatherRows(rows), data.tTrain().gatherRows(rows));
            expected[i] = single.lastLoss();
            sgd.update(single.params(), grads);
        }
        Network distributed = NET.build(nd);
        TrainingResult result = spark(job(backend, "sgd", 0.1, partitions, b, SyncMode.GRADIENTS, 1), distributed,
                Optimizers.create("sgd", 0.1), 20, TrainingResult.none(), data);
        for (int i = 0; i < 20; i++) {
            double actual = result.losses().get(i);
            assertEquals(expected[i], actual, 1e-9 * Math.abs(expected[i]), backend + ": iteration " + (i + 1));
        }
        single.params().forEach((name, w) -> assertArrayEquals(w.toDoubleArray(),
                distributed.params().get(name).toDoubleArray(), 1e-9, name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"})
    void everyOptimizerTrainsThroughSparkAndItsStateResumesFromACheckpoint(String optimizer) throws IOException {
        Backend nd = Backends.get("ejml", DType.FLOAT64);
        TensorDataSet data = data(nd);
        double lr = List.of("sgd", "momentum", "nesterov").contains(optimizer) ? 0.1 : 0.01;
        SparkJob job = job(HE, "ejml", optimizer, lr, 2, 25, SyncMode.GRADIENTS, 1);
        Network whole = HE.build(nd);
        TrainingResult once = spark(job, whole, Optimizers.create(optimizer, lr), 30, TrainingResult.none(), data);
        double last = once.losses().subList(25, 30).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(last < once.losses().get(0) * 0.9, "the loss falls: " + once.losses());

        Network first = HE.build(nd);
        Optimizer opt = Optimizers.create(optimizer, lr);
        TrainingResult part = spark(job, first, opt, 12, TrainingResult.none(), data);
        Path file = dir.resolve("network.npz");
        Checkpoint.save(file, first, HE, opt, new TrainingSetup(data.name(), data.trainSize(), DType.FLOAT64, 50, 11L),
                part);
        Checkpoint saved = Checkpoint.load(file);
        Network resumed = saved.restoreNetwork(HE, nd);
        Optimizer resumedOpt = Optimizers.create(optimizer, lr);
        saved.restoreOptimizer(resumedOpt, resumed);
        TrainingResult rest = spark(job, resumed, resumedOpt, 18, saved.history(), data);
        assertEquals(once.losses(), rest.losses());
        whole.params().forEach((name, w) -> assertArrayEquals(w.toDoubleArray(), resumed.params().get(name).toDoubleArray(),
                0.0, name));
    }

    @Test
    void parameterAveragingReachesTheAccuracyOfOneProcess() throws IOException {
        Backend nd = Backends.get("ejml", DType.FLOAT64);
        TensorDataSet data = data(nd);
        int iterations = 400; // 5 epochs of 80 batches of 100
        Network single = NET.build(nd);
        TrainingResult alone = new Trainer(single, Optimizers.create("sgd", 0.1)).train(data.xTrain(), data.tTrain(),
                data.xTest(), data.tTest(), new TrainingConfig(iterations, 100, 11L), new TrainingListener() { });
        Network averaged = NET.build(nd);
        TrainingResult spark = spark(job("ejml", "sgd", 0.1, 2, 50, SyncMode.PARAMS, 5), averaged,
                Optimizers.create("sgd", 0.1), iterations, TrainingResult.none(), data);
        double a = alone.last().testAccuracy();
        double s = spark.last().testAccuracy();
        assertEquals(a, s, 0.01, "single process " + a + ", parameter averaging " + s);
        assertEquals(iterations, spark.iterations());
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutChangingTheResult() throws IOException {
        Backend nd = Backends.get("ejml", DType.FLOAT64);
        TensorDataSet data = data(nd);
        SparkJob job = job("ejml", "sgd", 0.1, 2, 10, SyncMode.GRADIENTS, 1);
        TrainingResult clean = spark(job, NET.build(nd), Optimizers.create("sgd", 0.1), 6, TrainingResult.none(), data);
        Worker.FAILURES_TO_INJECT.set(1);
        TrainingResult retried = spark(job, NET.build(nd), Optimizers.create("sgd", 0.1), 6, TrainingResult.none(), data);
        assertEquals(0, Worker.FAILURES_TO_INJECT.get(), "the failure was injected");
        assertEquals(clean.losses(), retried.losses(), "no gradient counted twice");
    }

    @Test
    void aMalformedOrUnreachableMasterIsAClearErrorWithinSeconds() throws IOException {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> SparkContexts.check("lokal[2]"));
        assertEquals("--spark 'lokal[2]' is not a Spark master URL: use local[N], local[*] or spark://HOST:PORT (a"
                + " standalone master, by default port 7077)", bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparkContexts.check("spark://host:99999"));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        long start = System.nanoTime();
        String url = "spark://127.0.0.1:" + port;
        IllegalArgumentException down = assertThrows(IllegalArgumentException.class, () -> SparkContexts.check(url));
        assertTrue(down.getMessage().startsWith("--spark " + url + ": cannot reach the Spark master"), down.getMessage());
        assertTrue(System.nanoTime() - start < 10_000_000_000L, "refused within seconds");
        SparkContexts.check("local[*]");
        SparkContexts.check("local[2,3]");
    }
}
