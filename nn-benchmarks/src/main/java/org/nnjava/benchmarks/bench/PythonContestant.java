package org.nnjava.benchmarks.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Python reference of the step (the lean or book-style NumPy, or PyTorch) in its own process,
 * {@code bench_server.py}, taking one command at a time (see that script): so its timed runs can
 * alternate with the Java ones. Its environment is this process's less everything that tunes a BLAS
 * for another library ({@link BenchPython#pythonEnvironment}): nothing set for ND4J reaches it.
 */
final class PythonContestant extends Contestant {

    /** Generous limits: a step takes about a millisecond; a machine 50 times slower still finishes. */
    private static final long BASE_TIMEOUT_S = 120;
    private static final double TIMEOUT_S_PER_STEP = 0.05;

    private final Kind kind;
    private final boolean oneThread;
    private final Process process;
    private final Path errors;
    private final OutputStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Map<?, ?> ready;

    /**
     * Starts {@code kind}'s reference on the data in {@code dataDir} and waits until it has loaded.
     *
     * @throws IOException if it cannot start, fails, or does not say it is ready in time (the message
     *     ends with the last line of its error output)
     */
    PythonContestant(Kind kind, boolean oneThread, BenchPython python, Path dataDir, String dtype, double learningRate,
            int steps) throws IOException {
        this(kind, oneThread, python, dataDir, dtype, learningRate, steps, false);
    }

    /**
     * As the other constructor; with {@code convnet} the references are the SimpleConvNet's: the lean one of
     * {@code reference_convnet_lean.py} or the book-style one of {@code reference_convnet.py} ({@code kind}
     * must then be {@link Kind#NUMPY_LEAN} or {@link Kind#NUMPY_BOOK}).
     */
    PythonContestant(Kind kind, boolean oneThread, BenchPython python, Path dataDir, String dtype, double learningRate,
            int steps, boolean convnet) throws IOException {
        super(steps);
        this.kind = kind;
        this.oneThread = oneThread;
        String script = switch (kind) {
            case NUMPY_LEAN -> convnet ? "convnet_lean" : "lean";
            case NUMPY_BOOK -> convnet ? "convnet" : "book";
            case PYTORCH -> {
                if (convnet) {
                    throw new IllegalArgumentException("no PyTorch SimpleConvNet reference is written yet");
                }
                yield "torch";
            }
            default -> throw new IllegalArgumentException("not a Python reference: " + kind);
        };
        List<String> args = new ArrayList<>(List.of(python.command(), python.script().toString(), "--kind", script,
                "--data", dataDir.toString(), "--dtype", dtype, "--lr", Double.toString(learningRate)));
        if (oneThread && kind == Kind.PYTORCH) {
            args.addAll(List.of("--threads", "1"));
        }
        errors = Files.createTempFile(dataDir, "python", ".err");
        ProcessBuilder pb = new ProcessBuilder(args).redirectError(errors.toFile());
        BenchPython.pythonEnvironment(pb.environment(), oneThread);
        process = pb.start();
        commands = process.getOutputStream();
        Thread reader = new Thread(() -> readLines(process.getInputStream()), "nn-bench-python-reader");
        reader.setDaemon(true);
        reader.start();
        try {
            ready = await(BASE_TIMEOUT_S, "starting");
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @Override
    Kind kind() {
        return kind;
    }

    @Override
    String name() {
        return kind == Kind.PYTORCH ? "pytorch" : "numpy";
    }

    @Override
    String threads() {
        Object reported = kind == Kind.PYTORCH ? ready.get("threads") : ready.get("blas_threads");
        String n = reported instanceof Number v ? String.valueOf(v.intValue()) : "?";
        return oneThread ? "1" + (n.equals("1") || n.equals("?") ? "" : " (asked; reports " + n + ")") : "default (" + n + ")";
    }

    /** Whether this reference runs on one BLAS thread (or, for PyTorch, one intra-op thread). */
    boolean oneThread() {
        return oneThread;
    }

    @Override
    String describe() {
        String blas = "BLAS " + info("blas") + (ready.get("blas_core") instanceof String core ? ", core " + core : "");
        return kind == Kind.PYTORCH ? "PyTorch " + info("torch") + " (NumPy " + info("numpy") + ", Python " + info("python") + ")"
                : "NumPy " + info("numpy") + ", " + blas + ", Python " + info("python");
    }

    private String info(String key) {
        return ready.get(key) instanceof String v ? v : "?";
    }

    @Override
    double run(int from, int count) throws IOException {
        Map<?, ?> reply = command("run " + from + " " + count, count);
        if (!(reply.get("losses") instanceof List<?> losses) || losses.size() != count) {
            throw new IOException("the " + kind.label + " reference's reply has no " + count + " losses: " + reply);
        }
        for (int i = 0; i < count; i++) {
            recordLoss(from + i, losses.get(i) instanceof Number n ? n.doubleValue() : Double.NaN);
        }
        return positive(reply, "ms_per_iter");
    }

    private int correct = -1;

    @Override
    double infer(int images, int batch) throws IOException {
        Map<?, ?> reply = command("infer " + images + " " + batch, images);
        correct = reply.get("correct") instanceof Number n ? n.intValue() : -1;
        return positive(reply, "ms");
    }

    @Override
    int correct() {
        return correct;
    }

    /** The best rate of an {@code n x n x n} product over {@code repeats} tries, in GFLOP/s. */
    double gemmRate(int n, int repeats) throws IOException {
        return positive(command("gemm " + n + " " + repeats, 0), "gflops");
    }

    @Override
    String computedDtypes() throws IOException {
        Map<?, ?> reply = command("quit", 0);
        return reply.get("dtypes") instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : "?";
    }

    private Map<?, ?> command(String command, long steps) throws IOException {
        try {
            commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            throw new IOException("the " + kind.label + " reference stopped taking commands (" + e.getMessage() + ")"
                    + errorTail(), e);
        }
        Map<?, ?> reply = await(BASE_TIMEOUT_S + (long) (steps * TIMEOUT_S_PER_STEP), command);
        if (reply.get("error") != null) {
            throw new IOException("the " + kind.label + " reference refused '" + command + "': " + reply.get("error"));
        }
        return reply;
    }

    private Map<?, ?> await(long timeoutSeconds, String what) throws IOException {
        String line;
        try {
            line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the " + kind.label + " reference (" + what + ")", e);
        }
        if (line == null) {
            throw new IOException("the " + kind.label + " reference did not answer '" + what + "' in " + timeoutSeconds
                    + " s" + errorTail());
        }
        if (line.isEmpty()) { // the end-of-output marker from readLines
            throw new IOException("the " + kind.label + " reference ended while '" + what + "'" + errorTail());
        }
        try {
            if (BenchJson.parse(line) instanceof Map<?, ?> map) {
                return map;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IOException("the " + kind.label + " reference printed something other than a JSON object: '" + line + "'");
    }

    private void readLines(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the process ended or was destroyed: the marker below tells the waiting thread
        } finally {
            lines.add("");
        }
    }

    private String errorTail() {
        try {
            return BenchPython.lastLine(errors).map(l -> ": " + l).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    private double positive(Map<?, ?> reply, String key) throws IOException {
        if (reply.get(key) instanceof Number n && n.doubleValue() > 0) {
            return n.doubleValue();
        }
        throw new IOException("the " + kind.label + " reference's reply has no positive " + key + ": " + reply);
    }

    /** Ends the process if it still runs, and deletes its error file. */
    @Override
    public void close() throws IOException {
        try {
            commands.close();
        } catch (IOException e) {
            // it has ended already
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(errors);
    }
}
