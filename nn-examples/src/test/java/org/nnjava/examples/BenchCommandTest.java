package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nn bench} with tiny settings, in process: the bench.json it writes (exact field names, one
 * row per backend and dtype, sane numbers) and the NumPy reference, measured or skipped in one line
 * depending on whether python3 with NumPy is on this machine. No timing thresholds: only the format
 * and the consistency of the figures are checked.
 */
class BenchCommandTest {

    private static final List<String> FIELDS = List.of("backend", "dtype", "hidden", "batch", "ms_per_iter_median",
            "ms_per_iter_min", "ms_per_iter_max", "alloc_bytes_per_iter", "ratio_to_numpy");
    private static final String NUMBER = "-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?";
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*\\}");
    private static final Pattern KEY = Pattern.compile("\"([a-z_]+)\"\\s*:");
    private static final String[] TINY = {"--iterations", "2", "--runs", "2", "--warmup", "1", "--hidden", "8",
        "--batch-size", "4", "--samples", "40", "--eval-runs", "1"};

    private record Run(int exitCode, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static String[] bench(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of("bench", "--out", dir.toString()));
        all.addAll(List.of(TINY));
        all.addAll(List.of(args));
        return all.toArray(new String[0]);
    }

    /** Whether python3 with NumPy runs here, found out independently of the code under test. */
    private static boolean numpyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The rows of bench.json, each checked to have exactly the fields of the format, in order. */
    private static List<String> rows(Path dir) throws IOException {
        String json = Files.readString(dir.resolve("bench.json"), StandardCharsets.UTF_8).strip();
        assertTrue(json.startsWith("[") && json.endsWith("]"), "a JSON list: " + json);
        List<String> rows = new ArrayList<>();
        Matcher m = OBJECT.matcher(json);
        while (m.find()) {
            rows.add(m.group());
        }
        String rest = OBJECT.matcher(json.substring(1, json.length() - 1)).replaceAll("").replaceAll("[\\s,]", "");
        assertEquals("", rest, "nothing but objects in the list: " + json);
        for (String row : rows) {
            List<String> keys = new ArrayList<>();
            Matcher k = KEY.matcher(row);
            while (k.find()) {
                keys.add(k.group(1));
            }
            assertEquals(FIELDS, keys, row);
        }
        return rows;
    }

    private static String string(String row, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"([^\"]*)\"").matcher(row);
        assertTrue(m.find(), field + " is a string in " + row);
        return m.group(1);
    }

    private static double number(String row, String field) {
        Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*(" + NUMBER + ")\\s*[,}]").matcher(row);
        assertTrue(m.find(), field + " is a number in " + row);
        return Double.parseDouble(m.group(1));
    }

    private static boolean isNull(String row, String field) {
        return Pattern.compile("\"" + field + "\"\\s*:\\s*null\\s*[,}]").matcher(row).find();
    }

    private static long lines(String out, String prefix) {
        return out.lines().filter(l -> l.startsWith(prefix)).count();
    }

    @Test
    void writesOneRowPerBackendAndDtypeWithConsistentTimes(@TempDir Path dir) throws IOException {
        Run r = run(bench(dir, "--backend", "ejml,nd4j", "--dtype", "float64,float32"));
        assertEquals(0, r.exitCode, r.err + r.out);
        List<String> rows = rows(dir);
        assertEquals(4, rows.size(), String.join("\n", rows));
        boolean numpy = numpyAvailable();
        Set<String> measured = new HashSet<>();
        for (String row : rows) {
            measured.add(string(row, "backend") + " " + string(row, "dtype"));
            assertEquals(8, number(row, "hidden"), row);
            assertEquals(4, number(row, "batch"), row);
            double min = number(row, "ms_per_iter_min");
            double median = number(row, "ms_per_iter_median");
            double max = number(row, "ms_per_iter_max");
            assertTrue(min > 0 && min <= median && median <= max, "0 < min <= median <= max: " + row);
            double alloc = number(row, "alloc_bytes_per_iter");
            assertTrue(alloc >= 0 && alloc == Math.rint(alloc), "whole bytes: " + row);
            if (numpy) {
                assertTrue(number(row, "ratio_to_numpy") > 0, "a ratio to NumPy: " + row);
            } else {
                assertTrue(isNull(row, "ratio_to_numpy"), "no ratio without NumPy: " + row);
            }
        }
        assertEquals(Set.of("ejml float64", "ejml float32", "nd4j float64", "nd4j float32"), measured);
        if (numpy) {
            assertEquals(0, lines(r.out, "NumPy reference skipped"), r.out);
            assertEquals(1, lines(r.out, "numpy   float64"), r.out);
            assertEquals(1, lines(r.out, "numpy   float32"), r.out);
        } else {
            assertEquals(1, lines(r.out, "NumPy reference skipped: "), r.out);
            assertFalse(r.out.contains("numpy   float"), r.out);
        }
        assertTrue(r.out.contains("ND4J keeps tensor data off-heap"), r.out);
        assertTrue(r.out.contains("OPENBLAS_CORETYPE="), "the header reports the OpenBLAS tuning: " + r.out);
    }

    @Test
    void withoutPythonTheNumpyReferenceIsSkippedInOneLine(@TempDir Path temp) throws IOException {
        Path dir = temp.resolve("created/by/bench");
        Run r = run(bench(dir, "--backend", "ejml", "--dtype", "float64", "--python", temp.resolve("no-such-python3").toString()));
        assertEquals(0, r.exitCode, r.err + r.out);
        assertEquals(1, lines(r.out, "NumPy reference skipped: "), r.out);
        assertTrue(r.out.contains("no-such-python3"), "the line names the interpreter: " + r.out);
        List<String> rows = rows(dir);
        assertEquals(1, rows.size());
        assertTrue(isNull(rows.get(0), "ratio_to_numpy"), rows.get(0));
    }

    @Test
    void withNumpyEachPhaseIsTimedNextToNumpys(@TempDir Path dir) throws IOException {
        assumeTrue(numpyAvailable(), "python3 with NumPy is not on this machine");
        Run r = run(bench(dir, "--backend", "ejml", "--dtype", "float32", "--phases", "--numpy-env-clean"));
        assertEquals(0, r.exitCode, r.err + r.out);
        assertTrue(number(rows(dir).get(0), "ratio_to_numpy") > 0);
        assertTrue(r.out.contains("unset (--numpy-env-clean)"), r.out);
        String header = r.out.lines().filter(l -> l.startsWith("phase ")).findFirst().orElse("");
        assertTrue(header.contains("numpy float32") && header.contains("ejml float32"), r.out);
        for (String phase : List.of("gather", "forward Affine1", "backward Affine1", "sgd update", "loss (after update)")) {
            String line = r.out.lines().filter(l -> l.startsWith(phase + " ")).findFirst().orElse(phase + ": missing");
            assertTrue(line.matches(Pattern.quote(phase) + "\\s+\\d+\\.\\d{4}\\s+\\d+\\.\\d{4}"), "two times: " + line);
        }
    }

    @Test
    void theNumpyReferencesRepliesAreReadAsJsonObjects() throws IOException {
        Map<?, ?> reply = BenchNumpy.object("{\"ms_per_iter\": 0.4, \"loss\": 2.29, \"phases_ms\": [[\"gather\", 0.04]], "
                + "\"blas\": \"scipy-openblas 0.3\", \"ready\": true, \"accuracy\": null}");
        assertEquals(0.4, BenchNumpy.number(reply, "ms_per_iter"));
        assertEquals(List.of(List.of("gather", 0.04)), reply.get("phases_ms"));
        assertEquals("scipy-openblas 0.3", reply.get("blas"));
        assertEquals(Boolean.TRUE, reply.get("ready"));
        assertTrue(reply.containsKey("accuracy") && reply.get("accuracy") == null);
        IOException missing = assertThrows(IOException.class, () -> BenchNumpy.number(reply, "eval_ms"));
        assertTrue(missing.getMessage().contains("eval_ms"), missing.getMessage());
        IOException traceback = assertThrows(IOException.class, () -> BenchNumpy.object("Traceback (most recent call last):"));
        assertTrue(traceback.getMessage().contains("Traceback"), traceback.getMessage());
        assertThrows(IOException.class, () -> BenchNumpy.object("[1, 2]"));
    }

    @Test
    void aRunCountBelowOneIsAUsageError(@TempDir Path dir) {
        Run r = run("bench", "--runs", "0", "--out", dir.toString());
        assertEquals(2, r.exitCode, r.out + r.err);
        assertTrue(r.err.contains("--runs must be at least 1"), r.err);
        assertFalse(Files.exists(dir.resolve("bench.json")));
    }

    @Test
    void numpyGetsItsOwnOpenBlasCoreTypeUnlessTheUserChoseOne() {
        Map<String, String> launcherSet = new java.util.HashMap<>(Map.of("OPENBLAS_CORETYPE", "SKYLAKEX",
                BenchNumpy.LAUNCHER_CORETYPE, "1", "OPENBLAS_L2_SIZE", "1048576", "PATH", "/usr/bin"));
        BenchNumpy.pythonEnvironment(launcherSet, false);
        assertEquals(Map.of("OPENBLAS_L2_SIZE", "1048576", "PATH", "/usr/bin"), launcherSet,
                "the launcher's choice (for ND4J's OpenBLAS) is not passed on; the user's other tuning is");

        Map<String, String> userSet = new java.util.HashMap<>(Map.of("OPENBLAS_CORETYPE", "HASWELL", "PATH", "/usr/bin"));
        BenchNumpy.pythonEnvironment(userSet, false);
        assertEquals(Map.of("OPENBLAS_CORETYPE", "HASWELL", "PATH", "/usr/bin"), userSet, "a user's own choice is kept");

        BenchNumpy.pythonEnvironment(userSet, true);
        assertEquals(Map.of("PATH", "/usr/bin"), userSet, "--numpy-env-clean removes it");
    }
}
