package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ProviderInfo;

/**
 * One fresh JVM's share of {@code ./nn bench}: every contestant of every dtype, with the library's
 * backends (and DL4J) at one thread setting, {@code -Dnn.nd4j.threads} and {@code -Dnn.ejml.threads}
 * as the parent started this process, and the Python references at both of theirs.
 *
 * <p>Per dtype: each contestant warms up on the first steps, then run {@code r} of every contestant
 * trains on the same steps' minibatches, one contestant after another, in the list's order for even
 * {@code r} and the reverse order for odd {@code r}, so that within every pair each goes first half
 * the time and a load that comes and goes slows both alike. Then the large products for the peak rate.
 * The result is one JSON object (see {@link #toJson}) the parent aggregates.
 */
final class BenchWorker {

    /** Inference rounds of {@code --net simple-convnet}, after the training runs, taking turns as they do. */
    static final int INFERENCE_ROUNDS = 2;

    private final BenchSettings s;
    private final int javaThreads;
    private final BenchMemory memory = new BenchMemory();
    private final StringBuilder json = new StringBuilder();

    BenchWorker(BenchSettings s, int javaThreads) {
        this.s = s;
        this.javaThreads = javaThreads;
    }

    /** Measures everything and returns the JSON result. */
    String run() throws IOException {
        BenchData data = new BenchData(s);
        Path dir = Files.createTempDirectory("nn-bench");
        try {
            Optional<String> noNumpy = s.numpy() ? BenchPython.probe(s.python(), "numpy", "install NumPy for that"
                    + " interpreter (pip install numpy)") : Optional.of("--no-numpy");
            Optional<String> noTorch = !s.peers() ? Optional.of("--no-peers") : noNumpy.isPresent() ? noNumpy
                    : BenchPython.probe(s.python(), "torch", "install PyTorch's CPU build for that interpreter to"
                            + " measure it (see pytorch.org; ./nn bench installs nothing)");
            BenchPython python = noNumpy.isPresent() ? null : BenchPython.extract(s.python(), dir);
            json.append("{\"java_threads\": ").append(javaThreads).append(", \"cpu\": ").append(BenchJson.string(Machine.cpu()))
                    .append(", \"jit\": ").append(BenchJson.string(Machine.jit()));
            json.append(", \"numpy_absent\": ").append(noNumpy.map(BenchJson::string).orElse("null"));
            json.append(", \"pytorch_absent\": ").append(noTorch.map(BenchJson::string).orElse("null"));
            json.append(", \"dtypes\": [");
            for (int d = 0; d < s.dtypes().size(); d++) {
                json.append(d == 0 ? "" : ", ");
                dtype(s.dtypes().get(d), data, python, noTorch, dir.resolve(s.dtypes().get(d).label()));
            }
            json.append("], \"nd4j_openblas_core\": ").append(BenchJson.string(Machine.nd4jOpenBlasCore())).append("}");
            return json.toString();
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private void dtype(DType dtype, BenchData data, BenchPython python, Optional<String> noTorch, Path dir)
            throws IOException {
        List<Contestant> all = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        if (s.peers()) {
            noTorch.ifPresent(why -> absent.add("pytorch: " + why));
        }
        List<String> peaks = new ArrayList<>();
        try {
            List<Backend> backends = new ArrayList<>();
            for (String name : s.backends()) {
                Backend nd = Backends.registry().backend(name, "--backend " + name, dtype);
                backends.add(nd);
                all.add(new JavaContestant(nd, String.valueOf(javaThreads), data, memory));
            }
            PythonContestant lean = null;
            boolean convnet = s.net() == BenchSettings.Net.SIMPLE_CONVNET;
            if (python != null && convnet) {
                data.write(dir, dtype);
                for (Contestant.Kind kind : List.of(Contestant.Kind.NUMPY_LEAN, Contestant.Kind.NUMPY_BOOK)) {
                    for (boolean one : new boolean[] {false, true}) {
                        PythonContestant c = new PythonContestant(kind, one, python, dir, dtype.label(), s.learningRate(),
                                data.rows().length, true);
                        all.add(c);
                        lean = lean == null ? c : lean; // the loss reference: the lean NumPy on its default threads
                    }
                }
                if (noTorch.isEmpty()) {
                    absent.add("pytorch: installed, but no PyTorch SimpleConvNet reference is written yet");
                }
            } else if (python != null) {
                data.write(dir, dtype);
                for (Contestant.Kind kind : List.of(Contestant.Kind.NUMPY_LEAN, Contestant.Kind.NUMPY_BOOK)) {
                    for (boolean one : new boolean[] {false, true}) {
                        PythonContestant c = new PythonContestant(kind, one, python, dir, dtype.label(), s.learningRate(),
                                data.rows().length);
                        all.add(c);
                        lean = lean == null ? c : lean;
                    }
                }
                if (noTorch.isEmpty()) {
                    for (boolean one : new boolean[] {false, true}) {
                        all.add(new PythonContestant(Contestant.Kind.PYTORCH, one, python, dir, dtype.label(),
                                s.learningRate(), data.rows().length));
                    }
                }
            }
            if (s.peers() && convnet) {
                absent.add("dl4j: not measured for --net simple-convnet (its MultiLayerNetwork takes another layout)");
            } else if (s.peers()) {
                Optional<String> why = nd4jMissing();
                if (why.isEmpty()) {
                    all.add(new Dl4jContestant(data, dtype, javaThreads));
                } else {
                    absent.add("dl4j: " + why.get());
                }
            }
            double[][] ms = measure(all);
            double[][] inferMs = convnet ? infer(all) : null;
            for (Backend nd : backends) {
                String engine = nd.name().equals("nd4j") ? "OpenBLAS 0.3.19 via ND4J" : "own GEMM";
                peaks.add(peak(nd.name() + " (" + engine + "), " + javaThreads + " thread(s)", PeakGemm.rate(nd, s.gemmSize())));
            }
            for (Contestant c : all) {
                if (c.kind() == Contestant.Kind.NUMPY_LEAN && c instanceof PythonContestant p) {
                    peaks.add(peak("numpy, " + p.threads() + " thread(s)", p.gemmRate(s.gemmSize(), PeakGemm.REPEATS)));
                }
            }
            write(dtype, all, ms, inferMs, lean, peaks, absent);
        } finally {
            for (Contestant c : all) {
                c.close();
            }
        }
    }

    private static Optional<String> nd4jMissing() {
        Optional<ProviderInfo> nd4j = Backends.providers().stream().filter(p -> p.name().equals("nd4j")).findFirst();
        if (nd4j.isEmpty()) {
            return Optional.of("nn-backend-nd4j (and so ND4J) is not on the classpath");
        }
        return nd4j.get().availability().available() ? Optional.empty()
                : Optional.of("ND4J cannot run here: " + nd4j.get().availability().reason());
    }

    private static String peak(String via, double gflops) {
        return "{\"via\": " + BenchJson.string(via) + ", \"gflops\": " + BenchJson.number(gflops) + "}";
    }

    private int first(Contestant c) {
        return c.kind() == Contestant.Kind.DL4J ? s.peerWarmup() : s.warmup();
    }

    private int iterations(Contestant c) {
        return c.kind() == Contestant.Kind.DL4J ? s.peerIterations() : s.iterations();
    }

    /** The warm-up, then the runs in alternating order: {@code ms[contestant][run]}. */
    private double[][] measure(List<Contestant> all) throws IOException {
        for (Contestant c : all) {
            c.run(0, first(c));
            c.countAllocation();
        }
        double[][] ms = new double[all.size()][s.runs()];
        for (int r = 0; r < s.runs(); r++) {
            for (int j = 0; j < all.size(); j++) {
                int i = r % 2 == 0 ? j : all.size() - 1 - j;
                Contestant c = all.get(i);
                ms[i][r] = c.run(first(c) + r * iterations(c), iterations(c));
            }
        }
        return ms;
    }

    /** The inference of the test images, {@link #INFERENCE_ROUNDS} rounds in alternating order: {@code ms[contestant][round]}. */
    private double[][] infer(List<Contestant> all) throws IOException {
        double[][] ms = new double[all.size()][INFERENCE_ROUNDS];
        for (int r = 0; r < INFERENCE_ROUNDS; r++) {
            for (int j = 0; j < all.size(); j++) {
                int i = r % 2 == 0 ? j : all.size() - 1 - j;
                ms[i][r] = all.get(i).infer(s.testImages(), s.batch());
            }
        }
        return ms;
    }

    private void write(DType dtype, List<Contestant> all, double[][] ms, double[][] inferMs, Contestant lean,
            List<String> peaks, List<String> absent) throws IOException {
        json.append("{\"dtype\": ").append(BenchJson.string(dtype.label())).append(", \"peaks\": [")
                .append(String.join(", ", peaks)).append("], \"absent\": [");
        json.append(String.join(", ", absent.stream().map(BenchJson::string).toList())).append("], \"contestants\": [");
        for (int i = 0; i < all.size(); i++) {
            Contestant c = all.get(i);
            int from = first(c);
            int to = from + s.runs() * iterations(c);
            String dtypes = c.computedDtypes();
            json.append(i == 0 ? "" : ", ").append("{\"kind\": ").append(BenchJson.string(c.kind().label))
                    .append(", \"name\": ").append(BenchJson.string(c.name()))
                    .append(", \"threads\": ").append(BenchJson.string(c.threads()))
                    .append(", \"one_thread\": ").append(c instanceof PythonContestant p ? p.oneThread() : javaThreads == 1)
                    .append(", \"describe\": ").append(BenchJson.string(c.describe()))
                    .append(", \"computed_dtypes\": ").append(BenchJson.string(dtypes))
                    .append(", \"alloc_bytes_per_iter\": ").append(BenchJson.number(c.allocatedBytesPerStep()))
                    .append(", \"ms\": [");
            for (int r = 0; r < ms[i].length; r++) {
                json.append(r == 0 ? "" : ", ").append(BenchJson.number(ms[i][r]));
            }
            json.append("]");
            if (inferMs != null) {
                json.append(", \"infer_ms\": [");
                for (int r = 0; r < inferMs[i].length; r++) {
                    json.append(r == 0 ? "" : ", ").append(BenchJson.number(inferMs[i][r]));
                }
                json.append("], \"infer_correct\": ").append(c.correct());
            }
            if (lean != null && c != lean) {
                LossAgreement a = LossAgreement.of(c.losses(), lean.losses(), from, to);
                json.append(", \"loss_vs_lean\": ").append(BenchJson.number(a.maxRelativeDifference()))
                        .append(", \"loss_steps_compared\": ").append(a.compared());
            }
            json.append(String.format(Locale.ROOT, ", \"last_loss\": %s}", BenchJson.number(c.losses()[to - 1])));
        }
        json.append("]}");
    }
}
