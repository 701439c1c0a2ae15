package org.nnjava.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.ImageDataSet;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.net.Network;
import org.nnjava.optim.Optimizer;
import org.nnjava.optim.Optimizers;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * One partition's side of a {@link SparkJob}, kept by the executor between iterations: its shard of the
 * training set (rows {@code p, p + P, p + 2P, ...}, read once on the executor) and a network built once,
 * whose parameters are overwritten from the driver's broadcast at each iteration.
 *
 * <p>Every draw is a pure function of the seed, the partition and the iteration ({@link #draw}), and the
 * state comes from the broadcast, so a task that Spark runs again after a failure computes exactly the
 * same contribution: nothing is counted twice or drawn differently.
 */
final class Worker {

    /** Workers of recent jobs, by job and partition; bounded so that a long-lived executor does not grow. */
    private static final Map<String, Worker> WORKERS = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Worker> eldest) {
            return size() > 16;
        }
    };
    private static final Map<String, TensorDataSet> DATA = new LinkedHashMap<>(4, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, TensorDataSet> eldest) {
            return size() > 2;
        }
    };

    /** Test hook: the next this many gradient tasks in this JVM fail once, as a lost executor would. */
    static final java.util.concurrent.atomic.AtomicInteger FAILURES_TO_INJECT = new java.util.concurrent.atomic.AtomicInteger();

    private final SparkJob job;
    private final int partition;
    private final Backend backend;
    private final Tensor x;
    private final Tensor t;
    private final Network network;

    private Worker(SparkJob job, int partition) {
        this.job = job;
        this.partition = partition;
        this.backend = Backends.registry().backend(job.backend(), "--backend " + job.backend(), DType.parse(job.dtype()));
        TensorDataSet data = data(job, backend);
        int n = data.xTrain().shape().dim(0);
        int[] rows = shardRows(n, job.partitions(), partition);
        if (rows.length == 0) {
            throw new IllegalArgumentException("spark: partition " + partition + " of " + job.partitions() + " holds no"
                    + " training sample of the " + n + " in " + job.dataset() + "; use at most " + n + " partitions");
        }
        // A view in the shape the network takes: [n, 1, 28, 28] for the convnets.
        this.x = job.network().asInput(data.xTrain().gatherRows(rows));
        this.t = data.tTrain().gatherRows(rows);
        this.network = job.network().build(backend);
    }

    /** This executor's worker for {@code partition} of {@code job}, built on first use. */
    static Worker of(SparkJob job, int partition) {
        String key = job + "#" + partition;
        synchronized (WORKERS) {
            Worker worker = WORKERS.get(key);
            if (worker == null) {
                worker = new Worker(job, partition);
                WORKERS.put(key, worker);
            }
            return worker;
        }
    }

    private static TensorDataSet data(SparkJob job, Backend backend) {
        String key = job.dataset() + "|" + job.dataDir() + "|" + backend.name() + "|" + job.dtype();
        synchronized (DATA) {
            TensorDataSet data = DATA.get(key);
            if (data == null) {
                try {
                    DataSetLoader loader = DataSetLoader.create();
                    ImageDataSet images = job.dataDir() == null ? loader.load(job.dataset())
                            : loader.loadFrom(job.dataset(), Path.of(job.dataDir()));
                    data = images.toTensors(backend, new LoadOptions(true, true, false));
                } catch (IOException e) {
                    throw new UncheckedIOException("spark: an executor could not read " + job.dataset() + ": "
                            + e.getMessage(), e);
                }
                DATA.put(key, data);
            }
            return data;
        }
    }

    /** The global indices of partition {@code p}'s shard: {@code p, p + P, ...} below {@code n}. */
    static int[] shardRows(int n, int partitions, int p) {
        int count = n > p ? (n - p + partitions - 1) / partitions : 0;
        int[] rows = new int[count];
        for (int r = 0; r < count; r++) {
            rows[r] = p + r * partitions;
        }
        return rows;
    }

    /**
     * The shard rows partition {@code p} trains on at global iteration {@code iteration} (0-based):
     * {@code batch} indices drawn uniformly with replacement from {@code 0..shardSize-1}, from a generator
     * seeded by the seed, the partition and the iteration only.
     */
    static int[] draw(long seed, int p, long iteration, int shardSize, int batch) {
        Random random = new Random(mix(seed, p, iteration, 0));
        int[] rows = new int[batch];
        for (int j = 0; j < batch; j++) {
            rows[j] = random.nextInt(shardSize);
        }
        return rows;
    }

    private static long mix(long seed, int p, long iteration, int stream) {
        long h = seed * 0x9E3779B97F4A7C15L + p;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + iteration;
        h = (h ^ (h >>> 29)) * 0x94D049BB133111EBL + stream;
        return h ^ (h >>> 32);
    }

    /** Dropout masks for this partition and iteration, independent of what ran before (retry-safe). */
    private void seedDropout(long iteration) {
        List<Long> states = new ArrayList<>();
        for (int k = 0; k < network.randomStates().size(); k++) {
            states.add(mix(job.seed(), partition, iteration, k + 1) & ((1L << 48) - 1));
        }
        network.restoreRandomStates(states);
    }

    private Tensor[] batch(long iteration) {
        int[] rows = draw(job.seed(), partition, iteration, x.shape().dim(0), job.batchPerPartition());
        return new Tensor[] {x.gatherRows(rows), t.gatherRows(rows)};
    }

    /** This partition's gradient at {@code iteration} from the broadcast {@code state}, times its sample count. */
    Contribution gradient(NamedArrays state, long iteration) {
        if (FAILURES_TO_INJECT.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("spark: injected failure of partition " + partition + " at iteration " + iteration);
        }
        state.assignTo(network.state());
        seedDropout(iteration);
        Tensor[] xt = batch(iteration);
        network.setTraining(true);
        Map<String, Tensor> grads = network.gradient(xt[0], xt[1]);
        int b = job.batchPerPartition();
        Contribution c = new Contribution();
        c.sums.addScaled(NamedArrays.of(grads), b);
        c.buffers.addScaled(NamedArrays.of(buffers()), 1);
        c.lossSums = new double[] {network.lastLoss() * b};
        c.samples = b;
        c.partitions = 1;
        return c;
    }

    /**
     * {@code steps} local iterations from {@code iteration} on, starting from the broadcast state and
     * optimizer state; returns the resulting state and optimizer state (weight 1) and the losses.
     */
    Contribution localSteps(NamedArrays state, NamedArrays optimizerState, long iteration, int steps) {
        state.assignTo(network.state());
        Optimizer optimizer = Optimizers.create(job.optimizer(), job.learningRate());
        if (!optimizerState.isEmpty()) {
            optimizer.loadState(optimizerState.toTensors(backend));
        }
        network.setTraining(true);
        int b = job.batchPerPartition();
        Contribution c = new Contribution();
        c.lossSums = new double[steps];
        for (int s = 0; s < steps; s++) {
            seedDropout(iteration + s);
            Tensor[] xt = batch(iteration + s);
            optimizer.update(network.params(), network.gradient(xt[0], xt[1]));
            c.lossSums[s] = network.lastLoss() * b;
        }
        c.sums.addScaled(NamedArrays.of(network.params()), 1);
        c.buffers.addScaled(NamedArrays.of(buffers()), 1);
        c.optimizerState.addScaled(NamedArrays.of(optimizer.state()), 1);
        c.samples = b;
        c.partitions = 1;
        return c;
    }

    /** How many of this shard's samples the broadcast state classifies correctly (inference mode). */
    long correct(NamedArrays state) {
        state.assignTo(network.state());
        return Math.round(network.accuracy(x, t) * x.shape().dim(0));
    }

    private Map<String, Tensor> buffers() {
        Map<String, Tensor> buffers = new LinkedHashMap<>(network.state());
        buffers.keySet().removeAll(network.params().keySet());
        return buffers;
    }
}
