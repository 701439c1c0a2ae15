package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.nnjava.internal.AtomicFile;
import org.nnjava.tensor.BackendRegistry;
import org.nnjava.tensor.BackendSelectionException;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ProviderInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./nn bench}: times the library's own training step ({@link org.nnjava.train.TrainingStep}, what
 * the Trainer runs each iteration) of the book's TwoLayerNet (784-H-10, SGD) on every available backend
 * and dtype, against a lean NumPy step of exactly the same arithmetic and the book-style NumPy step,
 * beside DL4J and PyTorch, all on the same data, initial weights and minibatches; checks that the
 * losses agree before it reports a ratio; and prints the floor the machine's product rate sets.
 *
 * <p>It starts {@code --processes} fresh worker JVMs per Java thread setting ({@link BenchWorker}), one
 * after another, alternating the settings' order, and pools every run of every process: the medians and
 * ranges printed are over all of them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Time the library's training step against "
        + "NumPy (lean and book-style), DL4J and PyTorch, with equal work shown by the losses.")
final class BenchCommand implements Callable<Integer> {

    static final String JSON_FILE = "bench.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME", split = ",",
            description = "Backends to measure, e.g. --backend ejml (default: every available one).")
    List<String> backends;

    @Option(names = "--dtype", paramLabel = "DTYPE", split = ",", defaultValue = "float64,float32",
            description = "Dtypes to measure (default: ${DEFAULT-VALUE}).")
    List<String> dtypes;

    @Option(names = "--hidden", paramLabel = "SIZE", defaultValue = "50", description = "Hidden layer size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--net", paramLabel = "NET", defaultValue = "two-layer-net",
            description = "The network whose step is timed: two-layer-net (the book's ch05 TwoLayerNet, SGD) or"
                    + " simple-convnet (ch07's SimpleConvNet, Adam, against the book-style NumPy SimpleConvNet, plus the"
                    + " inference of --test-images) (default: ${DEFAULT-VALUE}).")
    String net;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate: SGD's for two-layer-net (default 0.1), Adam's for simple-convnet (default 0.001).")
    Double learningRate;

    @Option(names = "--test-images", paramLabel = "N", defaultValue = "2000",
            description = "simple-convnet: images whose inference is timed, in batches of --batch-size; at most --samples"
                    + " (default: ${DEFAULT-VALUE}).")
    int testImages;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10000",
            description = "Synthetic MNIST-shaped samples the batches are drawn from (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--warmup", paramLabel = "N",
            description = "Untimed steps of each contestant first (default: 500; simple-convnet: 5).")
    Integer warmup;

    @Option(names = "--runs", paramLabel = "N", description = "Timed runs per process (default: 6; simple-convnet: 4).")
    Integer runs;

    @Option(names = "--iterations", paramLabel = "N",
            description = "Steps per timed run (default: 50; simple-convnet: 4).")
    Integer iterations;

    @Option(names = "--peer-warmup", paramLabel = "N", defaultValue = "60",
            description = "DL4J's untimed steps (its step is tens of times slower; default: ${DEFAULT-VALUE}).")
    int peerWarmup;

    @Option(names = "--peer-iterations", paramLabel = "N", defaultValue = "8",
            description = "DL4J's steps per timed run (default: ${DEFAULT-VALUE}).")
    int peerIterations;

    @Option(names = "--processes", paramLabel = "N",
            description = "Fresh JVM processes per Java thread setting; all their runs are pooled (default: 3;"
                    + " simple-convnet: 1).")
    Integer processes;

    @Option(names = "--java-threads", paramLabel = "N", split = ",",
            description = "The backends' thread settings to measure, each in its own processes (default: 1 and all cores).")
    List<Integer> javaThreads;

    @Option(names = "--gemm-size", paramLabel = "N", defaultValue = "1024",
            description = "Size of the square products that measure the peak rate (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the data, weights and minibatches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-numpy", description = "Run no Python reference (no ratios then).")
    boolean noNumpy;

    @Option(names = "--no-peers", description = "Leave out DL4J and PyTorch.")
    boolean noPeers;

    @Option(names = "--python", paramLabel = "CMD", defaultValue = "python3",
            description = "The Python interpreter of the references (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the rows to DIR/" + JSON_FILE + ".")
    Path out;

    @Option(names = "--worker-threads", hidden = true, description = "Internal: run as a worker with this thread setting.")
    Integer workerThreads;

    @Option(names = "--worker-out", hidden = true, description = "Internal: where a worker writes its result.")
    Path workerOut;

    private final List<String> arguments;

    BenchCommand(List<String> arguments) {
        this.arguments = arguments;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        BenchSettings settings = settings();
        if (workerThreads != null) {
            String json = new BenchWorker(settings, workerThreads).run();
            AtomicFile.write(workerOut, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
            return 0;
        }
        if (out != null) {
            Files.createDirectories(out); // before measuring, so that a bad --out fails at once
        }
        PrintWriter w = spec.commandLine().getOut();
        header(w, settings);
        List<Integer> threadSettings = javaThreads != null ? javaThreads.stream().distinct().toList()
                : List.of(1, Runtime.getRuntime().availableProcessors()).stream().distinct().toList();
        Optional<BenchLoad.Snapshot> start = BenchLoad.now(-1);
        List<Map<?, ?>> results = new ArrayList<>();
        for (int p = 0; p < processes; p++) {
            for (int i = 0; i < threadSettings.size(); i++) {
                int threads = threadSettings.get(p % 2 == 0 ? i : threadSettings.size() - 1 - i);
                long t0 = System.nanoTime();
                results.add(BenchProcess.run(arguments, threads));
                w.printf(Locale.ROOT, "process %d of %d: backends%s on %d thread(s), %.0f s%n", results.size(),
                        processes * threadSettings.size(), convnet() ? "" : " and DL4J", threads, (System.nanoTime() - t0) / 1e9);
                w.flush();
            }
        }
        Map<?, ?> first = results.get(0);
        BenchReport report = new BenchReport(settings, results);
        report.print(w);
        w.println();
        w.println("machine: " + first.get("cpu") + "; JIT: " + first.get("jit") + "; ND4J's OpenBLAS 0.3.19 kernels: "
                + first.get("nd4j_openblas_core"));
        report.engines().forEach(e -> w.println("engine: " + e));
        if (first.get("numpy_absent") instanceof String why) {
            w.println("NumPy references not run: " + why);
        }
        notes(w, convnet());
        BenchLoad.others(start, BenchLoad.now(-1)).ifPresent(others -> w.printf(Locale.ROOT,
                "other processes kept %.2f cores busy on average during the whole run%s%n", others,
                others > 0.25 ? ": the machine was busy, compare with care" : ""));
        if (out != null) {
            Path file = out.resolve(JSON_FILE);
            String json = report.toJson((String) first.get("cpu"));
            AtomicFile.write(file, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
            w.println("rows written to " + file);
        }
        report.failures().forEach(f -> w.println("LOSS CHECK FAILED: " + f + "; no ratio is reported for it"));
        w.flush();
        return report.failures().isEmpty() ? 0 : 1;
    }

    private boolean convnet() {
        return BenchSettings.Net.SIMPLE_CONVNET.label.equals(net);
    }

    private void header(PrintWriter w, BenchSettings s) {
        if (convnet()) {
            w.printf(Locale.ROOT, "nn bench --net simple-convnet: the book's SimpleConvNet (ch07/simple_convnet.py: conv 30x5x5"
                    + " -> ReLU -> pool 2x2 -> Affine 4320-100 -> ReLU -> Affine 100-10 -> softmax), batch %d, Adam lr %s;"
                    + " synthetic MNIST-shaped data [N, 1, 28, 28] (%d samples, seed %d); the same data, initial weights and"
                    + " minibatch indices for every implementation; inference: the first %d samples in batches of %d%n",
                    s.batch(), s.learningRate(), s.samples(), s.seed(), s.testImages(), s.batch());
            w.printf(Locale.ROOT, "timing: %d processes per Java thread setting; in each, %d warm-up steps then %d runs of %d"
                    + " steps per implementation, taking turns, order reversed every run; then %d inference rounds, taking"
                    + " turns likewise%n", processes, s.warmup(), s.runs(), s.iterations(), BenchWorker.INFERENCE_ROUNDS);
            environment(w);
            return;
        }
        w.printf(Locale.ROOT, "nn bench: TwoLayerNet %d-%d-%d, batch %d, SGD lr %s; synthetic MNIST-shaped data (%d samples,"
                + " seed %d); the same data, initial weights and minibatch indices for every implementation%n",
                BenchSettings.INPUT, s.hidden(), BenchSettings.CLASSES, s.batch(), learningRate, s.samples(), s.seed());
        w.printf(Locale.ROOT, "timing: %d processes per Java thread setting; in each, %d warm-up steps then %d runs of %d steps"
                + " per implementation (DL4J: %d and %d), taking turns, order reversed every run%n", processes, s.warmup(),
                s.runs(), s.iterations(), s.peerWarmup(), s.peerIterations());
        environment(w);
    }

    private static void environment(PrintWriter w) {
        String env = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS").stream()
                .map(v -> v + "=" + Optional.ofNullable(System.getenv(v)).orElse("(unset)")).collect(Collectors.joining(" "));
        w.println("environment of the JVMs: " + env + (System.getenv(BenchPython.LAUNCHER_CORETYPE) != null
                ? " (OPENBLAS_CORETYPE set by ./nn for ND4J's OpenBLAS 0.3.19)" : "")
                + "; the Python references get none of the OPENBLAS_CORETYPE/L2_SIZE tuning, and their thread variables"
                + " either unset (default) or 1");
        w.flush();
    }

    private static void notes(PrintWriter w, boolean convnet) {
        if (convnet) {
            w.println("ms/step: median [min-max] over every timed run of every process, at the faster thread setting (named);"
                    + " vs lean/book NumPy: run-by-run ratios to that NumPy SimpleConvNet measured in the same process and"
                    + " round, median [min-max] (< 1: faster); x floor: median / floor; alloc/step: Java heap bytes per step,"
                    + " all threads, after warm-up (the largest over the processes; ND4J's data are off-heap).");
            w.println("book-style NumPy: the book's im2col/col2im (common/util.py), Convolution, Pooling, Relu, Affine and"
                    + " SoftmaxWithLoss (common/layers.py), SimpleConvNet (ch07) and Adam (common/optimizer.py); it also"
                    + " computes the first layer's unused input gradient col2im(dout.colW^T) and takes the log of y + 1e-7.");
            w.println("lean NumPy: the same classes doing exactly the library's arithmetic: the first convolution's backward"
                    + " computes dW and db only, and the loss is the library's log-softmax cross-entropy; its parameter"
                    + " gradients are the book-style one's, value for value. Inference: the same forward in both, the"
                    + " ratios against the book-style one.");
            w.flush();
            return;
        }
        w.println("ms/step: median [min-max] over every timed run of every process, at the faster thread setting (named);"
                + " vs lean/book NumPy: run-by-run ratios to that reference measured in the same process and round,"
                + " median [min-max] (< 1: faster); x floor: median / floor; alloc/step: Java heap bytes per step, all"
                + " threads, after warm-up (the largest over the processes; ND4J's data are off-heap).");
        w.println("lean NumPy: exactly the library's arithmetic, written directly; book-style: the book's layer classes and"
                + " TwoLayerNet (ch05), which also compute the unused dout.W1^T and take the log of y + 1e-7.");
        w.flush();
    }

    private BenchSettings settings() {
        BenchSettings.Net network = switch (net) {
            case "two-layer-net" -> BenchSettings.Net.TWO_LAYER_NET;
            case "simple-convnet" -> BenchSettings.Net.SIMPLE_CONVNET;
            default -> throw new ParameterException(spec.commandLine(), "--net " + net
                    + ": not a network the bench knows; use two-layer-net or simple-convnet");
        };
        boolean conv = network == BenchSettings.Net.SIMPLE_CONVNET;
        warmup = warmup != null ? warmup : conv ? 5 : 500;
        runs = runs != null ? runs : conv ? 4 : 6;
        iterations = iterations != null ? iterations : conv ? 4 : 50;
        processes = processes != null ? processes : conv ? 1 : 3;
        learningRate = learningRate != null ? learningRate : conv ? 0.001 : 0.1;
        if (conv && (testImages < 1 || testImages > samples)) {
            throw new ParameterException(spec.commandLine(), "--test-images must be in 1.." + samples + " (--samples), not "
                    + testImages);
        }
        int[] positive = {hidden, batchSize, samples, runs, iterations, peerIterations, processes, gemmSize};
        String[] labels = {"--hidden", "--batch-size", "--samples", "--runs", "--iterations", "--peer-iterations",
            "--processes", "--gemm-size"};
        for (int i = 0; i < positive.length; i++) {
            if (positive[i] < 1) {
                throw new ParameterException(spec.commandLine(), labels[i] + " must be at least 1, not " + positive[i]);
            }
        }
        if (warmup < 0 || peerWarmup < 0) {
            throw new ParameterException(spec.commandLine(), "--warmup and --peer-warmup must not be negative");
        }
        if ((long) warmup + (long) runs * iterations > 1_000_000) {
            throw new ParameterException(spec.commandLine(), "--warmup + --runs x --iterations must be at most 1000000 steps");
        }
        if (!conv && peerWarmup + (long) runs * peerIterations > warmup + (long) runs * iterations) {
            throw new ParameterException(spec.commandLine(), "--peer-warmup + --runs x --peer-iterations ("
                    + (peerWarmup + (long) runs * peerIterations) + ") must not exceed --warmup + --runs x --iterations ("
                    + (warmup + (long) runs * iterations) + "): DL4J trains on the same minibatches as the others");
        }
        if (samples > Integer.MAX_VALUE / BenchSettings.INPUT) {
            throw new ParameterException(spec.commandLine(), "--samples must be at most " + Integer.MAX_VALUE / BenchSettings.INPUT);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new ParameterException(spec.commandLine(), "--lr must be a positive number, not " + learningRate);
        }
        if (javaThreads != null && javaThreads.stream().anyMatch(t -> t < 1)) {
            throw new ParameterException(spec.commandLine(), "--java-threads: each setting must be at least 1, not " + javaThreads);
        }
        if ((workerThreads == null) != (workerOut == null)) {
            throw new ParameterException(spec.commandLine(), "--worker-threads and --worker-out go together");
        }
        List<DType> types = dtypes.stream().map(DType::parse).distinct().toList();
        return new BenchSettings(chooseBackends(types), types, hidden, batchSize, learningRate, samples, warmup, runs,
                iterations, peerWarmup, peerIterations, seed, python, !noNumpy, !noPeers, gemmSize, network, testImages);
    }

    /** The backends named by --backend (each must be available), or else every available one. */
    private List<String> chooseBackends(List<DType> types) {
        BackendRegistry registry = Backends.registry();
        if (backends != null && !backends.isEmpty()) {
            List<String> named = backends.stream().map(String::trim).distinct().toList();
            named.forEach(n -> registry.choose(n, "--backend " + n)); // an unknown or unavailable name fails here
            return named;
        }
        List<String> available = Backends.providers().stream().filter(p -> p.availability().available())
                .map(ProviderInfo::name).toList();
        if (available.isEmpty()) {
            registry.backend(null, types.get(0)); // throws the registry's own explanation
            throw new BackendSelectionException("no available backend to measure:\n" + Backends.describe());
        }
        return available;
    }

    /** The JVM options of this process that a worker should share: system properties and heap sizes. */
    static List<String> inheritedJvmOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> (a.startsWith("-D") && !a.startsWith("-Dnn.nd4j.threads=") && !a.startsWith("-Dnn.ejml.threads="))
                        || a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss"))
                .toList();
    }
}
