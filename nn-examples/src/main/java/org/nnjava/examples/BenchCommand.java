package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nnjava.internal.AtomicFile;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.BackendRegistry;
import org.nnjava.tensor.BackendSelectionException;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ProviderInfo;
import org.nnjava.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code nn bench}: times the training step of the book's TwoLayerNet (784-50-10, batch 100, SGD with
 * learning rate 0.1; the step of {@link org.nnjava.train.Trainer}) on every available backend in both
 * dtypes, and the same step in NumPy ({@code bench_numpy.py}, run with python3 when it has NumPy), and
 * prints each backend's median time per iteration with its ratio to NumPy's. A ratio measured in one
 * run is the figure to compare: absolute times on a shared machine are noisy. NumPy's timed runs
 * alternate with each backend's, so that a load that comes and goes slows both alike, and each row
 * says how many cores other processes kept busy meanwhile.
 *
 * <p>The data are synthetic and MNIST-shaped (pixels uniform in [0, 1), one-hot labels 0..9, from the
 * seed), the same for every backend: the benchmark measures compute, not data loading. With
 * {@code --out DIR} the rows are written to {@code DIR/bench.json}, a stable format for comparing commits.
 */
@Command(name = "bench", description = "Time the training step of the book's TwoLayerNet on each backend and dtype, "
        + "against the same step in NumPy when python3 with NumPy is here.")
final class BenchCommand implements Callable<Integer> {

