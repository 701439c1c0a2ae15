package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.nnjava.data.TensorDataSet;
import org.nnjava.internal.Listing;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.net.WeightInit;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.train.Checkpoint;
import org.nnjava.train.TrainingResult;
import org.nnjava.train.TrainingSetup;
import picocli.CommandLine.ParseResult;

/**
 * {@code train --resume}: what comes from the checkpoint and what from the command line. With the
 * checkpoint's metadata, the architecture, optimizer, data set, dtype, batch size and seed are the
 * checkpoint's, and an option given with another value is an error naming both; a parameters-only file
 * of an earlier version takes them from the options instead, and says so.
 */
final class ResumeOptions {

    private final Checkpoint checkpoint;
    private final TrainCommand command;
    private final ParseResult given;

    ResumeOptions(Checkpoint checkpoint, TrainCommand command) {
        this.checkpoint = checkpoint;
        this.command = command;
        this.given = command.spec.commandLine().getParseResult();
    }

    /**
     * Reads the checkpoint to resume from, refusing one with non-finite values: training from it cannot
     * recover.
     */
    static Checkpoint load(Path file) throws IOException {
        Checkpoint checkpoint = Checkpoint.load(file);
        List<String> nonFinite = checkpoint.nonFiniteEntries();
        if (!nonFinite.isEmpty()) {
            throw new IllegalArgumentException("--resume " + file + ": the checkpoint holds values that are not finite ("
                    + Listing.counted(nonFinite) + "); it comes from a diverged run and cannot be trained further");
        }
        return checkpoint;
    }

    /** A line on what the checkpoint provides. */
    void describe(PrintWriter w) {
        if (checkpoint.hasMetadata()) {
            w.printf(Locale.ROOT, "resuming %s: %s, %s, %d iterations done%n", checkpoint.file(),
                    checkpoint.network().orElseThrow().describe(), checkpoint.optimizerName().orElseThrow(),
                    checkpoint.history().iterations());
        } else {
            w.println(checkpoint.file() + " holds parameters only (written by an earlier version): the architecture,"
                    + " --batch-size and --seed come from the command line, the optimizer starts afresh and the"
                    + " iterations are counted from 1");
        }
    }

    /** The checkpoint's dtype; {@code --dtype} given with another is an error. */
    DType dtype(String option) {
        if (!checkpoint.hasMetadata()) {
            return DType.parse(option);
        }
        DType saved = checkpoint.setup().orElseThrow().dtype();
        check("--dtype", DType.parse(option).label(), saved.label());
        return saved;
    }

    /** The recorded architecture, every architecture option given checked against it. */
    NetworkSpec network(TrainCommand options, TensorDataSet data) {
        if (!checkpoint.hasMetadata()) {
            return options.networkSpec(data.xTrain().shape().dim(1), data.classes());
        }
        NetworkSpec saved = checkpoint.network().orElseThrow();
        check("--net", options.net.trim().toLowerCase(Locale.ROOT), NetChoice.label(saved.kind()));
        if (saved.kind().isConvNet()) {
            NetChoice.refuseMlpOptions(given, saved.kind(), NetChoice.MLP_OPTIONS);
        } else {
            checkMlp(options, saved);
        }
        check("--seed", String.valueOf(options.seed), String.valueOf(saved.seed()));
        if (saved.inputSize() != data.xTrain().shape().dim(1) || saved.outputSize() != data.classes()) {
            throw new IllegalArgumentException("--resume " + checkpoint.file() + ": the network takes " + saved.inputSize()
                    + " inputs and " + saved.outputSize() + " classes, but " + data.name() + " has "
                    + data.xTrain().shape().dim(1) + " and " + data.classes());
        }
        return saved;
    }

    /** The fully connected network's options given, each checked against the checkpoint's. */
    private void checkMlp(TrainCommand options, NetworkSpec saved) {
        check("--hidden", TrainCommand.joined(options.hidden),
                TrainCommand.joined(saved.hidden().stream().mapToInt(Integer::intValue).toArray()));
        check("--activation", options.activation.trim().toLowerCase(Locale.ROOT),
                saved.activation().name().toLowerCase(Locale.ROOT));
        check("--batchnorm", String.valueOf(options.batchNorm), String.valueOf(saved.batchNorm()));
        check("--dropout", String.valueOf(options.dropout), String.valueOf(saved.dropout()));
        check("--weight-decay", String.valueOf(options.weightDecay), String.valueOf(saved.weightDecay()));
        if (given.hasMatchedOption("--init")) {
            NetworkSpec asked = options.networkSpec(saved.inputSize(), saved.outputSize());
            check("--init", initText(asked), initText(saved));
        }
    }

    private static String initText(NetworkSpec spec) {
        return spec.init() == null ? "default" : spec.init() == WeightInit.STD ? String.valueOf(spec.initStd())
                : spec.init().name().toLowerCase(Locale.ROOT);
    }

    /** The recorded setup, checked against the data set loaded and the options given. */
    TrainingSetup setup(TensorDataSet data) {
        int trainSize = data.xTrain().shape().dim(0);
        if (!checkpoint.hasMetadata()) {
            return new TrainingSetup(data.name(), trainSize, data.xTrain().dtype(), command.batchSize, command.seed);
        }
        TrainingSetup saved = checkpoint.setup().orElseThrow();
        check("--batch-size", String.valueOf(command.batchSize), String.valueOf(saved.batchSize()));
        if (!saved.dataset().equals(data.name()) || saved.trainSize() != trainSize) {
            throw new IllegalArgumentException("--resume " + checkpoint.file() + ": the run trained on " + saved.dataset()
                    + " (" + saved.trainSize() + " training images), not " + data.name() + " (" + trainSize
                    + "); resume with --dataset " + saved.dataset());
        }
        return saved;
    }

    /** The recorded optimizer's name; {@code --optimizer} given with another is an error. */
    String optimizer(String option) {
        if (!checkpoint.hasMetadata()) {
            return option;
        }
        String saved = checkpoint.optimizerName().orElseThrow();
        check("--optimizer", option.trim().toLowerCase(Locale.ROOT), saved);
        return saved;
    }

    /** The recorded learning rate (null without metadata: the optimizer's default). */
    Double learningRate() {
        return checkpoint.learningRate().orElse(null);
    }

    /** The network rebuilt from the checkpoint, and the optimizer's state loaded into {@code optimizer}. */
    Network restore(NetworkSpec architecture, Backend backend, Optimizer optimizer) throws IOException {
        Network network = checkpoint.restoreNetwork(architecture, backend);
        if (checkpoint.hasMetadata()) {
            checkpoint.restoreOptimizer(optimizer, network);
        }
        return network;
    }

    /** The losses and evaluations so far. */
    TrainingResult history() {
        return checkpoint.history();
    }

    private void check(String option, String asked, String saved) {
        if (given.hasMatchedOption(option) && !Objects.equals(asked, saved)) {
            throw new IllegalArgumentException(option + " " + asked + " contradicts the checkpoint " + checkpoint.file()
                    + ", which was trained with " + option + " " + saved + "; leave " + option
                    + " out to continue the run, or train a new one without --resume");
        }
    }

}
