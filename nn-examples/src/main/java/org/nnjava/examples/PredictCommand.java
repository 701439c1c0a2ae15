package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.nnjava.data.TensorDataSet;
import org.nnjava.internal.Listing;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.BookWeights;
import org.nnjava.train.Checkpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code nn predict}: the test accuracy of a saved network, rebuilt from the checkpoint's recorded
 * architecture; for a parameters-only file of an earlier version, from its shapes ({@code W1 [784, 50]},
 * {@code b1 [50]}, ...) and {@code --activation} (or {@code --net} for a convnet's). A book pickle
 * ({@code .pkl}: ch03/sample_weight.pkl, ch07/params.pkl, ch08/deep_convnet_params.pkl) records no
 * architecture: it comes from {@code --net} (and for {@code mlp}, {@code --hidden} and
 * {@code --activation}); {@link BookWeights} checks every key and shape and converts the book's
 * non-inverted dropout.
 */
@Command(name = "predict", description = "Accuracy of a saved network (a checkpoint .npz, or one of the book's "
        + ".pkl files with --net) on a data set's test part.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, description = "The network's parameters:"
            + " a checkpoint (.npz), which records its architecture, or a book pickle (.pkl, .pickle), which needs --net.")
    Path checkpoint;

    @Option(names = "--net", paramLabel = "NET", description = "The network of a book pickle: simple-convnet"
            + " (ch07/params.pkl), deep-convnet (ch08/deep_convnet_params.pkl) or mlp with --hidden and --activation"
            + " (ch03/sample_weight.pkl: --net mlp --hidden 50,100 --activation sigmoid); for a checkpoint, it must be"
            + " the recorded one.")
    String net;

    @Option(names = "--hidden", paramLabel = "SIZE", split = ",", arity = "1..*",
            description = "With --net mlp and a book pickle: the hidden layer sizes, e.g. 50,100.")
    int[] hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "The hidden activation of an mlp: for a book pickle (required), or a checkpoint of an earlier"
                    + " version that does not record it (default: ${DEFAULT-VALUE}).")
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
        NetworkSpec.Kind kind = net == null ? null : NetChoice.parse(net);
        Backend nd = backendOptions.backend();
        PrintWriter out = spec.commandLine().getOut();
        TensorDataSet data;
        NetworkSpec architecture;
        Network network;
        if (NetChoice.isPickle(checkpoint)) {
            ParseResult given = spec.commandLine().getParseResult();
            TrainCommand.requireBookArchitecture(given, "--checkpoint " + checkpoint, kind);
            if (kind != null) {
                NetChoice.refuseMlpOptions(given, kind, List.of("--hidden", "--activation"));
            }
            data = dataOptions.load(nd, false, null);
            architecture = bookArchitecture(kind, data);
            network = BookWeights.load(checkpoint, architecture, nd);
        } else {
            Checkpoint saved = Checkpoint.load(checkpoint);
            architecture = architecture(saved, kind, out);
            List<String> nonFinite = saved.nonFiniteEntries();
            if (!nonFinite.isEmpty()) {
                spec.commandLine().getErr().println("nn predict: warning: " + checkpoint + " holds values that are not"
                        + " finite (" + Listing.counted(nonFinite) + "); it comes from a diverged run and its predictions"
                        + " mean little");
            }
            data = dataOptions.load(nd, false, null);
            if (architecture == null) {
                architecture = NetworkSpec.convNet(kind, data.xTest().shape().dim(1), data.classes(), 0);
            }
            network = saved.restoreNetwork(architecture, nd);
        }
        Tensor x = architecture.asInput(data.xTest());
        double accuracy = network.accuracy(x, data.tTest());
        out.printf(Locale.ROOT, "%s from %s on %s test (%d images): accuracy %.4f%n", network, checkpoint, data.name(),
                data.xTest().shape().dim(0), accuracy);
        if (showWrong > 0) {
            listAndDrawWrong(out, predictedClasses(network, x, nd), data.tTest(), data.xTest());
        }
        out.flush();
        return 0;
    }

    /**
     * The class each row of {@code x} scores highest, {@code [N]}, in inference mode (dropout off, batch
     * normalisation's running statistics), {@link Network#ACCURACY_CHUNK} rows per forward pass as
     * {@link Network#accuracy} does: a convnet over every test image at once would hold all their im2col columns.
     */
    private static Tensor predictedClasses(Network network, Tensor x, Backend nd) {
        int n = x.shape().dim(0);
        double[] classes = new double[n];
        network.setTraining(false);
        for (int start = 0; start < n; start += Network.ACCURACY_CHUNK) {
            int[] rows = IntStream.range(start, Math.min(n, start + Network.ACCURACY_CHUNK)).toArray();
            double[] chunk = network.predict(x.gatherRows(rows)).argmax(1).toDoubleArray();
            System.arraycopy(chunk, 0, classes, start, chunk.length);
        }
        return nd.fromArray(classes, n);
    }

    /** The architecture of a book pickle, from {@code --net} (and {@code --hidden}, {@code --activation}). */
    private NetworkSpec bookArchitecture(NetworkSpec.Kind kind, TensorDataSet data) {
        int inputs = data.xTest().shape().dim(1);
        if (kind != null) {
            return NetworkSpec.convNet(kind, inputs, data.classes(), 0);
        }
        for (int size : hidden) {
            if (size < 1) {
                throw new IllegalArgumentException("--hidden " + TrainCommand.joined(hidden) + ": each hidden layer size"
                        + " must be at least 1");
            }
        }
        return NetworkSpec.of(inputs, Arrays.stream(hidden).boxed().toList(), data.classes(), Activation.parse(activation),
                null, false, 0, 0, 0);
    }

    /**
     * The recorded architecture ({@code --net} or {@code --activation} given with another value is an
     * error), or for a file of an earlier version the one its arrays imply, with a line saying so; null for
     * such a file with a convnet's {@code --net}, whose spec needs the data set's sizes.
     */
    private NetworkSpec architecture(Checkpoint saved, NetworkSpec.Kind kind, PrintWriter out) throws IOException {
        ParseResult given = spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--hidden")) {
            throw new IllegalArgumentException("--hidden applies to a book pickle (.pkl); the checkpoint " + checkpoint
                    + (saved.hasMetadata() ? " records its architecture" : "'s layer sizes come from its shapes")
                    + ": leave --hidden out");
        }
        boolean activationGiven = given.hasMatchedOption("--activation");
        if (kind != null && activationGiven) {
            NetChoice.refuseMlpOptions(given, kind, List.of("--activation"));
        }
        if (saved.hasMetadata()) {
            NetworkSpec recorded = saved.network().orElseThrow();
            if (net != null && !NetChoice.label(recorded.kind()).equals(net.trim().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("--net " + net + " contradicts the checkpoint " + checkpoint
                        + ", which holds a " + NetChoice.label(recorded.kind()) + " network; leave --net out");
            }
            String savedActivation = recorded.activation().name().toLowerCase(Locale.ROOT);
            if (activationGiven && Activation.parse(activation) != recorded.activation()) {
                throw new IllegalArgumentException("--activation " + activation + " contradicts the checkpoint " + checkpoint
                        + ", whose network uses " + savedActivation + "; leave --activation out");
            }
            return recorded;
        }
        if (kind != null) {
            out.println(checkpoint + " holds parameters only: the network is the " + kind.label() + " --net names");
            return null; // the data set's sizes give the spec once it is loaded
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
