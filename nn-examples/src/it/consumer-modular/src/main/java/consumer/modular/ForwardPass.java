package consumer.modular;

import java.io.IOException;
import java.util.Arrays;
import org.nnjava.data.DataSetLoader;
import org.nnjava.data.LoadOptions;
import org.nnjava.data.TensorDataSet;
import org.nnjava.layer.Affine;
import org.nnjava.layer.Relu;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;

/**
 * Loads two digits of the embedded sample (a resource inside the org.nnjava.data module), runs them
 * through Affine(784 -> 3) and ReLU on the backend that discovery finds, and checks the result against
 * the same arithmetic in plain Java.
 */
public final class ForwardPass {

    static final int ROWS = 2;
    static final int IN = 784;
    static final int OUT = 3;

    private ForwardPass() {
    }

    /** The result of one run: the backend, the module its provider is in, and the two computations. */
    public record Result(String backend, String providerModule, double[] network, double[] plainJava) {
    }

    public static Result run() throws IOException {
        Backend backend = Backends.get(DType.FLOAT64);
        String providerModule = String.valueOf(backend.getClass().getModule().getName());

        TensorDataSet data = DataSetLoader.create().load(DataSetLoader.MNIST_SAMPLE)
                .toTensors(backend, LoadOptions.BOOK_DEFAULTS);
        double[] x = Arrays.copyOf(data.xTest().toDoubleArray(), ROWS * IN);
        double[] w = new double[IN * OUT];
        for (int i = 0; i < w.length; i++) {
            w[i] = ((i * 7) % 11 - 5) / 100.0;
        }
        double[] b = {0.1, -0.2, 0.3};

        Tensor input = backend.fromArray(x, ROWS, IN);
        Affine affine = new Affine(backend.fromArray(w, IN, OUT), backend.fromArray(b, OUT));
        double[] network = new Relu().forward(affine.forward(input)).toDoubleArray();

        double[] plain = new double[ROWS * OUT];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < OUT; c++) {
                double sum = 0;
                for (int k = 0; k < IN; k++) {
                    sum += x[r * IN + k] * w[k * OUT + c];
                }
                plain[r * OUT + c] = Math.max(0, sum + b[c]);
            }
        }
        return new Result(backend.name(), providerModule, network, plain);
    }

    /** Prints the result, one line each, for the test that runs this with the backend on the module path. */
    public static void main(String[] args) throws IOException {
        Result result = run();
        System.out.println("module=" + ForwardPass.class.getModule().getName());
        System.out.println("api=" + Backend.class.getModule().getName());
        System.out.println("backend=" + result.backend());
        System.out.println("provider=" + result.providerModule());
        System.out.println("network=" + Arrays.toString(result.network()));
        System.out.println("plain=" + Arrays.toString(result.plainJava()));
    }
}
