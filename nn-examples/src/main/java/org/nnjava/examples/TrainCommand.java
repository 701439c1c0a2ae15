package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.nnjava.data.TensorDataSet;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.optim.Optimizer;
import org.nnjava.optim.Optimizers;
import org.nnjava.spark.SparkContexts;
import org.nnjava.spark.SparkJob;
import org.nnjava.spark.SparkTrainer;
import org.nnjava.spark.SyncMode;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.train.BookWeights;
import org.nnjava.train.Checkpoint;
import org.nnjava.train.Trainer;
import org.nnjava.train.TrainingConfig;
import org.nnjava.train.TrainingDivergedException;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;
import org.nnjava.train.TrainingSetup;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code nn train}: the book's train_neuralnet.py (chapter 5.7.4). By default a TwoLayerNet 784-50-10
 * trained with SGD (learning rate 0.1, batch 100, 10,000 iterations) on the embedded mnist-sample,
 * evaluated every epoch; writes one self-describing checkpoint ({@link Checkpoint}), the metrics as CSV
 * and a plot to {@code --out}. With {@code --net simple-convnet} or {@code --net deep-convnet}, the book's
 * ch07/train_convnet.py and ch08/train_deepnet.py: Adam, learning rate 0.001, batch 100, 20 epochs, the
 * images reshaped to {@code [N, 1, 28, 28]}. Every option is checked, and {@code --out} proven writable,
 * before the first iteration; {@code --resume} rebuilds the run from the checkpoint alone and continues it
 * exactly, or starts a new run from the weights of one of the book's pickles.
 */
@Command(name = "train", description = "Train a network on MNIST-style data (the book's train_neuralnet.py, "
        + "ch07/train_convnet.py, ch08/train_deepnet.py) and write a checkpoint (.npz), the metrics (CSV) and a plot (PNG).")
final class TrainCommand implements Callable<Integer> {

    /** The convnets' default length, as ch07/train_convnet.py and ch08/train_deepnet.py ({@code max_epochs = 20}). */
    static final int CONVNET_EPOCHS = 20;

    @Spec
    CommandSpec spec;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    DataOptions dataOptions;

    static final class Length {
        @Option(names = "--iterations", paramLabel = "N", description = "Parameter updates (default: 10000 for mlp,"
                + " 20 epochs for the convnets); with --resume, the updates to add.")
        Integer iterations;

