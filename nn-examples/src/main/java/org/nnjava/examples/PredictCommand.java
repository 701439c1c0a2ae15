package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
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
import picocli.CommandLine.ParameterException;
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

    int showWrong;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "nn-out", description = "Where --show-wrong's "
            + MisclassifiedImages.FILE + " goes (default: ${DEFAULT-VALUE}).")
    Path outDir;

    /** {@code --show-wrong N}, checked when parsed: 0 to {@link MisclassifiedImages#MAX_IMAGES}. */
    @Option(names = "--show-wrong", paramLabel = "N", defaultValue = "0",
            description = "Also list the first N wrongly classified test images (at most " + MisclassifiedImages.MAX_IMAGES
                    + ") and draw them, each with its true and predicted label, in --out's "
                    + MisclassifiedImages.FILE + ", as the book's ch08/misclassified_mnist.py (default: ${DEFAULT-VALUE}).")
    void setShowWrong(int n) {
        if (n < 0 || n > MisclassifiedImages.MAX_IMAGES) {
            throw new ParameterException(spec.commandLine(), "--show-wrong " + n + ": give 0 to "
                    + MisclassifiedImages.MAX_IMAGES + ", the most images drawn");
        }
        showWrong = n;
    }

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
            listAndDrawWrong(out, network.predict(data.xTest()).argmax(1), data.tTest(), data.xTest());
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

    /**
     * Lists the first {@code --show-wrong} misclassified test images and draws them in {@code --out}'s
     * misclassified.png; says so when fewer are wrong, and draws nothing when none is.
     */
    private void listAndDrawWrong(PrintWriter w, Tensor predicted, Tensor labels, Tensor images) throws IOException {
        double[] p = predicted.toDoubleArray();
        double[] t = labels.toDoubleArray();
        int[] wrong = new int[showWrong];
        int shown = 0;
        for (int i = 0; i < p.length && shown < showWrong; i++) {
            if (p[i] != t[i]) {
                w.printf(Locale.ROOT, "  test image %d: label %d, predicted %d%n", i, (int) t[i], (int) p[i]);
                wrong[shown++] = i;
            }
        }
        if (shown == 0) {
            w.println("no test image is misclassified: " + MisclassifiedImages.FILE + " not written");
            return;
        }
        int[] rows = Arrays.copyOf(wrong, shown);
        int[] trueLabels = Arrays.stream(rows).map(i -> (int) t[i]).toArray();
        int[] predictedLabels = Arrays.stream(rows).map(i -> (int) p[i]).toArray();
        Path file = MisclassifiedImages.write(images, rows, trueLabels, predictedLabels, outDir);
        w.println((shown < showWrong ? "only " + shown + " of the " + p.length + " test images are misclassified, "
                + "fewer than the " + showWrong + " asked for; " : "") + "misclassified: " + file + " (" + shown
                + (shown == 1 ? " image" : " images") + ", each labelled true and predicted)");
    }
}
