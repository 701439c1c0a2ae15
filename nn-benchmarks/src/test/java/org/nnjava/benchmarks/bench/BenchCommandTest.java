package org.nnjava.benchmarks.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.tensor.DType;

/**
 * {@code ./nn bench} with tiny settings (one worker JVM, a few steps): that the loss agreement it asserts
 * passed for the library against the lean NumPy, that bench.json has exactly its fields in order and
 * the rows it must have, and that a disagreement withholds the ratio. No timing is asserted.
 */
class BenchCommandTest {

    private static final List<String> LEGACY = List.of("backend", "dtype", "hidden", "batch", "ms_per_iter_median",
            "ms_per_iter_min", "ms_per_iter_max", "alloc_bytes_per_iter", "ratio_to_numpy");
    private static final Pattern KEY = Pattern.compile("\"([a-z_0-9]+)\"\\s*:");

    /** Whether {@code python3 -c "import MODULE"} works, found out independently of the code under test. */
    private static boolean imports(String module) {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import " + module).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void tinyRunChecksTheLossesAndWritesEveryField(@TempDir Path dir) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new String[] {"--processes", "1", "--java-threads", "1", "--warmup", "2", "--runs", "2",
            "--iterations", "2", "--peer-warmup", "1", "--peer-iterations", "1", "--hidden", "8", "--batch-size", "4",
            "--samples", "40", "--gemm-size", "64", "--out", dir.toString()}, new PrintWriter(out, true),
            new PrintWriter(err, true));
        String text = out + "\n" + err;
        assertEquals(0, code, text);
        List<Map<?, ?>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("bench.json"), StandardCharsets.UTF_8)) {
            if (line.strip().startsWith("{")) {
                String object = line.strip().replaceAll(",$", "");
                List<String> keys = new ArrayList<>();
                Matcher k = KEY.matcher(object);
                while (k.find()) {
                    keys.add(k.group(1));
                }
                List<String> expected = new ArrayList<>(LEGACY);
                expected.addAll(BenchReport.EXTRA);
                assertEquals(expected, keys, object);
                rows.add((Map<?, ?>) BenchJson.parse(object));
            }
        }
        boolean numpy = imports("numpy");
        Set<String> kinds = new TreeSet<>();
        for (Map<?, ?> row : rows) {
            kinds.add(row.get("kind") + " " + row.get("backend") + " " + row.get("dtype"));
            assertEquals(8.0, row.get("hidden"));
            assertEquals(4.0, row.get("batch"));
            if (row.get("absent") != null) {
                continue;
            }
            double min = (Double) row.get("ms_per_iter_min");
            double median = (Double) row.get("ms_per_iter_median");
            assertTrue(0 < min && min <= median && median <= (Double) row.get("ms_per_iter_max"), row.toString());
            assertTrue((Double) row.get("floor_ms") > 0 && (Double) row.get("step_flop") > 0, row.toString());
            if ("nnjava".equals(row.get("kind"))) {
                if (numpy) {
                    assertTrue(((String) row.get("loss_check")).startsWith("passed: "), row.toString());
                    assertTrue((Double) row.get("loss_max_rel_diff")
                            <= LossAgreement.tolerance(DType.parse((String) row.get("dtype")), false), row.toString());
                    assertTrue((Double) row.get("ratio_to_numpy") > 0, row.toString());
                } else {
                    assertNull(row.get("ratio_to_numpy"), row.toString());
                }
            }
        }
        Set<String> expected = new TreeSet<>();
        for (String dtype : List.of("float64", "float32")) {
            expected.addAll(List.of("nnjava ejml " + dtype, "nnjava nd4j " + dtype, "dl4j dl4j " + dtype));
            if (numpy) {
                expected.addAll(List.of("numpy-lean numpy " + dtype, "numpy-book numpy " + dtype));
                expected.add("pytorch pytorch " + dtype); // measured, or a row saying why not
            }
        }
        assertEquals(expected, kinds, text);
        if (numpy && !imports("torch")) {
            assertTrue(text.contains("pytorch            absent: 'python3 -c \"import torch\"' failed ("), text);
        }
        assertTrue(text.contains("machine: ") && text.contains("vector extensions: "), text);
        assertFalse(text.contains("LOSS CHECK FAILED"), text);
    }

    @Test
    void simpleConvnetRunComparesWithTheLeanAndBookNumpyAndTimesTheInference(@TempDir Path dir) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = BenchMain.run(new String[] {"--net", "simple-convnet", "--processes", "1", "--java-threads", "1",
            "--warmup", "1", "--runs", "2", "--iterations", "1", "--batch-size", "4", "--samples", "20",
            "--test-images", "8", "--gemm-size", "64", "--dtype", "float64", "--out", dir.toString()},
            new PrintWriter(out, true), new PrintWriter(err, true));
        String text = out + "\n" + err;
        assertEquals(0, code, text);
        boolean numpy = imports("numpy");
        Set<String> kinds = new TreeSet<>();
        for (String line : Files.readAllLines(dir.resolve("bench.json"), StandardCharsets.UTF_8)) {
            if (!line.strip().startsWith("{")) {
                continue;
            }
            Map<?, ?> row = (Map<?, ?>) BenchJson.parse(line.strip().replaceAll(",$", ""));
            kinds.add(row.get("kind") + " " + row.get("backend"));
            if ("nnjava".equals(row.get("kind")) && numpy) {
                // against the lean NumPy, equal work: held to float64's 1e-9, not the book's 1e-5
                assertTrue(((String) row.get("loss_check")).startsWith("passed: "), row.toString());
                assertTrue((Double) row.get("loss_max_rel_diff") <= LossAgreement.FLOAT64, row.toString());
                assertTrue((Double) row.get("ratio_to_numpy") > 0, row.toString());
                assertTrue((Double) row.get("ratio_to_numpy_book") > 0, row.toString());
            }
            if ("numpy-book".equals(row.get("kind"))) {
                // the book's log(y + 1e-7): within its tolerance of the lean losses, and not equal to them
                assertTrue(((String) row.get("loss_check")).startsWith("passed: "), row.toString());
                double d = (Double) row.get("loss_max_rel_diff");
                assertTrue(d > LossAgreement.FLOAT64 && d <= LossAgreement.BOOK, row.toString());
                assertTrue((Double) row.get("ratio_to_numpy") > 0, row.toString());
            }
        }
        Set<String> expected = new TreeSet<>(List.of("nnjava ejml", "nnjava nd4j", "dl4j dl4j"));
        if (numpy) {
            expected.addAll(List.of("numpy-lean numpy", "numpy-book numpy", "pytorch pytorch"));
            assertTrue(Pattern.compile("(?m)^numpy lean +\\S.* 1\\.00 \\[1\\.00-1\\.00\\] ").matcher(text).find(), text);
            assertTrue(text.contains("float64  numpy lean ") && text.contains("float64  numpy book-style "), text);
        }
        assertEquals(expected, kinds, text);
        assertTrue(text.contains("nn bench --net simple-convnet: the book's SimpleConvNet"), text);
        assertTrue(text.contains("loss vs lean NumPy") && text.contains("dl4j               absent: not measured"), text);
        assertTrue(text.contains("inference: the first 8 samples in batches of 4"), text);
        assertTrue(text.contains("float64  nnjava ejml") && text.contains(" of 8"), text);
        assertFalse(text.contains("LOSS CHECK FAILED"), text);
    }

    /**
     * The lean NumPy SimpleConvNet against the book-style one, in Python, on the same data for three steps: the
     * parameter gradients (W1's above all, whose layer's dx the lean one skips) are equal bit for bit, and so are
     * the parameters after the Adam updates; the lean loss is -mean log(y) of the book's own probabilities
     * (to 1e-12), and differs from the book's loss, which adds 1e-7 inside the log, by more than 1e-9 and less
     * than 1e-5 relative.
     */
    @Test
    void theLeanConvnetReferenceDiffersFromTheBookOnlyInTheLoss(@TempDir Path dir) throws IOException, InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(imports("numpy"), "NumPy is not installed for python3");
        BenchPython.extract("python3", dir);
        String script = """
                import sys, numpy as np
                sys.path.insert(0, sys.argv[1])
                import reference_convnet as book, reference_convnet_lean as lean
                rng = np.random.default_rng(5)
                x = rng.random((12, 784)); t = np.eye(10)[rng.integers(0, 10, 12)]
                p = {'W1': 0.05 * rng.standard_normal((30, 1, 5, 5)), 'b1': 0.01 * rng.standard_normal(30),
                     'W2': 0.01 * rng.standard_normal((4320, 100)), 'b2': np.zeros(100),
                     'W3': 0.1 * rng.standard_normal((100, 10)), 'b3': np.zeros(10)}
                b, l = book.Step(x, t, p, 0.001), lean.Step(x, t, p, 0.001)
                for k in range(3):
                    rows = rng.integers(0, 12, 4)
                    lb, ll = b.step(rows), l.step(rows)
                    grads = all(np.array_equal(b.grad[key], l.grad[key]) for key in book.KEYS)
                    params = all(np.array_equal(b.network.params[key], l.network.params[key]) for key in book.KEYS)
                    y = b.network.last_layer.y
                    exact = -np.sum(np.log(y[t[rows] == 1])) / len(rows)
                    print(k, grads, params, np.any(l.grad['W1'] != 0), abs(ll - exact) / exact, abs(ll - lb) / ll,
                          type(l.network.layers['Conv1']).__module__)
                """;
        Path py = dir.resolve("lean_vs_book.py");
        Files.writeString(py, script, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("python3", py.toString(), dir.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.strip().lines().toList();
        assertEquals(3, lines.size(), output);
        for (String line : lines) {
            String[] f = line.split(" ");
            assertEquals("True", f[1], "gradients equal: " + output);
            assertEquals("True", f[2], "parameters equal: " + output);
            assertEquals("True", f[3], "W1's gradient not all zero: " + output);
            assertTrue(Double.parseDouble(f[4]) <= 1e-12, "lean loss = -mean log(y): " + output);
            double d = Double.parseDouble(f[5]);
            assertTrue(d > 1e-9 && d < 1e-5, "the book's 1e-7 in the log: " + output);
            assertEquals("reference_convnet_lean", f[6], output);
        }
    }

    @Test
    void badNetAndTestImagesAreRefusedWithTheFix() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertTrue(BenchMain.run(new String[] {"--net", "lenet"}, new PrintWriter(out, true), new PrintWriter(err, true)) != 0);
        assertTrue(err.toString().contains("--net lenet: not a network the bench knows; use two-layer-net or simple-convnet"),
                err.toString());
        StringWriter err2 = new StringWriter();
        assertTrue(BenchMain.run(new String[] {"--net", "simple-convnet", "--samples", "10", "--test-images", "11"},
                new PrintWriter(out, true), new PrintWriter(err2, true)) != 0);
        assertTrue(err2.toString().contains("--test-images must be in 1..10 (--samples), not 11"), err2.toString());
    }

    @Test
    void aLossDisagreementFailsTheRunAndWithholdsTheRatio() {
        String worker = "{\"java_threads\": 1, \"cpu\": \"test\", \"dtypes\": [{\"dtype\": \"float64\", \"peaks\": "
                + "[{\"via\": \"x\", \"gflops\": 50}], \"absent\": [], \"contestants\": ["
                + contestant("nnjava", "ejml", false, "1e-6") + ", " + contestant("numpy-lean", "numpy", false, null) + "]}]}";
        BenchSettings s = new BenchSettings(List.of("ejml"), List.of(DType.FLOAT64), 50, 100, 0.1, 100, 1, 2, 1, 1, 1, 1L,
                "python3", true, false, 64, BenchSettings.Net.TWO_LAYER_NET, 0);
        BenchReport report = new BenchReport(s, List.of((Map<?, ?>) BenchJson.parse(worker)));
        assertEquals(1, report.failures().size(), report.failures().toString());
        assertTrue(report.failures().get(0).startsWith("nnjava ejml float64: the losses differ from the lean NumPy's by 1.00e-06"),
                report.failures().get(0));
        BenchReport.Row row = report.rows().get(0);
        assertNull(row.ratioLean());
        assertTrue(report.toJson("test").contains("\"ratio_to_numpy\": null"), report.toJson("test"));
        assertTrue(LossAgreement.of(new double[] {2, 3}, new double[] {2, 3 * (1 + 5e-10)}, 0, 2).agrees(1e-9));
        assertFalse(LossAgreement.of(new double[] {2, 3}, new double[] {2, 3 * (1 + 2e-9)}, 0, 2).agrees(1e-9));
        assertFalse(LossAgreement.of(new double[] {Double.NaN}, new double[] {1}, 0, 1).agrees(1), "nothing compared");
    }

    private static String contestant(String kind, String name, boolean oneThread, String lossVsLean) {
        return "{\"kind\": \"" + kind + "\", \"name\": \"" + name + "\", \"threads\": \"1\", \"one_thread\": " + oneThread
                + ", \"describe\": \"d\", \"computed_dtypes\": \"float64\", \"alloc_bytes_per_iter\": null, \"ms\": [1, 2]"
                + (lossVsLean == null ? "" : ", \"loss_vs_lean\": " + lossVsLean + ", \"loss_steps_compared\": 2")
                + ", \"last_loss\": 2.3}";
    }
}
