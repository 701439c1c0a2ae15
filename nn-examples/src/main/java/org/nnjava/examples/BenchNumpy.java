package org.nnjava.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The NumPy reference of {@code nn bench}: {@code bench_numpy.py}, a resource of this package (so the
 * jar carries it), extracted to a temporary file and run with {@code python3}. Whether python3 with
 * NumPy is here is found out first with a short {@code python3 -c "import numpy"}; if not,
 * {@link #probe} says why in one line.
 *
 * <p>The script runs as a {@link Session}: it builds its data and network, warms up, says it is ready,
 * then answers each command ({@code run}, {@code eval}, {@code phases}, {@code quit}) with one JSON
 * line. So the benchmark can alternate NumPy's timed runs with a Java backend's: a machine that gets
 * busy for a while slows both alike, and their ratio stays meaningful on a shared machine.
 */
final class BenchNumpy {

    /** The environment variables that tune OpenBLAS for a CPU, reported by the benchmark. */
    static final List<String> OPENBLAS_TUNING = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /**
     * Set by the {@code ./nn} launcher when it, not the user, chose {@code OPENBLAS_CORETYPE} (for the
     * OpenBLAS 0.3.19 that ND4J bundles, which does not know AVX-512 on AMD Zen 4). NumPy's newer OpenBLAS
     * detects the CPU itself and was measured slower with the forced value (1.74 against 1.00 ms per step),
     * so the reference then runs without it.
     */
    static final String LAUNCHER_CORETYPE = "NN_LAUNCHER_SET_OPENBLAS_CORETYPE";

    private static final String SCRIPT = "bench_numpy.py";
    private static final long PROBE_TIMEOUT_S = 30;
    /** Generous limits: NumPy needs about a millisecond per step; a machine 50 times slower still finishes. */
    private static final long BASE_TIMEOUT_S = 60;
    private static final double TIMEOUT_S_PER_STEP = 0.05;

    /** The parameters of a run, as {@code nn bench} was given them. */
    record Settings(int hidden, int batch, double learningRate, int samples, int warmup, int runs, int iterations,
            long seed) {
    }

    private final String python;
    private final boolean cleanEnvironment;

    /**
     * @param python the Python command ({@code python3}, or a path)
     * @param cleanEnvironment whether to unset {@link #OPENBLAS_TUNING} for the subprocess
     */
    BenchNumpy(String python, boolean cleanEnvironment) {
        this.python = python;
        this.cleanEnvironment = cleanEnvironment;
    }

    /** Empty if python3 with NumPy can run here; otherwise the one-line reason why not. */
    Optional<String> probe() {
        try {
            Path output = Files.createTempFile("nn-bench-numpy", ".out");
            try {
                Process process;
                try {
                    process = processBuilder(List.of(python, "-c", "import numpy")).redirectErrorStream(true)
                            .redirectOutput(output.toFile()).start();
                } catch (IOException e) {
                    return Optional.of("'" + python + "' could not be started (" + e.getMessage()
                            + "): install Python 3 with NumPy (pip install numpy), or name the interpreter with --python");
                }
                if (!process.waitFor(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Optional.of("'" + python + " -c \"import numpy\"' did not finish in " + PROBE_TIMEOUT_S + " s");
                }
                if (process.exitValue() != 0) {
                    return Optional.of("'" + python + " -c \"import numpy\"' failed (" + lastLine(output)
                            + "): install NumPy for that interpreter (pip install numpy)");
                }
                return Optional.empty();
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return Optional.of("could not probe '" + python + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing '" + python + "'");
        }
    }

    /**
     * Starts the reference for {@code dtype}: returns once it has built its network and run the warm-up.
     *
     * @throws IOException if the script cannot be written or started, fails, or does not say it is ready
     *     in time; the message includes the end of its error output
     */
    Session start(String dtype, Settings s) throws IOException {
        Path script = extractScript();
        Path errors = Files.createTempFile("nn-bench-numpy", ".err");
        List<String> args = List.of(python, script.toString(), "--serve", "--dtype", dtype, "--hidden", "" + s.hidden(),
                "--batch-size", "" + s.batch(), "--lr", Double.toString(s.learningRate()), "--samples", "" + s.samples(),
                "--warmup", "" + s.warmup(), "--runs", "" + s.runs(), "--iterations", "" + s.iterations(),
                "--seed", "" + s.seed());
        Process process;
        try {
            process = processBuilder(args).redirectError(errors.toFile()).start();
        } catch (IOException e) {
            Files.deleteIfExists(script);
            Files.deleteIfExists(errors);
            throw e;
        }
        Session session = new Session(process, script, errors, s);
        try {
            Map<?, ?> ready = session.await(BASE_TIMEOUT_S + (long) (s.warmup() * TIMEOUT_S_PER_STEP), "starting");
            if (!dtype.equals(ready.get("result_dtype"))) {
                throw new IOException("the NumPy reference's parameters are " + ready.get("result_dtype") + ", not " + dtype
                        + ": it would not measure the step in " + dtype);
            }
            session.ready = ready;
            return session;
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /** A running NumPy reference for one dtype, taking one command at a time. */
    static final class Session implements AutoCloseable {

        private final Process process;
        private final Path script;
        private final Path errors;
        private final Settings settings;
        private final OutputStream commands;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private Map<?, ?> ready;

        private Session(Process process, Path script, Path errors, Settings settings) {
            this.process = process;
            this.script = script;
            this.errors = errors;
            this.settings = settings;
            this.commands = process.getOutputStream();
            Thread reader = new Thread(() -> readLines(process.getInputStream()), "nn-bench-numpy-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The process id of the reference. */
        long pid() {
            return process.pid();
        }

        /** The versions and BLAS the reference reported when it started: keys {@code numpy, python, blas}. */
        String info(String key) {
            return ready != null && ready.get(key) instanceof String v ? v : "?";
        }

        /** One timed run of {@code iterations} steps: milliseconds per iteration. */
        double run() throws IOException {
            return number(command("run", settings.iterations()), "ms_per_iter");
        }

        /** One accuracy evaluation over the whole data set, in milliseconds. */
        double eval() throws IOException {
            return number(command("eval", settings.samples() / 1000), "eval_ms");
        }

        /** The mean time of each phase over {@code runs x iterations} steps. */
        List<BenchStep.Phase> phases() throws IOException {
            List<BenchStep.Phase> phases = new ArrayList<>();
            if (command("phases", (long) settings.runs() * settings.iterations()).get("phases_ms") instanceof List<?> list) {
                for (Object item : list) {
                    if (item instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof String name
                            && pair.get(1) instanceof Number ms) {
                        phases.add(new BenchStep.Phase(name, ms.doubleValue()));
                    }
                }
            }
            return phases;
        }

        /** Ends the reference: its final report, with {@code peak_rss_bytes} and the last {@code loss}. */
        Map<?, ?> quit() throws IOException {
            return command("quit", 0);
        }

        private Map<?, ?> command(String command, long steps) throws IOException {
            try {
                commands.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
                commands.flush();
            } catch (IOException e) {
                throw new IOException("the NumPy reference stopped taking commands (" + e.getMessage() + ")"
                        + errorTail(), e);
            }
            Map<?, ?> reply = await(BASE_TIMEOUT_S + (long) (steps * TIMEOUT_S_PER_STEP), command);
            if (reply.get("error") != null) {
                throw new IOException("the NumPy reference refused '" + command + "': " + reply.get("error"));
            }
            return reply;
        }

        /** The next JSON line from the reference, as an object. */
        private Map<?, ?> await(long timeoutSeconds, String what) throws IOException {
            String line;
            try {
                line = lines.poll(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the NumPy reference (" + what + ")", e);
            }
            if (line == null) {
                throw new IOException("the NumPy reference did not answer '" + what + "' in " + timeoutSeconds + " s"
                        + errorTail());
            }
            if (line.isEmpty()) { // the end-of-output marker from readLines
                throw new IOException("the NumPy reference ended while '" + what + "'" + errorTail());
            }
            return object(line);
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
                String tail = lastLine(errors);
                return tail.isEmpty() ? "" : ": " + tail;
            } catch (IOException e) {
                return "";
            }
        }

        /** Stops the process if it still runs and deletes the temporary files. */
        @Override
        public void close() throws IOException {
            try {
                commands.close();
            } catch (IOException e) {
                // the process has ended already
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            Files.deleteIfExists(script);
            Files.deleteIfExists(errors);
        }
    }

    /**
     * The environment for Python: this process's, less {@link #OPENBLAS_TUNING} if asked to clean it, and
     * less the {@code OPENBLAS_CORETYPE} that the {@code ./nn} launcher set (see {@link #LAUNCHER_CORETYPE}).
     */
    private ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pythonEnvironment(pb.environment(), cleanEnvironment);
        return pb;
    }

    /** Edits {@code env}, a copy of this process's environment, into Python's (see {@link #processBuilder}). */
    static void pythonEnvironment(Map<String, String> env, boolean clean) {
        if (clean) {
            OPENBLAS_TUNING.forEach(env::remove);
        } else if (env.containsKey(LAUNCHER_CORETYPE)) {
            env.remove("OPENBLAS_CORETYPE");
        }
        env.remove(LAUNCHER_CORETYPE);
    }

    private static Path extractScript() throws IOException {
        Path script = Files.createTempFile("nn-bench-numpy", ".py");
        try (InputStream in = BenchNumpy.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("the resource " + SCRIPT + " is missing from the application jar: rebuild nn-examples");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(script);
            throw e;
        }
        return script;
    }

    /**
     * One line of the reference's output as a JSON object.
     *
     * @throws IOException if the line is not a JSON object (a stray print, a traceback)
     */
    static Map<?, ?> object(String line) throws IOException {
        try {
            if (BenchJson.parse(line) instanceof Map<?, ?> map) {
                return map;
            }
            throw new IllegalArgumentException("not a JSON object");
        } catch (IllegalArgumentException e) {
            throw new IOException("the NumPy reference printed something other than a JSON line (" + e.getMessage()
                    + "): '" + line + "'", e);
        }
    }

    /** The number under {@code key}, which must be there and positive. */
    static double number(Map<?, ?> reply, String key) throws IOException {
        if (reply.get(key) instanceof Number n && n.doubleValue() > 0) {
            return n.doubleValue();
        }
        throw new IOException("the NumPy reference's reply has no positive " + key + ": " + reply);
    }

    private static String lastLine(Path file) throws IOException {
        String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip().split("\\R");
        return lines[lines.length - 1].strip();
    }
}
