package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.examples.Run.run;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The printed lines of the chapter-5 examples, exactly, on each backend. The apple numbers are the
 * book's (buy_apple.py, buy_apple_orange.py, with its int() truncations); the layer numbers were
 * computed independently with NumPy and rounded to 8 decimals.
 */
class ExampleCommandsTest {

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void applePrintsTheBooksLines(String backend) {
        Run r = run("apple", "--backend", backend);
        assertEquals(0, r.exitCode, r.err);
        assertEquals("price: 220\ndApple: 2.2\ndApple_num: 110\ndTax: 200\n", r.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void appleOrangePrintsTheBooksLines(String backend) {
        Run r = run("apple-orange", "--backend", backend);
        assertEquals(0, r.exitCode, r.err);
        assertEquals("price: 715\ndApple: 2.2\ndApple_num: 110\ndOrange: 3.3000000000000003\ndOrange_num: 165\n"
                + "dTax: 650\n", r.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void layersPrintsTheChapterFiveDemos(String backend) {
        Run r = run("layers", "--backend", backend);
        assertEquals(0, r.exitCode, r.err);
        assertEquals(String.join("\n",
                "Relu (5.5.1)",
                "  x: [[1, -0.5], [-2, 3]]",
                "  mask (x <= 0): [[false, true], [true, false]]",
                "  forward: [[1, 0], [0, 3]]",
                "  backward(dout = ones): [[1, 0], [0, 1]]",
                "Sigmoid (5.5.2)",
                "  x: [0, 2]",
                "  forward: [0.5, 0.88079708]",
                "  backward(dout = x): [0, 0.20998717]",
                "Affine (5.6.1)",
                "  x [2]: [1, 2]",
                "  W [2, 3]: [[1, 2, 3], [4, 5, 6]]",
                "  b [3]: [0.1, 0.2, 0.3]",
                "  forward x·W + b [3]: [9.1, 12.2, 15.3]",
                "  backward(dout = ones(3)): dx [2]: [6, 15]",
                "    dW: [[1, 1, 1], [2, 2, 2]]  db: [1, 1, 1]",
                "SoftmaxWithLoss (5.6.3)",
                "  x: [[0.3, 2.9, 4], [0.1, 0.2, 0.7]]",
                "  softmax: [[0.01821127, 0.24519181, 0.73659691], [0.25462853, 0.28140804, 0.46396343]]",
                "  loss, one-hot labels [[0, 0, 1], [1, 0, 0]]: 0.83683201",
                "  loss, index labels [2, 0]: 0.83683201",
                "  backward (y - t) / N, one-hot: [[0.00910564, 0.12259591, -0.13170154], [-0.37268574, 0.14070402, 0.23198171]]",
                "  backward (y - t) / N, indices: [[0.00910564, 0.12259591, -0.13170154], [-0.37268574, 0.14070402, 0.23198171]]",
                ""), r.out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"apple", "layers"})
    void unknownBackendIsOneClearLineAndExitCodeOne(String command) {
        Run r = run(command, "--backend", "cuda");
        assertEquals(1, r.exitCode);
        assertEquals("", r.out);
        assertTrue(r.err.startsWith("nn " + command + ": unknown backend 'cuda' (--backend cuda): found ejml, nd4j"), r.err);
    }

    @ParameterizedTest
    @ValueSource(strings = {"apple", "layers"})
    void unknownDtypeIsOneClearLine(String command) {
        Run r = run(command, "--dtype", "int8");
        assertEquals(1, r.exitCode);
        assertEquals("nn " + command + ": unknown dtype 'int8': use float64 or float32\n", r.err);
    }

    /**
     * ch07/gradient_check.py: every parameter of the small SimpleConvNet, by name in the book's order,
     * with backpropagation within 1e-9 of central differences (mean absolute difference).
     */
    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j"})
    void gradcheckOfTheSimpleConvNetAgreesWithinOneBillionth(String backend) {
        Run r = run("gradcheck", "--net", "simple-convnet", "--backend", backend);
        assertEquals(0, r.exitCode, r.err);
        String[] lines = r.out.strip().split("\n");
        String[] names = {"W1", "b1", "W2", "b2", "W3", "b3"};
        assertEquals(names.length, lines.length, r.out);
        for (int i = 0; i < names.length; i++) {
            String[] parts = lines[i].split(":");
            assertEquals(names[i], parts[0], r.out);
            double diff = Double.parseDouble(parts[1]);
            assertTrue(diff >= 0 && diff <= 1e-9, lines[i]);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml"})
    void gradcheckNamesAnUnknownNetwork(String backend) {
        Run r = run("gradcheck", "--net", "lenet", "--backend", backend);
        assertEquals(2, r.exitCode, r.out);
        assertTrue(r.err.contains("--net lenet: unknown network; use mlp or simple-convnet"), r.err);
        assertTrue(!r.err.contains("at org."), "no stack trace: " + r.err);
        Run data = run("gradcheck", "--net", "simple-convnet", "--dataset", "mnist", "--backend", backend);
        assertEquals(2, data.exitCode, data.out);
        assertTrue(data.err.contains("--dataset does not apply to --net simple-convnet"), data.err);
    }
}