        @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training set, instead of --iterations.")
        Integer epochs;
    }

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Minibatch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "RATE",
            description = "Learning rate (default: 0.1 for sgd, as train_neuralnet.py; the book's default for the others,"
                    + " 0.001 for adam; with --resume, the checkpoint's).")
    Double learningRate;

    @Option(names = "--optimizer", paramLabel = "NAME", defaultValue = "sgd",
            description = "sgd, momentum, nesterov, adagrad, rmsprop or adam (default: ${DEFAULT-VALUE} for mlp, adam for"
                    + " the convnets).")
    String optimizer;

    @Option(names = "--net", paramLabel = "NET", defaultValue = "mlp",
            description = "The network: mlp (fully connected, shaped by --hidden, --activation and chapter 6's options),"
                    + " simple-convnet (ch07/simple_convnet.py) or deep-convnet (ch08/deep_convnet.py), the book's fixed"
                    + " architectures on [N, 1, 28, 28] images (default: ${DEFAULT-VALUE}).")
    String net;

    @Option(names = "--init", paramLabel = "INIT",
            description = "mlp only. Initial weights: std (0.01), xavier, he, or a standard deviation such as 0.05 "
                    + "(default: 0.01 for the one-hidden-layer TwoLayerNet, else He for relu, Xavier for sigmoid/tanh).")
    String init;

    @Option(names = "--batchnorm", description = "mlp only. Batch normalisation after each hidden Affine layer (chapter 6.3).")
    boolean batchNorm;

    @Option(names = "--dropout", paramLabel = "RATIO", defaultValue = "0",
            description = "mlp only. Dropout ratio after each hidden activation, 0 for none (chapter 6.4.3; default:"
                    + " ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--weight-decay", paramLabel = "LAMBDA", defaultValue = "0",
            description = "mlp only. L2 weight decay on the weights, not the biases (chapter 6.4.2; default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--hidden", paramLabel = "SIZE", split = ",", arity = "1..*", defaultValue = "50",
            description = "mlp only. Hidden layer sizes, e.g. --hidden 100,100 (default: ${DEFAULT-VALUE}: the book's"
                    + " TwoLayerNet).")
    int[] hidden;

    @Option(names = "--activation", paramLabel = "NAME", defaultValue = "relu",
            description = "mlp only. Hidden activation: relu, sigmoid or tanh (default: ${DEFAULT-VALUE}).")
    String activation;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the initial weights and the minibatches (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "nn-out",
            description = "Where the checkpoint, CSV files and plot go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--resume", paramLabel = "FILE", description = "Continue the run saved in this checkpoint (.npz) "
            + "exactly: the architecture, optimizer, data set, dtype, batch size and seed come from the file (giving "
            + "another value is an error); --iterations/--epochs, --lr, --backend and --out may change. A book pickle"
            + " (.pkl, e.g. ch07/params.pkl) holds weights only: a new run starts from them at iteration 0 with a fresh"
            + " optimizer; give its architecture with --net (and for mlp --hidden and --activation).")
    Path resume;

    @Option(names = "--save-every", paramLabel = "SECONDS", defaultValue = "60",
            description = "Also save the checkpoint at an epoch's end when this many seconds passed since the last save"
                    + " (0: every epoch; default: ${DEFAULT-VALUE}); a run stopped by Ctrl-C saves too.")
    double saveEvery;

    @Option(names = "--quiet", description = "Print only the summary.")
    boolean quiet;

    @Option(names = "--spark", paramLabel = "MASTER", description = "Train data-parallel on Spark: local[N], local[*] or"
            + " spark://HOST:PORT (see --partitions, --sync).")
    String sparkMaster;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "2", description = "With --spark: partitions of the"
            + " training set; each draws --batch-size / P samples per iteration (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--sync", paramLabel = "MODE", defaultValue = "gradients", description = "With --spark: gradients"
            + " (average every iteration's gradients: one process's training on the union of the shares) or params"
            + " (--local-steps on each partition, then average the parameters; default: ${DEFAULT-VALUE}).")
    String sync;

    @Option(names = "--local-steps", paramLabel = "K", defaultValue = "10",
            description = "With --spark --sync params: iterations between averages (default: ${DEFAULT-VALUE}).")
    int localSteps;

    @Override
    public Integer call() throws IOException {
        validate();
        OutputDirectory outputs = OutputDirectory.prepare(out);
        boolean fromPickle = resume != null && NetChoice.isPickle(resume);
        ResumeOptions resumed = resume == null || fromPickle ? null : new ResumeOptions(ResumeOptions.load(resume), this);
        PrintWriter w = spec.commandLine().getOut();
        if (resumed != null && !quiet) {
            resumed.describe(w);
        }
        if (fromPickle && !quiet) {
            w.println("starting a new run from the weights in " + resume + " (a book pickle holds no optimizer state or"
                    + " history): iteration 0, a fresh optimizer");
        }
        DType dtype = resumed != null ? resumed.dtype(backendOptions.dtype) : DType.parse(backendOptions.dtype);
        Backend nd = backendOptions.backend(dtype);
        TensorDataSet data = dataOptions.load(nd, false, quiet ? null : w);
        int trainSize = data.xTrain().shape().dim(0);
        NetworkSpec architecture = resumed != null ? resumed.network(this, data)
                : networkSpec(data.xTrain().shape().dim(1), data.classes());
        TrainingSetup setup = resumed != null ? resumed.setup(data)
                : new TrainingSetup(data.name(), trainSize, nd.dtype(), batchSize, seed);
        if (setup.batchSize() > trainSize) {
            throw new IllegalArgumentException("--batch-size " + setup.batchSize() + " exceeds the " + trainSize
                    + " training images of " + data.name() + "; give at most " + trainSize);
        }
        boolean convNet = architecture.kind().isConvNet();
        String optimizerName = resumed != null ? resumed.optimizer(optimizer)
                : convNet && !spec.commandLine().getParseResult().hasMatchedOption("--optimizer") ? "adam" : optimizer;
        Double rate = learningRate != null ? learningRate : resumed != null ? resumed.learningRate()
                : "sgd".equalsIgnoreCase(optimizerName.trim()) ? Double.valueOf(0.1) : null;
        Optimizer opt = Optimizers.create(optimizerName, rate);
        Network network = resumed != null ? resumed.restore(architecture, nd, opt)
                : fromPickle ? BookWeights.load(resume, architecture, nd) : architecture.build(nd);
        TrainingResult before = resumed != null ? resumed.history() : TrainingResult.none();
        TrainingConfig config = length.epochs != null || (convNet && length.iterations == null)
                ? TrainingConfig.ofEpochs(length.epochs != null ? length.epochs : CONVNET_EPOCHS, trainSize,
                        setup.batchSize(), setup.seed())
                : new TrainingConfig(length.iterations != null ? length.iterations : 10_000, setup.batchSize(),
                        setup.seed());
        // A view: the convnets take [N, 1, 28, 28], as the book's load_mnist(flatten=False).
        Tensor xTrain = architecture.asInput(data.xTrain());
        Tensor xTest = architecture.asInput(data.xTest());
        if (!quiet) {
            w.printf(Locale.ROOT, "%s on %s (%s, %s): %d training and %d test images, %d iterations of %d%s%n", network,
                    data.name(), nd.name(), nd.dtype().label(), trainSize, data.xTest().shape().dim(0), config.iterations(),
                    setup.batchSize(), fromPickle ? ", starting from the weights in " + resume
                            : resume != null ? ", resumed from " + resume + " at iteration " + before.iterations() : "");
            w.flush();
        }
        CheckpointSaver saver = new CheckpointSaver(outputs.checkpoint(), network, architecture, opt, setup, saveEvery);
        TrainingListener progress = TrainingListener.all(new ProgressReporter(w, System.console() != null, quiet), saver);
        TrainingResult result;
        Trainer trainer = new Trainer(network, opt);
        // Installed for the outputs too: a signal waits until they are written.
        try (StopOnSignal stop = sparkMaster == null ? StopOnSignal.install(trainer) : StopOnSignal.none()) {
            if (sparkMaster != null) {
                SparkJob job = new SparkJob(nd.name(), nd.dtype().label(), data.name(),
                        dataOptions.dataDir == null ? null : dataOptions.dataDir.toAbsolutePath().toString(), architecture,
                        opt.name(), opt.learningRate(), partitions, setup.batchSize() / partitions, setup.seed(),
                        SyncMode.parse(sync), localSteps);
                try (JavaSparkContext context = SparkContexts.open(sparkMaster, "nnjava train")) {
                    result = new SparkTrainer(context, job, trainSize).train(network, opt, config, before, xTest,
                            data.tTest(), progress);
                }
            } else {
                result = trainer.train(xTrain, data.tTrain(), xTest, data.tTest(), config, before, progress);
                stop.finishing();
            }
            summarize(w, nd, data, result);
            outputs.write(w, saver, result, network + " on " + data.name()
                    + (sparkMaster != null ? " (Spark " + sparkMaster + ", " + partitions + " partitions)" : ""));
        } catch (TrainingDivergedException e) {
            spec.commandLine().getErr().println("nn train: " + e.getMessage().replace("a smaller learning rate",
                    "a smaller --lr") + "; " + saver.whereSaved());
            return 1;
        }
        return result.stopped() ? 130 : 0;
    }

    /** Every option checked before anything is loaded or trained. */
    private void validate() {
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " must be at least 1");
        }
        if (length.iterations != null && length.iterations < 1) {
            throw new IllegalArgumentException("--iterations " + length.iterations + " must be at least 1");
        }
        if (length.epochs != null && length.epochs < 1) {
            throw new IllegalArgumentException("--epochs " + length.epochs + " must be at least 1");
        }
        if (learningRate != null && (!(learningRate > 0) || Double.isInfinite(learningRate))) {
            throw new IllegalArgumentException("--lr " + learningRate + " must be a positive finite number, such as 0.1");
        }
        for (int size : hidden) {
            if (size < 1) {
                throw new IllegalArgumentException("--hidden " + joined(hidden) + ": each hidden layer size must be at"
                        + " least 1");
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("--dropout " + dropout + " must be in [0, 1): the fraction of units dropped");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("--weight-decay " + weightDecay + " must be a finite number >= 0");
        }
        if (!(saveEvery >= 0) || Double.isInfinite(saveEvery)) {
            throw new IllegalArgumentException("--save-every " + saveEvery + " must be a number of seconds >= 0");
        }
        validateSpark();
        NetworkSpec.Kind kind = NetChoice.parse(net);
        if (kind != null) {
            NetChoice.refuseMlpOptions(spec.commandLine().getParseResult(), kind, NetChoice.MLP_OPTIONS);
        }
        if (resume != null && NetChoice.isPickle(resume)) {
            requireBookArchitecture(spec.commandLine().getParseResult(), "--resume " + resume, kind);
        }
        if (!Optimizers.NAMES.contains(optimizer.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--optimizer '" + optimizer + "' is unknown: use one of " + Optimizers.NAMES);
        }
        Activation.parse(activation);
        DType.parse(backendOptions.dtype);
        networkSpec(1, 1); // --init, and the combination of options
    }

    private void validateSpark() {
        boolean given = spec.commandLine().getParseResult().hasMatchedOption("--partitions")
                || spec.commandLine().getParseResult().hasMatchedOption("--sync")
                || spec.commandLine().getParseResult().hasMatchedOption("--local-steps");
        if (sparkMaster == null) {
            if (given) {
                throw new IllegalArgumentException("--partitions, --sync and --local-steps apply to training on Spark:"
                        + " add --spark local[2] (or a spark:// master)");
            }
            return;
        }
        SyncMode.parse(sync);
        if (partitions < 1 || localSteps < 1) {
            throw new IllegalArgumentException("--partitions " + partitions + " and --local-steps " + localSteps
                    + " must be at least 1");
        }
        if (batchSize % partitions != 0) {
            throw new IllegalArgumentException("--batch-size " + batchSize + " is not a multiple of --partitions "
                    + partitions + ": each partition draws the same share of the global minibatch");
        }
        SparkContexts.check(sparkMaster);
    }

    /**
     * A book pickle records no architecture: {@code --net} must be given, and for {@code mlp} also
     * {@code --hidden} and {@code --activation} ({@code ch03/sample_weight.pkl}: {@code --hidden 50,100
     * --activation sigmoid}).
     */
    static void requireBookArchitecture(picocli.CommandLine.ParseResult given, String what, NetworkSpec.Kind kind) {
        if (!given.hasMatchedOption("--net")) {
            throw new IllegalArgumentException(what + ": a book pickle (.pkl) holds weights but not the network: give"
                    + " --net simple-convnet (ch07/params.pkl), --net deep-convnet (ch08/deep_convnet_params.pkl) or"
                    + " --net mlp --hidden 50,100 --activation sigmoid (ch03/sample_weight.pkl)");
        }
        if (kind == null && (!given.hasMatchedOption("--hidden") || !given.hasMatchedOption("--activation"))) {
            throw new IllegalArgumentException(what + ": a book pickle does not record the mlp's layers: give --hidden"
                    + " and --activation too (ch03/sample_weight.pkl: --hidden 50,100 --activation sigmoid)");
        }
    }

    static String joined(int[] sizes) {
        return Arrays.stream(sizes).mapToObj(String::valueOf).reduce((a, b) -> a + "," + b).orElse("");
    }

    /** The architecture the options describe, for {@code inputSize} inputs and {@code classes} outputs. */
    NetworkSpec networkSpec(int inputSize, int classes) {
        NetworkSpec.Kind kind = NetChoice.parse(net);
        if (kind != null) {
            return NetworkSpec.convNet(kind, inputSize, classes, seed);
        }
        List<Integer> sizes = Arrays.stream(hidden).boxed().toList();
        try {
            return NetworkSpec.of(inputSize, sizes, classes, Activation.parse(activation), init, batchNorm, dropout,
                    weightDecay, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException((init != null ? "--init " + init + ": " : "") + e.getMessage(), e);
        }
    }

    private static void summarize(PrintWriter w, Backend nd, TensorDataSet data, TrainingResult result) {
        w.printf(Locale.ROOT, "backend %s, dtype %s, data set %s: %d iterations in %.1f s%s%n", nd.name(),
                nd.dtype().label(), data.name(), result.iterations(), result.elapsed().toMillis() / 1000.0,
                result.stopped() ? " (stopped early)" : "");
        w.printf(Locale.ROOT, "final loss %.4f, train acc %.4f, test acc %.4f%n", result.losses().get(result.iterations() - 1),
                result.last().trainAccuracy(), result.last().testAccuracy());
    }
}
