package org.nnjava.train;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nnjava.internal.Listing;
import org.nnjava.io.CheckpointFormatException;
import org.nnjava.io.CheckpointMismatchException;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.io.NpzArchive;
import org.nnjava.net.Activation;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.optim.Optimizer;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Tensor;

/**
 * One file that holds everything needed to continue a training run: a NumPy {@code .npz} whose arrays
 * are the network's parameters and buffers under the book's names ({@code W1}, {@code b1}, ...,
 * {@code running_mean1}), the optimizer's state ({@code optimizer.m.W1}, {@code optimizer.iter}, ...)
 * and the metrics so far ({@code history.loss} {@code [iterations]}, {@code history.accuracy}
 * {@code [evaluations, 4]}: epoch, iteration, train and test accuracy), plus a {@value #METADATA} entry
 * with the architecture ({@link NetworkSpec}), the optimizer's name and learning rate, the
 * {@link TrainingSetup}, the iterations done and the dropout generators' states. NumPy reads all of it
 * without pickle: {@code np.load(f, allow_pickle=False)["W1"]}, {@code json.loads(np.load(f)["checkpoint.json"])}.
 *
 * <p>{@link #save} writes the file atomically (a temporary file in the same directory, synced, renamed
 * over the old one, the directory synced), so a kill at any moment leaves either the previous checkpoint
 * or the new one, each consistent: parameters, optimizer state and history from one iteration. It
 * refuses to write non-finite values, so a diverged run never replaces a good checkpoint.
 *
 * <p>{@link #load} reads a checkpoint, or a file of earlier versions that holds parameters only (then
 * {@link #hasMetadata()} is false and the architecture must be given or inferred, {@link #inferSpec}).
 */
public final class Checkpoint {

    /** The entry holding the metadata as JSON. */
    public static final String METADATA = "checkpoint.json";
    /** The prefix of the optimizer's state entries. */
    public static final String OPTIMIZER_PREFIX = "optimizer.";
    /** The loss of every iteration, float64 {@code [iterations]}. */
    public static final String LOSS = "history.loss";
    /** Each evaluation as {@code [epoch, iteration, train accuracy, test accuracy]}, float64 {@code [n, 4]}. */
    public static final String ACCURACY = "history.accuracy";

    private final Path file;
    private final CheckpointJson.Metadata metadata;
    private final Map<String, NpyArray> networkState;
    private final Map<String, NpyArray> optimizerState;
    private final TrainingResult history;

    private Checkpoint(Path file, CheckpointJson.Metadata metadata, Map<String, NpyArray> networkState,
            Map<String, NpyArray> optimizerState, TrainingResult history) {
        this.file = file;
        this.metadata = metadata;
        this.networkState = Collections.unmodifiableMap(networkState);
        this.optimizerState = Collections.unmodifiableMap(optimizerState);
        this.history = history;
    }

