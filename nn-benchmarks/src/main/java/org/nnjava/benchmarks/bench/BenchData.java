package org.nnjava.benchmarks.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.nnjava.batch.MinibatchSampler;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * What every contestant of one {@code ./nn bench} process trains on, generated once and handed to all:
 * seeded synthetic MNIST-shaped data (pixels uniform in [0, 1), one-hot labels 0..9), the minibatch
 * indices of every step (drawn by the library's own {@link MinibatchSampler#withReplacement}, as the
 * Trainer draws them), and, per dtype, the initial weights of the library's TwoLayerNet from the seed.
 * {@link #write} puts them in a directory as {@code .npy} files for the Python references.
 */
final class BenchData {

    private final BenchSettings s;
    private final double[] x;
    private final double[] t;
    private final int[][] rows;
    private final Map<DType, Map<String, Tensor>> initial = new LinkedHashMap<>();

    BenchData(BenchSettings s) {
        this.s = s;
        Random random = new Random(s.seed());
        x = new double[s.samples() * BenchSettings.INPUT];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        t = new double[s.samples() * BenchSettings.CLASSES];
        for (int n = 0; n < s.samples(); n++) {
            t[n * BenchSettings.CLASSES + random.nextInt(BenchSettings.CLASSES)] = 1.0;
        }
        MinibatchSampler sampler = MinibatchSampler.withReplacement(s.samples(), s.batch(), s.seed());
        rows = new int[s.totalSteps()][];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = sampler.next();
        }
    }

    double[] x() {
        return x;
    }

    double[] t() {
        return t;
    }

    /** The indices of step {@code k}'s minibatch at {@code rows()[k]}. */
    int[][] rows() {
        return rows;
    }

    int samples() {
        return s.samples();
    }

    int inputs() {
        return BenchSettings.INPUT;
    }

    int classes() {
        return BenchSettings.CLASSES;
    }

    int hidden() {
        return s.hidden();
    }

    int batch() {
        return s.batch();
    }

    double learningRate() {
        return s.learningRate();
    }

    long seed() {
        return s.seed();
    }

    /** Whether the step is the book's SimpleConvNet ({@code --net simple-convnet}) rather than TwoLayerNet. */
    boolean convnet() {
        return s.net() == BenchSettings.Net.SIMPLE_CONVNET;
    }

    /**
     * Fixes the initial weights for {@code backend}'s dtype (those of TwoLayerNet from the seed on it)
     * the first time, and otherwise checks that {@code params} are exactly those: the design draws the
     * random numbers in Java, so every backend must start from the same weights.
     *
     * @throws IllegalStateException if they differ, naming the parameter and the first differing element
     */
    void checkInitialWeights(String backend, DType dtype, Map<String, Tensor> params) {
        Map<String, Tensor> first = initial.get(dtype);
        if (first == null) {
            Map<String, Tensor> copy = new LinkedHashMap<>();
            params.forEach((name, p) -> copy.put(name, p.copy()));
            initial.put(dtype, copy);
            return;
        }
        for (Map.Entry<String, Tensor> e : first.entrySet()) {
            double[] want = e.getValue().toDoubleArray();
            double[] got = params.get(e.getKey()).toDoubleArray();
            int i = Arrays.mismatch(want, got);
            if (i >= 0) {
                throw new IllegalStateException(String.format(Locale.ROOT, "bench: %s's initial %s differs from the first"
                        + " backend's at element %d (%s vs %s): the backends must draw the same weights from one seed",
                        backend, e.getKey(), i, i < got.length ? got[i] : "none", i < want.length ? want[i] : "none"));
            }
        }
    }

    /** Whether the initial weights of {@code dtype} are fixed (a Java contestant of that dtype was built). */
    boolean hasInitialWeights(DType dtype) {
        return initial.containsKey(dtype);
    }

    /** The initial weights of {@code dtype}, for the peers: W1, b1, W2, b2 as float64 values of that dtype. */
    Map<String, double[]> initialWeights(DType dtype) {
        Map<String, Tensor> params = initial.get(dtype);
        if (params == null) {
            throw new IllegalStateException("bench: no Java backend built a " + dtype.label() + " network first");
        }
        Map<String, double[]> values = new LinkedHashMap<>();
        params.forEach((name, p) -> values.put(name, p.toDoubleArray()));
        return values;
    }

    /** Builds the initial weights on {@code nd} if no Java contestant did (as when only peers run). */
    void ensureInitialWeights(Backend nd) {
        if (!hasInitialWeights(nd.dtype())) {
            checkInitialWeights(nd.name(), nd.dtype(), new TwoLayerNet(nd, inputs(), hidden(), classes(), seed()).params());
        }
    }

    /**
     * Writes {@code x, t}, the initial weights ({@code W1, b1, W2, b2}, and {@code W3, b3} for the convnet; float64; the float32 weights' values convert exactly) and
     * {@code rows} (int32, {@code [steps, batch]}) as {@code .npy} files into {@code dir}.
     */
    void write(Path dir, DType dtype) throws IOException {
        Files.createDirectories(dir);
        npy(dir.resolve("x.npy"), "<f8", x, s.samples(), BenchSettings.INPUT);
        npy(dir.resolve("t.npy"), "<f8", t, s.samples(), BenchSettings.CLASSES);
        Map<String, double[]> weights = initialWeights(dtype);
        Map<String, Tensor> params = initial.get(dtype);
        for (Map.Entry<String, double[]> e : weights.entrySet()) {
            npy(dir.resolve(e.getKey() + ".npy"), "<f8", e.getValue(), params.get(e.getKey()).shape().dims());
        }
        int[] ints = new int[rows.length * s.batch()];
        for (int k = 0; k < rows.length; k++) {
            System.arraycopy(rows[k], 0, ints, k * s.batch(), s.batch());
        }
        npy(dir.resolve("rows.npy"), "<i4", null, ints, rows.length, s.batch());
    }

    private static void npy(Path file, String descr, double[] values, int... shape) throws IOException {
        npy(file, descr, values, null, shape);
    }

    /** NumPy's format 1.0: magic, a header dict padded with spaces to a multiple of 64, then the data. */
    private static void npy(Path file, String descr, double[] doubles, int[] ints, int... shape) throws IOException {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims.toString().trim()
                .replaceAll(",$", shape.length == 1 ? "," : "") + "), }";
        int unpadded = 10 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer head = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
            head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                    .putShort((short) header.length());
            out.write(head.array());
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            int count = ints != null ? ints.length : doubles.length;
            ByteBuffer data = ByteBuffer.allocate(count * (ints != null ? 4 : 8)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++) {
                if (ints != null) {
                    data.putInt(ints[i]);
                } else {
                    data.putDouble(doubles[i]);
                }
            }
            out.write(data.array());
        }
    }
}
