package org.nnjava.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.nnjava.internal.AtomicFile;
import org.nnjava.train.TrainingResult;

/**
 * {@code train --out DIR}: created if missing and proven writable before training starts (a probe file
 * created and removed), so a run that could not save fails in a second rather than after training.
 */
final class OutputDirectory {

    /** The checkpoint's name inside {@code --out}. */
    static final String CHECKPOINT = "network.npz";
    /** The optimizer state file of earlier versions, superseded by the checkpoint. */
    static final String LEGACY_OPTIMIZER_FILE = "optimizer.npz";

    private final Path dir;

    private OutputDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Creates {@code dir} if needed and checks that a file can be created in it.
     *
     * @throws IOException naming the directory and the reason when it cannot be used
     */
    static OutputDirectory prepare(Path dir) throws IOException {
        create(dir);
        Path probe = dir.resolve(".nn-write-probe-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36));
        try {
            Files.newOutputStream(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
            Files.delete(probe);
        } catch (IOException e) {
            Files.deleteIfExists(probe);
            throw new IOException("--out " + dir + " is not writable (" + NnCli.describe(e) + "); nothing was trained:"
                    + " give a directory you can write to", e);
        }
        OutputDirectory out = new OutputDirectory(dir);
        for (String name : new String[] {CHECKPOINT, "loss.csv", "accuracy.csv", "training.png"}) {
            AtomicFile.removeStaleTemporaries(dir.resolve(name));
        }
        return out;
    }

    /**
     * Creates the {@code --out} directory {@code dir} and its parents if missing, as every command that writes
     * files into {@code --out} does ({@code train}, {@code filters}, {@code predict --show-wrong}).
     *
     * @param dir the output directory
     * @throws IOException naming {@code --out} when {@code dir} is a file or cannot be created, and saying what
     *     to give instead
     */
    static void create(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("--out " + dir + " exists and is not a directory; give a directory", e);
        } catch (IOException e) {
            throw new IOException("--out " + dir + ": cannot create the directory (" + NnCli.describe(e)
                    + "); give a directory you can write to", e);
        }
    }

    Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    /** The final checkpoint, the CSV files and the plot, each replaced atomically; prints where they are. */
    void write(PrintWriter w, CheckpointSaver saver, TrainingResult result, String title) throws IOException {
        saver.save(result);
        Path legacy = dir.resolve(LEGACY_OPTIMIZER_FILE);
        if (Files.isRegularFile(legacy)) {
            Files.delete(legacy);
            w.println("removed " + legacy + ", an earlier version's optimizer state: " + CHECKPOINT + " now holds it");
        }
        Path losses = dir.resolve("loss.csv");
        Path accuracy = dir.resolve("accuracy.csv");
        Path plot = dir.resolve("training.png");
        TrainingPlots.writeLossCsv(losses, result.losses());
        TrainingPlots.writeAccuracyCsv(accuracy, result.epochs());
        TrainingPlots.writePlot(plot, result, title);
        w.println("checkpoint: " + saver.file());
        w.println("loss per iteration: " + losses);
        w.println("accuracy per epoch: " + accuracy);
        w.println("plot: " + plot);
        w.flush();
    }
}