    /**
     * Writes the checkpoint of {@code network} (built from {@code spec}), {@code optimizer} and the run so
     * far to {@code file}, atomically.
     *
     * @param file the checkpoint to write or replace
     * @param network the network whose {@link Network#state()} is saved; only read
     * @param spec the architecture {@code network} was built from, recorded so that it can be rebuilt
     * @param optimizer the optimizer whose state and learning rate are saved; only read
     * @param setup the data set, dtype, batch size, sampler position and the like, recorded for resume
     * @param history the losses and evaluations so far
     * @throws IllegalStateException if a parameter, buffer or optimizer entry holds NaN or infinity, or the
     *     optimizer is not one {@link org.nnjava.optim.Optimizers} can rebuild; nothing is written then
     * @throws IOException if writing fails; the previous file is then unchanged
     */
    public static void save(Path file, Network network, NetworkSpec spec, Optimizer optimizer, TrainingSetup setup,
            TrainingResult history) throws IOException {
        if (optimizer.name().isEmpty()) {
            throw new IllegalStateException("checkpoint: optimizer " + optimizer.getClass().getName() + " has no name"
                    + " that Optimizers.create knows, so a checkpoint could not rebuild it");
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        List<String> nonFinite = new ArrayList<>();
        network.state().forEach((name, tensor) -> arrays.put(name, finite(name, tensor, nonFinite)));
        optimizer.state().forEach((name, tensor) -> arrays.put(OPTIMIZER_PREFIX + name,
                finite(OPTIMIZER_PREFIX + name, tensor, nonFinite)));
        if (!nonFinite.isEmpty()) {
            throw new IllegalStateException("checkpoint: refusing to write " + file + ": the state holds values that"
                    + " are not finite (" + Listing.counted(nonFinite) + "); the run diverged: train again with a"
                    + " smaller learning rate");
        }
        arrays.put(LOSS, NpyArray.ofFloat64(history.losses().stream().mapToDouble(Double::doubleValue).toArray(),
                history.iterations()));
        arrays.put(ACCURACY, accuracyArray(history.epochs()));
        byte[] json = CheckpointJson.write(new CheckpointJson.Metadata(spec, optimizer.name(), optimizer.learningRate(),
                setup, history.iterations(), network.randomStates(), history.elapsed().toMillis() / 1000.0));
        Npz.saveArchive(file, arrays, Map.of(METADATA, json));
    }

    private static NpyArray finite(String name, Tensor tensor, List<String> nonFinite) {
        NpyArray array = NpyArray.of(tensor);
        checkFinite(name, array, nonFinite);
        return array;
    }

    /** Adds {@code "<name> holds NaN at element i"} for the first non-finite element of {@code array}, if any. */
    private static void checkFinite(String name, NpyArray array, List<String> nonFinite) {
        double[] values = array.toDoubleArray();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                nonFinite.add(name + " holds " + values[i] + " at element " + i);
                return;
            }
        }
    }

    private static NpyArray accuracyArray(List<EpochMetrics> epochs) {
        double[] rows = new double[epochs.size() * 4];
        for (int i = 0; i < epochs.size(); i++) {
            EpochMetrics m = epochs.get(i);
            rows[4 * i] = m.epoch();
            rows[4 * i + 1] = m.iteration();
            rows[4 * i + 2] = m.trainAccuracy();
            rows[4 * i + 3] = m.testAccuracy();
        }
        return NpyArray.ofFloat64(rows, epochs.size(), 4);
    }

    /**
     * Reads a checkpoint, or a parameters-only file of an earlier version (or {@code np.savez}), checking
     * its structure: the metadata's fields, the history's shapes, the optimizer entries' names.
     *
     * @param file a {@code .npz} file
     * @return the checkpoint, its arrays in memory
     * @throws CheckpointFormatException if the file is not a valid checkpoint; the message names the file,
     *     the entry and what is wrong
     * @throws IOException if the file cannot be read
     */
    public static Checkpoint load(Path file) throws IOException {
        NpzArchive archive = Npz.loadArchive(file);
        String where = "checkpoint " + file;
        byte[] json = archive.file(METADATA);
        CheckpointJson.Metadata metadata = json == null ? null
                : CheckpointJson.read(json, where + ", entry '" + METADATA + "'");
        Map<String, NpyArray> state = new LinkedHashMap<>();
        Map<String, NpyArray> optimizer = new LinkedHashMap<>();
        archive.arrays().forEach((name, array) -> {
            if (name.startsWith(OPTIMIZER_PREFIX)) {
                optimizer.put(name.substring(OPTIMIZER_PREFIX.length()), array);
            } else if (!name.equals(LOSS) && !name.equals(ACCURACY)) {
                state.put(name, array);
            }
        });
        TrainingResult history = metadata == null ? TrainingResult.none() : history(archive.arrays(), metadata, where);
        return new Checkpoint(file, metadata, state, optimizer, history);
    }

    private static TrainingResult history(Map<String, NpyArray> arrays, CheckpointJson.Metadata metadata, String where)
            throws CheckpointFormatException {
        NpyArray loss = arrays.get(LOSS);
        NpyArray accuracy = arrays.get(ACCURACY);
        int n = metadata.iterations();
        if (loss == null || loss.shape().rank() != 1 || loss.size() != n) {
            throw new CheckpointFormatException(where + ", entry '" + LOSS + "': expected " + n + " losses (the"
                    + " iterations that " + METADATA + " records), found " + (loss == null ? "no such entry" : loss));
        }
        if (accuracy == null || accuracy.shape().rank() != 2 || accuracy.shape().dim(1) != 4) {
            throw new CheckpointFormatException(where + ", entry '" + ACCURACY + "': expected [evaluations, 4], found "
                    + (accuracy == null ? "no such entry" : accuracy));
        }
        double[] rows = accuracy.toDoubleArray();
        List<EpochMetrics> epochs = new ArrayList<>();
        for (int i = 0; i < accuracy.shape().dim(0); i++) {
            double epoch = rows[4 * i];
            double iteration = rows[4 * i + 1];
            double train = rows[4 * i + 2];
            double test = rows[4 * i + 3];
            if (epoch != Math.rint(epoch) || !(epoch >= 0 && epoch <= n) || iteration != Math.rint(iteration)
                    || !(iteration >= 1 && iteration <= n) || !(train >= 0 && train <= 1) || !(test >= 0 && test <= 1)) {
                throw new CheckpointFormatException(where + ", entry '" + ACCURACY + "': row " + i + " "
                        + Arrays.toString(Arrays.copyOfRange(rows, 4 * i, 4 * i + 4)) + " is not [epoch, iteration <= "
                        + n + ", accuracy in [0, 1], accuracy in [0, 1]]");
            }
            epochs.add(new EpochMetrics((int) epoch, (int) iteration, train, test));
        }
        List<Double> losses = Arrays.stream(loss.toDoubleArray()).boxed().toList();
        return new TrainingResult(losses, epochs, Duration.ofMillis(Math.round(metadata.elapsedSeconds() * 1000)));
    }

    /**
     * The file it was read from.
     *
     * @return the path given to {@link #load(Path)}
     */
    public Path file() {
        return file;
    }

    /**
     * Whether the file has the metadata: false for a parameters-only file of an earlier version.
     *
     * @return whether {@code checkpoint.json} is present
     */
    public boolean hasMetadata() {
        return metadata != null;
    }

    /**
     * The recorded architecture; empty for a file without metadata.
     *
     * @return the architecture, or empty
     */
    public Optional<NetworkSpec> network() {
        return metadata == null ? Optional.empty() : Optional.of(metadata.network());
    }

    /**
     * The recorded training setup; empty for a file without metadata.
     *
     * @return the setup, or empty
     */
    public Optional<TrainingSetup> setup() {
        return metadata == null ? Optional.empty() : Optional.of(metadata.setup());
    }

    /**
     * The recorded optimizer's name ({@code sgd}, {@code adam}, ...); empty for a file without metadata.
     *
     * @return the name, or empty
     */
    public Optional<String> optimizerName() {
        return metadata == null ? Optional.empty() : Optional.of(metadata.optimizer());
    }

    /**
     * The recorded learning rate; empty for a file without metadata.
     *
     * @return the learning rate, or empty
     */
    public Optional<Double> learningRate() {
        return metadata == null ? Optional.empty() : Optional.of(metadata.learningRate());
    }

    /**
     * The losses and evaluations so far (none for a file without metadata).
     *
     * @return the history; {@link TrainingResult#none()} without metadata
     */
    public TrainingResult history() {
        return history;
    }

    /**
     * The network's parameters and buffers by name ({@code W1}, ..., {@code running_mean1}, ...).
     *
     * @return an unmodifiable map of the arrays
     */
    public Map<String, NpyArray> networkState() {
        return networkState;
    }

    /**
     * The optimizer's state by the names {@link Optimizer#state()} uses ({@code m.W1}, {@code iter}, ...).
     *
     * @return an unmodifiable map of the arrays, without the {@code optimizer.} prefix; empty for an
     *     optimizer without state or a file without metadata
     */
    public Map<String, NpyArray> optimizerState() {
        return optimizerState;
    }

    /**
     * The entries that hold NaN or infinity, each with the first such element: a network loaded from them
     * predicts nothing useful, and training from them cannot recover.
     *
     * @return one line per such entry, e.g. {@code W1 holds NaN at element 3}; empty when every value is finite
     */
    public List<String> nonFiniteEntries() {
        List<String> problems = new ArrayList<>();
        Map<String, NpyArray> all = new LinkedHashMap<>(networkState);
        optimizerState.forEach((name, array) -> all.put(OPTIMIZER_PREFIX + name, array));
        all.forEach((name, array) -> checkFinite(name, array, problems));
        return problems;
    }

    /**
     * The architecture of a file without metadata, from its arrays: the layer sizes from {@code W1}'s rows
     * and each {@code bk}'s length, batch normalisation when {@code gamma1} is present, and the given
     * activation (which the file does not record). A network built from it is one whose
     * {@link #restoreNetwork} blames the entry that does not fit.
     *
     * @param activation the hidden activation, which the arrays do not tell
     * @return a spec of the file's layer sizes with that activation
     * @throws CheckpointFormatException if the file has no {@code W1}/{@code b1}, ... of a network with a
     *     hidden layer
     */
    public NetworkSpec inferSpec(Activation activation) throws CheckpointFormatException {
        String where = "checkpoint " + file;
        List<Integer> sizes = new ArrayList<>();
        NpyArray w1 = networkState.get("W1");
        if (w1 == null || w1.shape().rank() != 2) {
            throw new CheckpointFormatException(where + ": expected a 2-D weight matrix W1 [inputs, hidden] of a network"
                    + " with at least one hidden layer; found " + networkState.keySet());
        }
        sizes.add(w1.shape().dim(0));
        for (int k = 1; networkState.containsKey("b" + k); k++) {
            NpyArray b = networkState.get("b" + k);
            if (b.shape().rank() != 1) {
                throw new CheckpointFormatException(where + ", entry 'b" + k + "': a bias must be 1-D, found " + b);
            }
            sizes.add(b.shape().dim(0));
        }
        if (sizes.size() < 3) {
            throw new CheckpointFormatException(where + ": expected biases b1, b2, ... of a network with at least one"
                    + " hidden layer; found " + networkState.keySet());
        }
        try {
            return NetworkSpec.of(sizes.get(0), sizes.subList(1, sizes.size() - 1), sizes.get(sizes.size() - 1),
                    activation, null, networkState.containsKey("gamma1"), 0, 0, 0);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(where + ": the arrays imply no valid network: " + e.getMessage(), e);
        }
    }

    /**
     * A network built from {@code spec} on {@code backend}, its parameters and buffers replaced by the file's
     * and its dropout generators continued from the recorded states.
     *
     * @param spec the architecture to build, usually {@link #network()}
     * @param backend the backend (and dtype) of the network's tensors
     * @return the new network, holding the file's values
     * @throws CheckpointMismatchException listing every entry that is missing, unexpected or of another
     *     shape than {@code spec}'s network has; nothing is loaded then
     */
    public Network restoreNetwork(NetworkSpec spec, Backend backend) throws CheckpointMismatchException {
        Network network = spec.build(backend);
        Npz.assign(networkState, network.state(), "checkpoint " + file);
        if (metadata != null) {
            network.restoreRandomStates(metadata.randomStates());
        }
        return network;
    }

    /**
     * Loads the optimizer's state into {@code optimizer}, after checking that it is complete for
     * {@code network}'s parameters ({@link Optimizer#loadState(Map, Map)}).
     *
     * @param optimizer the optimizer to restore, of the recorded kind; modified
     * @param network the network the optimizer updates, whose parameter names the state must cover
     * @throws CheckpointFormatException if the recorded optimizer is another one than {@code optimizer},
     *     or its state is incomplete or invalid
     */
    public void restoreOptimizer(Optimizer optimizer, Network network) throws CheckpointFormatException {
        String where = "checkpoint " + file;
        if (metadata != null && !metadata.optimizer().equals(optimizer.name())) {
            throw new CheckpointFormatException(where + ": it was trained with optimizer " + metadata.optimizer()
                    + ", not " + optimizer.name() + "; resume with the same optimizer");
        }
        Backend backend = network.params().values().iterator().next().backend();
        Map<String, Tensor> state = new LinkedHashMap<>();
        optimizerState.forEach((name, array) -> state.put(name, array.toTensor(backend)));
        try {
            optimizer.loadState(state, network.params());
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(where + ": the optimizer's state (entries " + OPTIMIZER_PREFIX
                    + "*) is not valid: " + e.getMessage(), e);
        }
    }
}
