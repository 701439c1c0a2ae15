package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.nnjava.data.TensorDataSet;
import org.nnjava.net.Network;
import org.nnjava.net.SimpleConvNet;
import org.nnjava.net.TwoLayerNet;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nn gradcheck}: the book's gradient_check.py. With {@code --net mlp} (chapter 5.7.3) a TwoLayerNet
 * 784-50-10 on the first three training images; with {@code --net simple-convnet} (ch07/gradient_check.py)
 * a SimpleConvNet on one 1x10x10 input of uniform numbers, 10 filters 3x3, hidden 10, label 1. For each
 * parameter, the mean absolute difference between the gradient by backpropagation and by central
 * differences. float64, as numerical gradients need.
 */
@Command(name = "gradcheck", description = "Compare backpropagation with numerical gradients (the book's "
        + "gradient_check.py of chapters 5 and 7): mean absolute difference per parameter.")
final class GradcheckCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--backend", paramLabel = "NAME", description = "The backend to use (default: the chosen one).")
    String backend;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--net", paramLabel = "NET", defaultValue = "mlp", description = "The network: mlp (a "
            + "TwoLayerNet on three training images, ch05) or simple-convnet (a small SimpleConvNet on one 1x10x10 "
            + "input, ch07; loads no data) (default: ${DEFAULT-VALUE}).")
    String net;

    @Override
    public Integer call() throws IOException {
        if (!net.equals("mlp") && !net.equals("simple-convnet")) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--net " + net
                    + ": unknown network; use mlp or simple-convnet");
        }
        if (net.equals("simple-convnet")) {
            for (String option : new String[] {"--dataset", "--data"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), option
                            + " does not apply to --net simple-convnet, which checks one random input and loads no data");
                }
            }
        }
        Backend nd = Backends.registry().backend(backend, "--backend " + backend, DType.FLOAT64);
        if (net.equals("simple-convnet")) {
            return convnet(nd);
        }
        TensorDataSet data = dataOptions.load(nd, true, null);
        int[] firstThree = {0, 1, 2};
        Tensor x = data.xTrain().gatherRows(firstThree);
        Tensor t = data.tTrain().gatherRows(firstThree);
        TwoLayerNet network = new TwoLayerNet(nd, data.xTrain().shape().dim(1), 50, data.classes(), seed);
        return print(network, x, t);
    }

    /**
     * ch07/gradient_check.py: {@code SimpleConvNet(input_dim=(1,10,10), filter_num=10, filter_size=3, pad=0,
     * stride=1, hidden_size=10, output_size=10, weight_init_std=0.01)}, {@code X = np.random.rand(100)
     * .reshape((1, 1, 10, 10))}, {@code T = [1]}; here X is drawn from {@code new Random(seed)}.
     */
    private int convnet(Backend nd) {
        SimpleConvNet network = new SimpleConvNet(nd, new int[] {1, 10, 10}, 10, 3, 0, 1, 10, 10,
                SimpleConvNet.DEFAULT_WEIGHT_INIT_STD, seed);
        Tensor x = nd.rand(new java.util.Random(seed), 1, 1, 10, 10);
        Tensor t = nd.fromArray(new double[] {1}, 1);
        return print(network, x, t);
    }

    private int print(Network network, Tensor x, Tensor t) {
        Map<String, Tensor> numerical = network.numericalGradient(x, t);
        Map<String, Tensor> backprop = network.gradient(x, t);
        PrintWriter out = spec.commandLine().getOut();
        for (String key : numerical.keySet()) {
            double diff = meanAbsolute(backprop.get(key).sub(numerical.get(key)));
            out.println(key + ":" + pythonRepr(diff));
        }
        out.flush();
        return 0;
    }

    private static double meanAbsolute(Tensor d) {
        double sum = 0;
        for (double v : d.toDoubleArray()) {
            sum += Math.abs(v);
        }
        return sum / d.size();
    }

    /** A double as Python's {@code str(float)} prints it: {@code 4.35e-10}, not Java's {@code 4.35E-10}. */
    static String pythonRepr(double v) {
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        String mantissa = s.substring(0, e).endsWith(".0") ? s.substring(0, e - 2) : s.substring(0, e);
        int exponent = Integer.parseInt(s.substring(e + 1));
        return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }
}
