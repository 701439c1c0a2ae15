package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts one worker: a fresh JVM on this one's classpath, with {@code -Dnn.nd4j.threads} and
 * {@code -Dnn.ejml.threads} set to the thread setting, this process's environment (so the launcher's
 * OPENBLAS_CORETYPE reaches ND4J there, and the worker keeps it from Python), and the same options.
 */
final class BenchProcess {

    private BenchProcess() {
    }

    /**
     * Runs a worker to the end and returns its result.
     *
     * @throws IOException if it fails; the message ends with the last lines of its output
     */
    static Map<?, ?> run(List<String> arguments, int threads) throws IOException, InterruptedException {
        Path result = Files.createTempFile("nn-bench-worker", ".json");
        Path log = Files.createTempFile("nn-bench-worker", ".log");
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(BenchCommand.inheritedJvmOptions());
            command.add("-Dnn.nd4j.threads=" + threads);
            command.add("-Dnn.ejml.threads=" + threads);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName()));
            command.addAll(arguments);
            command.addAll(List.of("--worker-threads", String.valueOf(threads), "--worker-out", result.toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int code = process.waitFor();
            if (code != 0) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
                throw new IOException("a bench worker (" + threads + " thread(s)) failed with exit code " + code + ":\n" + tail);
            }
            if (BenchJson.parse(Files.readString(result, StandardCharsets.UTF_8)) instanceof Map<?, ?> map) {
                return map;
            }
            throw new IOException("a bench worker wrote something other than a JSON object to " + result);
        } finally {
            Files.deleteIfExists(result);
            Files.deleteIfExists(log);
        }
    }
}
