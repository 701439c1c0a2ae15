package org.nnjava.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnjava.io.CheckpointMismatchException;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.net.Activation;
import org.nnjava.net.DeepConvNet;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * {@link BookWeights}: the book's parameters give the book's scores. The oracle is the book's inference
 * forward of ch08/deep_convnet.py written here in plain loops over {@code double[]}, with the book's
 * non-inverted dropout ({@code x * (1 - ratio)} at inference, common/layers.py), never our layers.
 */
class BookWeightsTest {

    private static final Backend ND = new ReferenceBackend(DType.FLOAT64);
    private static final int SIDE = 8;
    private static final int[] FILTERS = {16, 16, 32, 32, 64, 64};
    private static final int[] PADS = {1, 1, 1, 2, 1, 1};

    /** Book-style parameters for a DeepConvNet on 1×8×8 inputs with 10 classes, in the network's shapes. */
    private static Map<String, NpyArray> bookDeepParams(NetworkSpec spec, long seed) {
        Random random = new Random(seed);
        Map<String, NpyArray> params = new LinkedHashMap<>();
        spec.build(ND).params().forEach((name, p) -> {
            double[] values = new double[p.size()];
            double std = name.startsWith("b") ? 0.1 : Math.sqrt(2.0 / (p.size() / p.shape().dim(0)));
            if (name.startsWith("W") && p.rank() == 2) {
                std = Math.sqrt(2.0 / p.shape().dim(0));
            }
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextGaussian() * std;
            }
            params.put(name, NpyArray.ofFloat64(values, p.shape().dims()));
        });
        return params;
    }

    @Test
    void aDeepConvNetWithTheBooksParametersGivesTheBooksScoresAfterTheConversion() throws Exception {
        NetworkSpec spec = NetworkSpec.convNet(NetworkSpec.Kind.DEEP_CONVNET, SIDE * SIDE, 10, 3);
        Map<String, NpyArray> book = bookDeepParams(spec, 11);
        int n = 5;
        double[] x = new double[n * SIDE * SIDE];
        Random random = new Random(2);
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        double[] expected = bookForward(book, x, n);

        Network ours = BookWeights.restore(book, spec, ND, "test");
        ours.setTraining(false);
        double[] scores = ours.predict(ND.fromArray(x, n, 1, SIDE, SIDE)).toDoubleArray();
        // Our network has no dropout on the scores, the book's scales them by 1 - ratio at inference.
        for (int i = 0; i < scores.length; i++) {
            assertEquals(expected[i], scores[i] * (1 - DeepConvNet.DROPOUT_RATIO), 1e-12 * (1 + Math.abs(expected[i])),
                    "score " + i);
        }
        assertArrayEquals(argmax(expected, n), argmax(scores, n));

        // Without the conversion the scores are not the book's: the test can tell.
        Network raw = spec.build(ND);
        Npz.assign(book, raw.state(), "test");
        raw.setTraining(false);
        double[] unconverted = raw.predict(ND.fromArray(x, n, 1, SIDE, SIDE)).toDoubleArray();
        double largest = 0;
        for (int i = 0; i < scores.length; i++) {
            largest = Math.max(largest, Math.abs(unconverted[i] * 0.5 - expected[i]));
        }
        assertTrue(largest > 1e-3, "the unconverted W8 should change the scores, largest difference " + largest);
    }

    @Test
    void onlyTheDeepConvNetsW8IsScaledAndTheInputIsNotModified() {
        NpyArray w8 = NpyArray.ofFloat32(new float[] {2f, -3f, 0.125f, 7f}, 2, 2);
        NpyArray b8 = NpyArray.ofFloat32(new float[] {1f, 2f}, 2);
        Map<String, NpyArray> book = new LinkedHashMap<>(Map.of("W8", w8));
        book.put("b8", b8);
        Map<String, NpyArray> converted = BookWeights.toLibrary(NetworkSpec.Kind.DEEP_CONVNET, book);
        assertArrayEquals(new float[] {1f, -1.5f, 0.0625f, 3.5f}, converted.get("W8").toFloatArray());
        assertEquals(DType.FLOAT32, converted.get("W8").dtype());
        assertEquals(List.of(2, 2), List.of(converted.get("W8").shape().dim(0), converted.get("W8").shape().dim(1)));
        assertSame(b8, converted.get("b8"));
        assertArrayEquals(new float[] {2f, -3f, 0.125f, 7f}, book.get("W8").toFloatArray());
        for (NetworkSpec.Kind kind : new NetworkSpec.Kind[] {NetworkSpec.Kind.SIMPLE_CONVNET,
                NetworkSpec.Kind.MULTI_LAYER_NET_EXTEND, NetworkSpec.Kind.TWO_LAYER_NET}) {
            assertSame(w8, BookWeights.toLibrary(kind, book).get("W8"), kind.label());
        }
    }

    @Test
    void everyMissingExtraAndMisshapenKeyIsNamedWithBothShapes() {
        NetworkSpec spec = NetworkSpec.of(784, List.of(50, 100), 10, Activation.SIGMOID, null, false, 0, 0, 0);
        Map<String, NpyArray> book = new LinkedHashMap<>();
        book.put("W1", NpyArray.ofFloat32(new float[784 * 50], 784, 50));
        book.put("b1", NpyArray.ofFloat32(new float[50], 50));
        book.put("W2", NpyArray.ofFloat32(new float[50 * 90], 50, 90));
        book.put("b2", NpyArray.ofFloat32(new float[100], 100));
        book.put("W3", NpyArray.ofFloat32(new float[1000], 100, 10));
        book.put("W4", NpyArray.ofFloat32(new float[1], 1));
        CheckpointMismatchException e = assertThrows(CheckpointMismatchException.class,
                () -> BookWeights.restore(book, spec, ND, "pickle sample_weight.pkl"));
        assertEquals(List.of("W2: file has [50, 90], network has [50, 100]", "missing b3 (network has [10])",
                "unexpected W4 (file has [1])"), e.mismatches());
        assertTrue(e.getMessage().startsWith("pickle sample_weight.pkl does not fit the network (3 mismatches): "),
                e.getMessage());
    }

    @Test
    void float32ArraysLoadIntoFloat64NetworksAndFloat64IntoFloat32() throws Exception {
        NetworkSpec spec = NetworkSpec.of(3, List.of(2, 2), 2, Activation.SIGMOID, null, false, 0, 0, 0);
        Map<String, NpyArray> f32 = new LinkedHashMap<>();
        Map<String, NpyArray> f64 = new LinkedHashMap<>();
        Random random = new Random(4);
        spec.build(ND).params().forEach((name, p) -> {
            float[] values = new float[p.size()];
            double[] doubles = new double[p.size()];
            for (int i = 0; i < values.length; i++) {
                doubles[i] = random.nextGaussian();
                values[i] = (float) doubles[i];
            }
            f32.put(name, NpyArray.ofFloat32(values, p.shape().dims()));
            f64.put(name, NpyArray.ofFloat64(doubles, p.shape().dims()));
        });
        Network wide = BookWeights.restore(f32, spec, ND, "test");
        Network narrow = BookWeights.restore(f64, spec, new ReferenceBackend(DType.FLOAT32), "test");
        for (String name : f32.keySet()) {
            Tensor w = wide.params().get(name);
            Tensor n = narrow.params().get(name);
            assertEquals(DType.FLOAT64, w.dtype());
            assertEquals(DType.FLOAT32, n.dtype());
            float[] expected = f32.get(name).toFloatArray();
            double[] widened = w.toDoubleArray();
            double[] rounded = n.toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], widened[i], 0.0, name);
                assertEquals(expected[i], rounded[i], 0.0, name); // the float32 of each double is the same float
            }
        }
    }

    // ---- the oracle: the book's DeepConvNet.predict(x, train_flg=False) in loops ----

    private static double[] bookForward(Map<String, NpyArray> p, double[] x, int n) {
        double[] a = x;
        int c = 1;
        int h = SIDE;
        for (int i = 0; i < 6; i++) {
            a = relu(conv(a, n, c, h, p.get("W" + (i + 1)).toDoubleArray(), p.get("b" + (i + 1)).toDoubleArray(),
                    FILTERS[i], PADS[i]));
            h = h + 2 * PADS[i] - 2;
            c = FILTERS[i];
            if (i % 2 == 1) {
                a = maxPool(a, n, c, h);
                h = (h - 2) / 2 + 1;
            }
        }
        int flat = c * h * h;
        double[] hidden = relu(affine(a, n, flat, p.get("W7").toDoubleArray(), p.get("b7").toDoubleArray(), 50));
        for (int i = 0; i < hidden.length; i++) {
            hidden[i] *= 1 - 0.5; // the book's Dropout(0.5) at inference
        }
        double[] scores = affine(hidden, n, 50, p.get("W8").toDoubleArray(), p.get("b8").toDoubleArray(), 10);
        for (int i = 0; i < scores.length; i++) {
            scores[i] *= 1 - 0.5; // and its second Dropout(0.5), on the scores
        }
        return scores;
    }

    /** A 3×3 convolution, stride 1, zero padding {@code pad}, on {@code [n, c, h, h]}. */
    private static double[] conv(double[] x, int n, int c, int h, double[] w, double[] b, int f, int pad) {
        int oh = h + 2 * pad - 2;
        double[] out = new double[n * f * oh * oh];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < f; k++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < oh; j++) {
                        double sum = b[k];
                        for (int ch = 0; ch < c; ch++) {
                            for (int u = 0; u < 3; u++) {
                                for (int v = 0; v < 3; v++) {
                                    int r = i + u - pad;
                                    int q = j + v - pad;
                                    if (r >= 0 && r < h && q >= 0 && q < h) {
                                        sum += x[((s * c + ch) * h + r) * h + q] * w[((k * c + ch) * 3 + u) * 3 + v];
                                    }
                                }
                            }
                        }
                        out[((s * f + k) * oh + i) * oh + j] = sum;
                    }
                }
            }
        }
        return out;
    }

    private static double[] maxPool(double[] x, int n, int c, int h) {
        int oh = (h - 2) / 2 + 1;
        double[] out = new double[n * c * oh * oh];
        for (int s = 0; s < n * c; s++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < oh; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < 2; u++) {
                        for (int v = 0; v < 2; v++) {
                            m = Math.max(m, x[(s * h + 2 * i + u) * h + 2 * j + v]);
                        }
                    }
                    out[(s * oh + i) * oh + j] = m;
                }
            }
        }
        return out;
    }

    private static double[] affine(double[] x, int n, int in, double[] w, double[] b, int out) {
        double[] y = new double[n * out];
        for (int s = 0; s < n; s++) {
            for (int k = 0; k < out; k++) {
                double sum = b[k];
                for (int i = 0; i < in; i++) {
                    sum += x[s * in + i] * w[i * out + k];
                }
                y[s * out + k] = sum;
            }
        }
        return y;
    }

    private static double[] relu(double[] x) {
        double[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(0, y[i]);
        }
        return y;
    }

    private static int[] argmax(double[] scores, int n) {
        int classes = scores.length / n;
        int[] best = new int[n];
        for (int s = 0; s < n; s++) {
            for (int k = 1; k < classes; k++) {
                if (scores[s * classes + k] > scores[s * classes + best[s]]) {
                    best[s] = k;
                }
            }
        }
        return best;
    }
}
