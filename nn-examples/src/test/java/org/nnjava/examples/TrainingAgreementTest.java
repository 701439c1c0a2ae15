package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nnjava.net.Network;
import org.nnjava.net.SimpleConvNet;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.optim.Adam;
import org.nnjava.optim.Sgd;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;

/**
 * One seed, two backends, the book's TwoLayerNet 784-50-10 with batch 100 and learning rate 0.1: the
 * float64 loss curves agree within 1e-9 relative at every one of the first 100 iterations. The book's
 * SimpleConvNet (chapter 7) on small images: after 20 Adam iterations the float64 parameters agree within
 * 1e-9 relative.
 */
class TrainingAgreementTest {

    /** MNIST-shaped data: 600 "images" of 784 pixels in [0, 1), labels 0..9, from one seed. */
    private static Tensor[] data(Backend nd) {
        Random random = new Random(99L);
        double[] x = new double[600 * 784];
        double[] t = new double[600];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % 10;
            for (int j = 0; j < 784; j++) {
                // A class-dependent pattern plus noise, so the network has something to learn.
                x[i * 784 + j] = (j % 10 == i % 10 ? 0.5 : 0.0) + 0.5 * random.nextDouble();
            }
        }
        return new Tensor[] {nd.fromArray(x, 600, 784), nd.fromArray(t, 600)};
    }

    private static TrainingResult train(String backend) {
        Backend nd = Backends.get(backend, DType.FLOAT64);
        Tensor[] d = data(nd);
        TwoLayerNet net = new TwoLayerNet(nd, 784, 50, 10, 7L);
        return new Trainer(net, new Sgd(0.1)).train(d[0], d[1], d[0], d[1], new TrainingConfig(100, 100, 8L),
                new TrainingListener() { });
    }

    @Test
    void ejmlAndNd4jLossCurvesAgreeForOneHundredIterations() {
        List<Double> ejml = train("ejml").losses();
        List<Double> nd4j = train("nd4j").losses();
        assertEquals(100, ejml.size());
        for (int i = 0; i < 100; i++) {
            double a = ejml.get(i);
            double b = nd4j.get(i);
            assertTrue(Math.abs(a - b) <= 1e-9 * Math.abs(a), "iteration " + (i + 1) + ": ejml " + a + ", nd4j " + b);
        }
        assertTrue(ejml.get(99) < ejml.get(0), "the loss falls: " + ejml.get(0) + " -> " + ejml.get(99));
    }

    /** Trains the book's SimpleConvNet on 1x12x12 images with Adam (lr 0.001), batch 4, for 20 iterations. */
    private static Network trainConvNet(String backend) {
        Backend nd = Backends.get(backend, DType.FLOAT64);
        Random random = new Random(21L);
        double[] x = new double[24 * 144];
        double[] t = new double[24];
        for (int i = 0; i < t.length; i++) {
            t[i] = i % 3;
            for (int j = 0; j < 144; j++) { // a class-dependent band of rows plus noise
                x[i * 144 + j] = (j / 48 == i % 3 ? 0.5 : 0.0) + 0.5 * random.nextDouble();
            }
        }
        Tensor xs = nd.fromArray(x, 24, 1, 12, 12);
        Tensor ts = nd.fromArray(t, 24);
        Network net = new SimpleConvNet(nd, new int[] {1, 12, 12}, 6, 3, 0, 1, 10, 3, 0.1, 22L);
        new Trainer(net, new Adam(0.001, 0.9, 0.999)).train(xs, ts, xs, ts, new TrainingConfig(20, 4, 23L),
                new TrainingListener() { });
        return net;
    }

    @Test
    void ejmlAndNd4jSimpleConvNetParametersAgreeAfterTwentyAdamIterations() {
        Map<String, Tensor> ejml = trainConvNet("ejml").params();
        Map<String, Tensor> nd4j = trainConvNet("nd4j").params();
        assertEquals(List.of("W1", "b1", "W2", "b2", "W3", "b3"), List.copyOf(ejml.keySet()));
        assertEquals(ejml.keySet(), nd4j.keySet());
        Network untrained = new SimpleConvNet(Backends.get("ejml", DType.FLOAT64), new int[] {1, 12, 12}, 6, 3, 0, 1,
                10, 3, 0.1, 22L);
        ejml.forEach((name, tensor) -> {
            double[] a = tensor.toDoubleArray();
            double[] b = nd4j.get(name).toDoubleArray();
            double[] before = untrained.params().get(name).toDoubleArray();
            double moved = 0;
            for (int i = 0; i < a.length; i++) {
                double allowed = 1e-9 * Math.abs(a[i]); // relative to each element (measured: within 1e-12)
                assertTrue(Math.abs(a[i] - b[i]) <= allowed, name + "[" + i + "]: ejml " + a[i] + ", nd4j " + b[i]);
                moved = Math.max(moved, Math.abs(a[i] - before[i]));
            }
            assertTrue(moved > 1e-3, name + " was trained: it moved at most " + moved);
        });
    }
}
