package org.nnjava.examples;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nnjava.net.NetworkSpec;
import picocli.CommandLine.ParseResult;

/**
 * The {@code --net} option of {@code train} and {@code predict}: {@code mlp} (the fully connected
 * networks of chapters 5 and 6, shaped by {@code --hidden}, {@code --activation} and chapter 6's options),
 * {@code simple-convnet} (ch07/simple_convnet.py) or {@code deep-convnet} (ch08/deep_convnet.py), the
 * book's fixed architectures, which those options do not shape.
 */
final class NetChoice {

    /** The values {@code --net} accepts. */
    static final List<String> NAMES = List.of("mlp", "simple-convnet", "deep-convnet");

    /** The options that shape a fully connected network only. */
    static final List<String> MLP_OPTIONS = List.of("--hidden", "--activation", "--init", "--batchnorm", "--dropout",
            "--weight-decay");

    private NetChoice() {
    }

    /**
     * The convnet kind {@code --net} names, or null for {@code mlp}.
     *
     * @throws IllegalArgumentException for another value, listing the known ones
     */
    static NetworkSpec.Kind parse(String net) {
        String name = net.trim().toLowerCase(Locale.ROOT);
        if (name.equals("mlp")) {
            return null;
        }
        for (NetworkSpec.Kind kind : NetworkSpec.Kind.values()) {
            if (kind.isConvNet() && kind.label().equals(name)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("--net '" + net + "' is unknown: use one of " + NAMES);
    }

    /** The {@code --net} value that builds {@code kind}: {@code mlp} for the fully connected kinds. */
    static String label(NetworkSpec.Kind kind) {
        return kind.isConvNet() ? kind.label() : "mlp";
    }

    /**
     * Refuses every option of {@code options} that was given, for a convnet of {@code kind}.
     *
     * @throws IllegalArgumentException naming the first such option
     */
    static void refuseMlpOptions(ParseResult given, NetworkSpec.Kind kind, List<String> options) {
        for (String option : options) {
            if (given.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " does not apply to " + kind.label() + ": the convnets are"
                        + " the book's fixed architectures (" + (kind == NetworkSpec.Kind.SIMPLE_CONVNET
                        ? "ch07/simple_convnet.py" : "ch08/deep_convnet.py") + "); leave " + option
                        + " out, or use --net mlp");
            }
        }
    }

    /** Whether {@code file} is read as one of the book's pickles ({@code .pkl}, {@code .pickle}) rather than a checkpoint. */
    static boolean isPickle(Path file) {
        Path name = file.getFileName();
        String text = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        return text.endsWith(".pkl") || text.endsWith(".pickle");
    }
}
