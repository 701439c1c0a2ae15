package org.nnjava.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ProviderInfo;
import org.nnjava.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Each benchmark's {@code @Setup} and a few invocations, called directly (no JMH harness, nothing timed)
 * on every backend and dtype its {@code @Param}s name, with the results checked against plain-Java
 * loops over {@code double[]}: a benchmark that throws, or that measures the wrong computation, fails
 * the build instead of producing a number.
 */
class BenchmarksTest {

    /** Every benchmark class; {@link #theBenchmarkListNamesExactlyTheseClasses} keeps it complete. */
    private static final List<Class<? extends BackendBenchmark>> BENCHMARKS = List.of(MatmulBenchmark.class,
            ElementwiseBenchmark.class, ReduceBenchmark.class, SoftmaxWithLossBenchmark.class, GatherRowsBenchmark.class,
            StepBenchmark.class);

    static Stream<Arguments> backendsAndDtypes() throws NoSuchFieldException {
        String[] backends = BackendBenchmark.class.getField("backend").getAnnotation(Param.class).value();
        String[] dtypes = BackendBenchmark.class.getField("dtype").getAnnotation(Param.class).value();
        return Arrays.stream(backends).flatMap(b -> Arrays.stream(dtypes).map(d -> Arguments.of(b, d)));
    }

    /** A benchmark of class {@code type} with its parameters set and its setup run; skipped if the backend cannot run here. */
    private static <T extends BackendBenchmark> T setUp(Class<T> type, String backend, String dtype) throws Exception {
        ProviderInfo provider = Backends.providers().stream().filter(p -> p.name().equals(backend)).findFirst()
                .orElseThrow(() -> new AssertionError("no provider named " + backend + " on the test classpath:\n"
                        + Backends.describe()));
        assumeTrue(provider.availability().available(), backend + " cannot run here: " + provider.availability().reason());
        T benchmark = type.getConstructor().newInstance();
        benchmark.backend = backend;
        benchmark.dtype = dtype;
        for (Method m : type.getMethods()) {
            if (m.isAnnotationPresent(Setup.class)) {
                m.invoke(benchmark);
            }
        }
        return benchmark;
    }

    private static double tolerance(String dtype) {
        return DType.parse(dtype) == DType.FLOAT32 ? 1e-4 : 1e-10;
    }