    static final int INPUT = 784;
    static final int CLASSES = 10;
    static final String JSON_FILE = "bench.json";
    /** Cores kept busy by other processes above which the output warns that the machine was busy. */
    static final double BUSY = 0.25;

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", split = ",",
            description = "Backends to measure, e.g. --backend ejml or --backend ejml,nd4j (default: every available one).")
    List<String> backends;

    @Option(names = "--dtype", paramLabel = "DTYPE", split = ",", defaultValue = "float64,float32",
            description = "Dtypes to measure (default: ${DEFAULT-VALUE}).")
    List<String> dtypes;

    @Option(names = "--hidden", paramLabel = "SIZE", defaultValue = "50", description = "Hidden layer size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.1", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10000",
            description = "Synthetic samples to draw batches from and to evaluate accuracy on (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "1000",
            description = "Untimed iterations first, for the JIT and caches (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10",
            description = "Timed runs; the median, min and max are over these (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "50",
            description = "Training steps per timed run (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--eval-runs", paramLabel = "N", defaultValue = "3",
            description = "Timed accuracy evaluations over all samples; the median is printed (default: ${DEFAULT-VALUE}).")
    int evalRuns;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, weights and minibatches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--phases", description = "Also time each phase of the step (gather, each layer forward and backward, "
            + "update, loss) on each backend and in NumPy.")
    boolean phases;

    @Option(names = "--no-numpy", description = "Do not run the NumPy reference.")
    boolean noNumpy;

    @Option(names = "--python", paramLabel = "CMD", defaultValue = "python3",
            description = "The Python interpreter for the NumPy reference (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--numpy-env-clean", description = "Unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for the NumPy "
            + "subprocess (by default it inherits them, as the Java process does).")
    boolean numpyEnvClean;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the rows to DIR/" + JSON_FILE + ".")
    Path out;

    @Override
    public Integer call() throws IOException {
        validate();
        List<DType> types = dtypes.stream().map(DType::parse).distinct().collect(Collectors.toList());
        List<String> names = chooseBackends(types);
        if (out != null) {
            Files.createDirectories(out); // before the measurements, so that a bad --out fails at once
        }
        PrintWriter w = spec.commandLine().getOut();
        Optional<BenchLoad.Snapshot> start = BenchLoad.now(-1);
        printHeader(w);
        Optional<BenchNumpy> numpy = numpy(w);
        BenchData data = BenchData.mnistShaped(samples, INPUT, CLASSES, seed);
        BenchMemory memory = new BenchMemory();
        BenchTable table = new BenchTable(w);
        table.header();
        Map<DType, BenchReference.Result> references = new LinkedHashMap<>();
        List<BenchRow> rows = new ArrayList<>();
        BenchNumpy.Settings settings = new BenchNumpy.Settings(hidden, batchSize, learningRate, samples, warmup, runs,
                iterations, seed);
        for (DType dtype : types) {
            try (BenchReference reference = BenchReference.start(numpy, dtype.label(), settings, w)) {
                for (String name : names) {
                    BenchRow row = measure(Backends.registry().backend(name, "--backend " + name, dtype), data, memory,
                            reference);
                    rows.add(row);
                    table.row(row);
                }
                reference.finish(evalRuns, phases).ifPresent(r -> {
                    references.put(dtype, r);
                    table.numpyRow(r);
                });
            }
        }
        table.notes(memory, references.values().stream().findFirst());
        BenchLoad.others(start, BenchLoad.now(-1)).ifPresent(others -> w.printf(Locale.ROOT,
                "other processes kept %.2f cores busy on average during the whole run%s%n", others,
                others > BUSY ? ": the machine was busy, compare ratios with care" : ""));
        if (phases) {
            table.phases(rows, references);
        }
        if (out != null) {
            Path file = out.resolve(JSON_FILE);
            String json = BenchRow.toJson(rows);
            AtomicFile.write(file, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
            w.println("rows written to " + file);
        }
        w.flush();
        return 0;
    }

    private void validate() {
        int[] positive = {hidden, batchSize, samples, runs, iterations};
        String[] labels = {"--hidden", "--batch-size", "--samples", "--runs", "--iterations"};
        for (int i = 0; i < positive.length; i++) {
            if (positive[i] < 1) {
                throw new ParameterException(spec.commandLine(), labels[i] + " must be at least 1, not " + positive[i]);
            }
        }
        if ((long) runs * iterations > Integer.MAX_VALUE) {
            throw new ParameterException(spec.commandLine(), "--runs times --iterations must be at most " + Integer.MAX_VALUE);
        }
        if (samples > Integer.MAX_VALUE / INPUT) {
            throw new ParameterException(spec.commandLine(), "--samples must be at most " + Integer.MAX_VALUE / INPUT
                    + ", so that the data fit in one Java array");
        }
        if (warmup < 0 || evalRuns < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup and --eval-runs must not be negative");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive number, not " + learningRate);
        }
    }

    /** The backends named by --backend (each must be available), or else every available one. */
    private List<String> chooseBackends(List<DType> types) {
        BackendRegistry registry = Backends.registry();
        if (backends != null && !backends.isEmpty()) {
            List<String> named = backends.stream().map(String::trim).distinct().collect(Collectors.toList());
            named.forEach(n -> registry.choose(n, "--backend " + n)); // an unknown or unavailable name fails here
            return named;
        }
        List<String> available = Backends.providers().stream().filter(p -> p.availability().available())
                .map(ProviderInfo::name).collect(Collectors.toList());
        if (available.isEmpty()) {
            registry.backend(null, types.get(0)); // throws the registry's own explanation
            throw new BackendSelectionException("no available backend to measure:\n" + Backends.describe());
        }
        return available;
    }

    private void printHeader(PrintWriter w) {
        Runtime rt = Runtime.getRuntime();
        w.printf(Locale.ROOT, "nn bench: TwoLayerNet %d-%d-%d, batch %d, SGD lr %s, one-hot labels; synthetic MNIST-shaped "
                + "data (%d x %d in [0, 1), labels 0..%d, seed %d)%n", INPUT, hidden, CLASSES, batchSize,
                Format.exact(learningRate), samples, INPUT, CLASSES - 1, seed);
        w.printf(Locale.ROOT, "timing: %d warm-up iterations, then %d runs of %d iterations, ms per iteration; "
                + "accuracy over all %d samples, median of %d%n", warmup, runs, iterations, samples, evalRuns);
        w.printf(Locale.ROOT, "machine: %d cores available to the JVM, %s %s %s; Java %s (%s); max heap %s%n",
                rt.availableProcessors(), System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                BenchTable.mib(rt.maxMemory()));
        List<String> vars = new ArrayList<>(BenchNumpy.OPENBLAS_TUNING);
        vars.addAll(List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"));
        String env = vars.stream().map(v -> v + "=" + Optional.ofNullable(System.getenv(v)).orElse("(unset)"))
                .collect(Collectors.joining(" "));
        boolean byLauncher = System.getenv(BenchNumpy.LAUNCHER_CORETYPE) != null;
        w.printf("environment: %s%s%n", env, byLauncher
                ? " (OPENBLAS_CORETYPE set by ./nn for ND4J's OpenBLAS 0.3.19; not passed to NumPy, whose OpenBLAS detects the CPU)"
                : "");
        w.flush();
    }

    /** The NumPy reference if python3 with NumPy can run here; if not, one line saying why. */
    private Optional<BenchNumpy> numpy(PrintWriter w) {
        if (noNumpy) {
            w.println("NumPy reference skipped: --no-numpy");
            return Optional.empty();
        }
        BenchNumpy numpy = new BenchNumpy(python, numpyEnvClean);
        Optional<String> missing = numpy.probe();
        if (missing.isPresent()) {
            w.println("NumPy reference skipped: " + missing.get());
            return Optional.empty();
        }
        w.printf("NumPy reference: bench_numpy.py (the book's layers in NumPy) run by %s, %s; its timed runs alternate "
                + "with each backend's%n", python, numpyEnvClean
                ? "with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (--numpy-env-clean)"
                : System.getenv(BenchNumpy.LAUNCHER_CORETYPE) != null ? "in the same environment but for OPENBLAS_CORETYPE"
                : "in the same environment");
        return Optional.of(numpy);
    }

    /**
     * Builds the network and data on {@code nd}, warms up, then times the runs, each right after one of
     * NumPy's (if the reference runs), so that both see the same load; then the evaluation and the memory.
     */
    private BenchRow measure(Backend nd, BenchData data, BenchMemory memory, BenchReference reference) {
        System.gc();
        memory.resetPeaks();
        Tensor x = nd.fromArray(data.x(), samples, INPUT);
        Tensor t = nd.fromArray(data.t(), samples, CLASSES);
        BenchStep step = new BenchStep(new TwoLayerNet(nd, INPUT, hidden, CLASSES, seed), new Sgd(learningRate), x, t,
                batchSize, seed);
        step.run(warmup);
        double[] ms = new double[runs];
        double[] numpyMs = new double[runs];
        long allocated = 0;
        long allocatedAll = 0;
        Optional<BenchLoad.Snapshot> before = BenchLoad.now(reference.pid());
        for (int r = 0; r < runs; r++) {
            numpyMs[r] = reference.run();
            long a0 = memory.allocatedBytes();
            long all0 = memory.allocatedBytesAllThreads();
            long start = System.nanoTime();
            step.run(iterations);
            ms[r] = (System.nanoTime() - start) / 1e6 / iterations;
            allocated += memory.allocatedBytes() - a0; // only during the Java runs: talking to NumPy allocates too
            allocatedAll += memory.allocatedBytesAllThreads() - all0;
        }
        OptionalDouble others = BenchLoad.others(before, BenchLoad.now(reference.pid()));
        double steps = (double) runs * iterations;
        double[] evalMs = new double[evalRuns];
        for (int r = 0; r < evalRuns; r++) {
            long start = System.nanoTime();
            step.accuracy();
            evalMs[r] = (System.nanoTime() - start) / 1e6;
        }
        List<BenchStep.Phase> phaseTimes = phases ? step.phases(runs * iterations) : List.of();
        OptionalLong rss = memory.peakRssBytes();
        double[] sorted = sortedCopy(ms);
        double[] numpySorted = sortedCopy(numpyMs);
        Double ratio = Double.isNaN(numpySorted[runs - 1]) ? null : median(sorted) / median(numpySorted);
        return new BenchRow(nd.name(), nd.dtype().label(), hidden, batchSize, median(sorted), sorted[0], sorted[runs - 1],
                memory.allocationCounted() ? allocated / steps : Double.NaN,
                memory.allocationCounted() ? allocatedAll / steps : Double.NaN,
                evalRuns == 0 ? Double.NaN : median(sortedCopy(evalMs)), memory.peakHeapBytes(),
                rss.isPresent() ? rss.getAsLong() : -1, step.loss(), others.orElse(Double.NaN), ratio, phaseTimes);
    }

    private static double[] sortedCopy(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted;
    }

    /** The median of sorted values: the middle one, or the mean of the two middle ones. */
    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Seeded synthetic MNIST-shaped data, as plain arrays, handed to each backend in turn. */
    record BenchData(double[] x, double[] t) {

        /** {@code samples x inputs} pixels uniform in [0, 1), then one-hot labels of classes uniform in 0..classes-1. */
        static BenchData mnistShaped(int samples, int inputs, int classes, long seed) {
            Random random = new Random(seed);
            double[] x = new double[samples * inputs];
            for (int i = 0; i < x.length; i++) {
                x[i] = random.nextDouble();
            }
            double[] t = new double[samples * classes];
            for (int n = 0; n < samples; n++) {
                t[n * classes + random.nextInt(classes)] = 1.0;
            }
            return new BenchData(x, t);
        }
    }
}
