package org.nnjava.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nnjava.net.Network;
import org.nnjava.net.NetworkSpec;
import org.nnjava.optim.Optimizer;
import org.nnjava.train.Checkpoint;
import org.nnjava.train.TrainingListener;
import org.nnjava.train.TrainingResult;
import org.nnjava.train.TrainingSetup;

/**
 * Writes the run's checkpoint: at an epoch's end when {@code every} seconds have passed since the last
 * save (so a killed run loses at most that much), and at the end. Each save replaces the file atomically
 * ({@link Checkpoint#save}), so the file is always one consistent iteration's state.
 */
final class CheckpointSaver implements TrainingListener {

    private final Path file;
    private final Network network;
    private final NetworkSpec spec;
    private final Optimizer optimizer;
    private final TrainingSetup setup;
    private final long everyNanos;
    private long lastSave = System.nanoTime();
    private int savedIteration = -1;

    CheckpointSaver(Path file, Network network, NetworkSpec spec, Optimizer optimizer, TrainingSetup setup,
            double everySeconds) {
        this.file = file;
        this.network = network;
        this.spec = spec;
        this.optimizer = optimizer;
        this.setup = setup;
        this.everyNanos = (long) Math.min(everySeconds * 1e9, Long.MAX_VALUE);
    }

    @Override
    public void progress(TrainingResult soFar) {
        if (System.nanoTime() - lastSave >= everyNanos) {
            try {
                save(soFar);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Saves the checkpoint of {@code result} now. */
    void save(TrainingResult result) throws IOException {
        Checkpoint.save(file, network, spec, optimizer, setup, result);
        lastSave = System.nanoTime();
        savedIteration = result.iterations();
    }

    /** The checkpoint's path. */
    Path file() {
        return file;
    }

    /** Where the run's last good state is, for a message after a failure. */
    String whereSaved() {
        return savedIteration < 0 ? "no checkpoint was written by this run (" + file + " is as it was)"
                : file + " holds iteration " + savedIteration + ", the last saved before it diverged";
    }
}
