package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Python side of {@code ./nn bench}: the interpreter, the scripts (resources of this package, so
 * the jar carries them, written to a temporary directory), whether NumPy and PyTorch import, and the
 * environment every Python reference gets.
 */
final class BenchPython {

    /** The scripts, extracted together: the server imports the reference it is asked for. */
    static final List<String> SCRIPTS = List.of("bench_server.py", "reference_lean.py", "reference_book.py",
            "reference_torch.py", "reference_convnet.py", "reference_convnet_lean.py");

    /**
     * Variables that tune an OpenBLAS for one CPU or library: the {@code ./nn} launcher may set
     * {@code OPENBLAS_CORETYPE} for ND4J's OpenBLAS 0.3.19, and some machines set both; a current NumPy
     * detects the CPU itself and runs slower with them, so no Python reference ever sees them.
     */
    static final List<String> OPENBLAS_TUNING = List.of("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");

    /** The thread-count variables of the BLAS and OpenMP runtimes NumPy and PyTorch use. */
    static final List<String> THREAD_VARIABLES = List.of("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS");

    /** Set by the launcher when it chose OPENBLAS_CORETYPE; removed too. */
    static final String LAUNCHER_CORETYPE = "NN_LAUNCHER_SET_OPENBLAS_CORETYPE";

    private static final long PROBE_TIMEOUT_S = 60;

    private final String command;
    private final Path script;

    private BenchPython(String command, Path script) {
        this.command = command;
        this.script = script;
    }

    /** Writes the scripts into {@code dir}. */
    static BenchPython extract(String command, Path dir) throws IOException {
        for (String name : SCRIPTS) {
            try (InputStream in = BenchPython.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("the resource " + name + " is missing from the nn-benchmarks jar: rebuild it"
                            + " (mvn -B -DskipTests package)");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new BenchPython(command, dir.resolve(SCRIPTS.get(0)));
    }

    String command() {
        return command;
    }

    Path script() {
        return script;
    }

    /**
     * Empty if {@code python -c "import MODULE"} works here; otherwise why not, in one line that ends
     * with what to do.
     */
    static Optional<String> probe(String python, String module, String fix) {
        try {
            Path output = Files.createTempFile("nn-bench-probe", ".out");
            try {
                ProcessBuilder pb = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                pythonEnvironment(pb.environment(), false);
                Process process;
                try {
                    process = pb.start();
                } catch (IOException e) {
                    return Optional.of("'" + python + "' could not be started (" + e.getMessage() + "): install Python 3"
                            + " with NumPy (pip install numpy), or name the interpreter with --python");
                }
                if (!process.waitFor(PROBE_TIMEOUT_S, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    return Optional.of("'" + python + " -c \"import " + module + "\"' did not finish in " + PROBE_TIMEOUT_S
                            + " s");
                }
                if (process.exitValue() != 0) {
                    return Optional.of("'" + python + " -c \"import " + module + "\"' failed ("
                            + lastLine(output).orElse("exit code " + process.exitValue()) + "): " + fix);
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
     * Edits {@code env}, a copy of this process's environment, into a Python reference's: without
     * {@link #OPENBLAS_TUNING} and the launcher's marker, and with the thread variables either all
     * {@code 1} or all removed (the libraries' defaults).
     */
    static void pythonEnvironment(Map<String, String> env, boolean oneThread) {
        OPENBLAS_TUNING.forEach(env::remove);
        env.remove(LAUNCHER_CORETYPE);
        for (String v : THREAD_VARIABLES) {
            if (oneThread) {
                env.put(v, "1");
            } else {
                env.remove(v);
            }
        }
    }

    static Optional<String> lastLine(Path file) throws IOException {
        String[] lines = Files.readString(file, StandardCharsets.UTF_8).strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        return last.isEmpty() ? Optional.empty() : Optional.of(last);
    }
}
