package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nnjava.data.TensorDataSet;
import org.nnjava.internal.Listing;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nn predict}: the test accuracy of a saved network, rebuilt from the checkpoint's recorded
 * architecture; for a parameters-only file of an earlier version, from its shapes ({@code W1 [784, 50]},
 * {@code b1 [50]}, ...) and {@code --activation}.
 */
@Command(name = "predict", description = "Accuracy of a saved network (.npz) on a data set's test part.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = "The network's parameters (.npz).")
    Path checkpoint;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "The hidden activation, for a checkpoint of an earlier version that does not record it "
                    + "(default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--show-wrong", paramLabel = "N", defaultValue = "0",
            description = "Also list the first N wrongly classified test images (default: ${DEFAULT-VALUE}).")
    int showWrong;

    @Override
    public Integer call() throws IOException {
        Backend nd = backendOptions.backend();
        Checkpoint saved = Checkpoint.load(checkpoint);
        PrintWriter out = spec.commandLine().getOut();
        NetworkSpec architecture = architecture(saved, out);
        List<String> nonFinite = saved.nonFiniteEntries();
        if (!nonFinite.isEmpty()) {
            spec.commandLine().getErr().println("nn predict: warning: " + checkpoint + " holds values that are not finite ("
                    + Listing.counted(nonFinite) + "); it comes from a diverged run and its predictions mean little");
        }
        TensorDataSet data = dataOptions.load(nd, false, null);
        Network network = saved.restoreNetwork(architecture, nd);
        double accuracy = network.accuracy(data.xTest(), data.tTest());
        out.printf(Locale.ROOT, "%s from %s on %s test (%d images): accuracy %.4f%n", network, checkpoint, data.name(),
                data.xTest().shape().dim(0), accuracy);
        if (showWrong > 0) {
            listWrong(out, network.predict(data.xTest()).argmax(1), data.tTest());
        }
        out.flush();
        return 0;
    }

    /**
     * The recorded architecture ({@code --activation} given with another value is an error), or for a file
     * of an earlier version the one its arrays imply, with a line saying so.
     */
    private NetworkSpec architecture(Checkpoint saved, PrintWriter out) throws IOException {
        boolean activationGiven = spec.commandLine().getParseResult().hasMatchedOption("--activation");
        if (saved.hasMetadata()) {
            NetworkSpec recorded = saved.network().orElseThrow();
            String savedActivation = recorded.activation().name().toLowerCase(Locale.ROOT);
            if (activationGiven && Activation.parse(activation) != recorded.activation()) {
                throw new IllegalArgumentException("--activation " + activation + " contradicts the checkpoint " + checkpoint
                        + ", whose network uses " + savedActivation + "; leave --activation out");
            }
            return recorded;
        }
        NetworkSpec inferred = saved.inferSpec(Activation.parse(activation));
        out.println(checkpoint + " holds parameters only (written by an earlier version or np.savez): the network "
                + inferred.describe() + " is inferred from its shapes" + (activationGiven ? ""
                        : "; give --activation if it was not trained with relu"));
        return inferred;
    }

    private void listWrong(PrintWriter out, Tensor predicted, Tensor labels) {
        double[] p = predicted.toDoubleArray();
        double[] t = labels.toDoubleArray();
        int shown = 0;
        for (int i = 0; i < p.length && shown < showWrong; i++) {
            if (p[i] != t[i]) {
                out.printf(Locale.ROOT, "  test image %d: label %d, predicted %d%n", i, (int) t[i], (int) p[i]);
                shown++;
            }
        }
    }
}
