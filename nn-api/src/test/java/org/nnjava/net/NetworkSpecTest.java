package org.nnjava.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nnjava.reference.ReferenceBackend;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.ShapeMismatchException;
import org.nnjava.tensor.Tensor;

/** {@link NetworkSpec}'s convolutional kinds: what they build, the input shape they tell, what they refuse. */
class NetworkSpecTest {

    private static final Backend ND = new ReferenceBackend(DType.FLOAT64);

    private static Map<String, List<Integer>> shapes(Network network) {
        Map<String, List<Integer>> shapes = new LinkedHashMap<>();
        network.params().forEach((name, p) -> {
            Integer[] dims = new Integer[p.rank()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = p.shape().dim(i);
            }
            shapes.put(name, List.of(dims));
        });
        return shapes;
    }

    @Test
    void simpleConvNetSpecBuildsTheBooksNetworkWithItsParametersAndSeed() {
        NetworkSpec spec = NetworkSpec.convNet(NetworkSpec.Kind.SIMPLE_CONVNET, 784, 10, 7);
        Network built = spec.build(ND);
        assertEquals(Map.of("W1", List.of(30, 1, 5, 5), "b1", List.of(30), "W2", List.of(4320, 100), "b2", List.of(100),
                "W3", List.of(100, 10), "b3", List.of(10)), shapes(built));
        Network book = new SimpleConvNet(ND, 7);
        built.params().forEach((name, p) -> assertArrayEquals(book.params().get(name).toDoubleArray(), p.toDoubleArray(),
                name));
        assertArrayEquals(new int[] {1, 28, 28}, spec.inputShape());
        assertEquals("simple-convnet 1x28x28-10", spec.describe());
    }

    @Test
    void deepConvNetSpecBuildsTheBooksNetworkWithItsDropout() {
        NetworkSpec spec = NetworkSpec.convNet(NetworkSpec.Kind.DEEP_CONVNET, 784, 10, 5);
        Network built = spec.build(ND);
        Network book = new DeepConvNet(ND, 5);
        assertEquals(shapes(book), shapes(built));
        assertEquals(List.of(1024, 50), shapes(built).get("W7"));
        assertEquals(List.of(50, 10), shapes(built).get("W8"));
        built.params().forEach((name, p) -> assertArrayEquals(book.params().get(name).toDoubleArray(), p.toDoubleArray(),
                name));
        assertEquals(book.randomStates(), built.randomStates());
        assertEquals(1, built.randomStates().size(), "one Dropout layer");
    }

    @Test
    void theFullyConnectedKindsTakeFlatInputsAndTheConvNetsAViewOfOneChannelImages() {
        NetworkSpec mlp = NetworkSpec.of(784, List.of(50), 10, Activation.RELU, null, false, 0, 0, 1);
        assertArrayEquals(new int[] {784}, mlp.inputShape());
        double[] values = new double[3 * 784];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Tensor flat = ND.fromArray(values, 3, 784);
        assertTrue(flat == mlp.asInput(flat));
        Tensor images = NetworkSpec.convNet(NetworkSpec.Kind.SIMPLE_CONVNET, 784, 10, 1).asInput(flat);
        assertArrayEquals(new int[] {3, 1, 28, 28}, images.shape().dims());
        assertArrayEquals(values, images.toDoubleArray(), 0.0);
        assertArrayEquals(new int[] {1, 5, 5}, NetworkSpec.convNet(NetworkSpec.Kind.DEEP_CONVNET, 25, 3, 1).inputShape());
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class,
                () -> NetworkSpec.convNet(NetworkSpec.Kind.SIMPLE_CONVNET, 784, 10, 1).asInput(ND.zeros(2, 785)));
        assertEquals("network simple-convnet: inputs [2, 785]: expected flat samples [N, 784]", e.getMessage());
    }

    @Test
    void aConvNetRefusesANonSquareInputSize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetworkSpec.convNet(NetworkSpec.Kind.DEEP_CONVNET, 783, 10, 1));
        assertEquals("network: a deep-convnet takes square one-channel images [1, s, s], but the input size 783 is not a"
                + " square (28x28 = 784); use a data set of square images such as mnist, or --net mlp", e.getMessage());
    }

    @Test
    void aConvNetSpecRefusesTheFullyConnectedOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new NetworkSpec(NetworkSpec.Kind.SIMPLE_CONVNET, 784, List.of(100), 10, Activation.RELU, null,
                        0.01, false, 0, 0, 1));
        assertTrue(e.getMessage().startsWith("network: a simple-convnet is the book's fixed architecture"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(NetworkSpec.Kind.DEEP_CONVNET, 784, List.of(),
                10, Activation.RELU, null, 0.01, false, 0.5, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new NetworkSpec(NetworkSpec.Kind.DEEP_CONVNET, 784, List.of(),
                10, Activation.SIGMOID, null, 0.01, false, 0, 0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> NetworkSpec.convNet(NetworkSpec.Kind.MULTI_LAYER_NET_EXTEND, 784, 10, 1));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> NetworkSpec.Kind.parse("cnn"));
        assertEquals("unknown network kind 'cnn': expected one of two-layer-net, multi-layer-net-extend, simple-convnet,"
                + " deep-convnet", unknown.getMessage());
        assertEquals(NetworkSpec.Kind.DEEP_CONVNET, NetworkSpec.Kind.parse("deep-convnet"));
    }
}