    private static void assertClose(double[] expected, Tensor actual, double tol, String what) {
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length, what + ": element count");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(got[i] - expected[i]) <= tol * (1 + Math.abs(expected[i])))) {
                fail(what + ": element " + i + " is " + got[i] + ", expected " + expected[i] + " within " + tol);
            }
        }
    }

    /** {@code op(a)·op(b)} by the textbook triple loop, {@code a} stored {@code [ar, ac]} and {@code b} {@code [br, bc]}. */
    private static double[] product(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb) {
        int m = ta ? ac : ar;
        int k = ta ? ar : ac;
        int n = tb ? br : bc;
        assertEquals(k, tb ? bc : br, "inner dimensions");
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * ac + i] : a[i * ac + p]) * (tb ? b[j * bc + p] : b[p * bc + j]);
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void everyBenchmarkRunsAfterItsSetupAndReturnsFiniteValues(String backend, String dtype) throws Exception {
        for (Class<? extends BackendBenchmark> type : BENCHMARKS) {
            List<Method> methods = Arrays.stream(type.getMethods()).filter(m -> m.isAnnotationPresent(Benchmark.class))
                    .collect(Collectors.toList());
            assertFalse(methods.isEmpty(), type.getSimpleName() + " has no @Benchmark method");
            for (Method m : methods) {
                assertEquals(0, m.getParameterCount(), m + ": takes no Blackhole, returns its result instead");
                BackendBenchmark benchmark = setUp(type, backend, dtype);
                for (int call = 0; call < 3; call++) {
                    Object result;
                    try {
                        result = m.invoke(benchmark);
                    } catch (InvocationTargetException e) {
                        throw new AssertionError(type.getSimpleName() + "." + m.getName() + " on " + backend + " "
                                + dtype + " threw " + e.getCause(), e.getCause());
                    }
                    String what = type.getSimpleName() + "." + m.getName() + " call " + call;
                    assertNotNull(result, what + " returned null");
                    if (result instanceof Tensor t) {
                        assertEquals(DType.parse(dtype), t.dtype(), what);
                        assertTrue(Arrays.stream(t.toDoubleArray()).allMatch(Double::isFinite), what + ": not all finite");
                    } else {
                        assertTrue(Double.isFinite((Double) result), what + ": " + result);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void matmulOutputsAreThePlainJavaProducts(String backend, String dtype) throws Exception {
        MatmulBenchmark b = setUp(MatmulBenchmark.class, backend, dtype);
        double tol = tolerance(dtype);
        double[] x = b.x.toDoubleArray();
        double[] w1 = b.w1.toDoubleArray();
        double[] dHidden = b.dHidden.toDoubleArray();
        int n = Fixtures.BATCH;
        int in = Fixtures.INPUT;
        int h = Fixtures.HIDDEN;
        assertClose(product(x, n, in, false, w1, in, h, false), b.firstLayerForward(), tol, "x·W1");
        assertClose(product(x, n, in, true, dHidden, n, h, false), b.firstLayerWeightGradient(), tol, "xᵀ·dout");
        assertClose(product(dHidden, n, h, false, w1, in, h, true), b.firstLayerInputGradient(), tol, "dout·W1ᵀ");
        assertClose(product(b.hidden.toDoubleArray(), n, h, false, b.w2.toDoubleArray(), h, Fixtures.CLASSES, false),
                b.secondLayerForward(), tol, "h·W2");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void elementwiseResultsMatchPlainJava(String backend, String dtype) throws Exception {
        ElementwiseBenchmark b = setUp(ElementwiseBenchmark.class, backend, dtype);
        double tol = tolerance(dtype);
        int cols = Fixtures.HIDDEN;

        double[] hidden = b.hidden.toDoubleArray();
        double[] bias = b.bias.toDoubleArray();
        double[] plusBias = new double[hidden.length];
        for (int i = 0; i < hidden.length; i++) {
            plusBias[i] = hidden[i] + bias[i % cols];
        }
        assertClose(plusBias, b.biasAdd(), tol, "h + b");
        assertClose(hidden, b.biasAdd(), tol, "h + b - b");

        double[] pre = b.preActivation.toDoubleArray();
        double[] dout = b.dHidden.toDoubleArray();
        double[] relu = new double[pre.length];
        double[] drelu = new double[pre.length];
        for (int i = 0; i < pre.length; i++) {
            relu[i] = pre[i] > 0 ? pre[i] : 0;
            drelu[i] = pre[i] > 0 ? dout[i] : 0;
        }
        assertClose(relu, b.reluForward(), 0, "relu(x)");
        assertClose(drelu, b.reluBackward(), 0, "relu'(x)·dout");

        double[] w = b.w1.toDoubleArray();
        double[] dW = b.dW1.toDoubleArray();
        double[] stepped = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            stepped[i] = w[i] - Fixtures.LEARNING_RATE * dW[i];
        }
        assertClose(stepped, b.sgdUpdate(), tol, "W - lr·dW");
        assertClose(w, b.sgdUpdate(), tol, "W - lr·dW + lr·dW");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void reduceResultsAreThePlainJavaSums(String backend, String dtype) throws Exception {
        ReduceBenchmark b = setUp(ReduceBenchmark.class, backend, dtype);
        int rows = Fixtures.BATCH;
        int cols = Fixtures.HIDDEN;
        double[] x = b.dHidden.toDoubleArray();
        double[] columnSums = new double[cols];
        double[] rowSums = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                columnSums[c] += x[r * cols + c];
                rowSums[r] += x[r * cols + c];
            }
        }
        // The sums are of 0.01·N(0, 1) terms, so an absolute tolerance scaled to the terms' size.
        double tol = tolerance(dtype) * 0.01 * rows;
        assertClose(columnSums, b.biasGradient(), tol, "sum over axis 0");
        assertClose(rowSums, b.rowSum(), tol, "sum over axis 1");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void softmaxWithLossMatchesPlainJava(String backend, String dtype) throws Exception {
        SoftmaxWithLossBenchmark b = setUp(SoftmaxWithLossBenchmark.class, backend, dtype);
        int rows = Fixtures.BATCH;
        int classes = Fixtures.CLASSES;
        double[] x = b.scores.toDoubleArray();
        double[] t = b.labels.toDoubleArray();
        double loss = 0;
        double[] dx = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[r * classes + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                sum += Math.exp(x[r * classes + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double logP = x[i] - max - Math.log(sum);
                loss -= t[i] * logP / rows;
                dx[i] = (Math.exp(logP) - t[i]) / rows;
            }
        }
        double tol = tolerance(dtype);
        assertEquals(loss, b.forward(), tol * (1 + loss), "cross-entropy");
        assertClose(dx, b.backward(), tol, "(y - t) / N");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void gatherRowsCopiesTheDrawnRowsInTurn(String backend, String dtype) throws Exception {
        GatherRowsBenchmark b = setUp(GatherRowsBenchmark.class, backend, dtype);
        double[] images = b.images.toDoubleArray();
        int cols = Fixtures.INPUT;
        for (int call = 0; call < 2; call++) {
            int[] rows = b.batches[call];
            double[] expected = new double[rows.length * cols];
            for (int j = 0; j < rows.length; j++) {
                System.arraycopy(images, rows[j] * cols, expected, j * cols, cols);
            }
            assertClose(expected, b.gatherRows(), 0, "batch " + call);
        }
        assertFalse(Arrays.equals(b.batches[0], b.batches[1]), "successive calls gather different rows");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendsAndDtypes")
    void stepStartsAtChanceLossAndUpdatesTheWeights(String backend, String dtype) throws Exception {
        StepBenchmark b = setUp(StepBenchmark.class, backend, dtype);
        double[] w1 = b.network.params().get("W1").toDoubleArray();
        double loss = b.step();
        // Weights of 0.01·N(0, 1) give scores near 0, so the first loss is close to ln(10) = 2.303.
        assertEquals(Math.log(Fixtures.CLASSES), loss, 0.05, "first loss");
        assertFalse(Arrays.equals(w1, b.network.params().get("W1").toDoubleArray()), "W1 was updated");
        double[] firstBatch = b.step.batches().xBatch().toDoubleArray();
        b.step();
        assertFalse(Arrays.equals(firstBatch, b.step.batches().xBatch().toDoubleArray()), "each step draws a new minibatch");
    }

    @Test
    void theBenchmarkListNamesExactlyTheseClasses() throws IOException {
        String list;
        try (InputStream in = BenchmarksTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Set<String> listed = new TreeSet<>();
        Matcher m = Pattern.compile("\\b" + Pattern.quote(BackendBenchmark.class.getPackageName()) + "\\.(\\w+Benchmark)\\b")
                .matcher(list);
        while (m.find()) {
            listed.add(m.group(1));
        }
        Set<String> tested = BENCHMARKS.stream().map(Class::getSimpleName).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(tested, listed, "every benchmark class JMH generated is tested here, and only those");
        String generated = BackendBenchmark.class.getPackageName() + ".jmh_generated.";
        for (Class<?> type : BENCHMARKS) {
            assertTrue(Modifier.isPublic(type.getModifiers()), type + ": JMH needs benchmark classes public");
            for (Method method : type.getMethods()) {
                if (method.isAnnotationPresent(Benchmark.class)) {
                    String harness = generated + type.getSimpleName() + "_" + method.getName() + "_jmhTest";
                    assertTrue(list.contains(harness), harness + " is in the benchmark list");
                }
            }
        }
    }
}
