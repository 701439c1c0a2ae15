package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.NpyArray;
import org.nnjava.train.Checkpoint;

/**
 * {@code nn train} killed in a child JVM at random moments (SIGKILL, so nothing of the program runs),
 * often inside a save: each time, the checkpoint in {@code --out} loads and is consistent (parameters,
 * optimizer state and history from one iteration), and the next run resumes from it. SIGTERM stops a
 * run after the current iteration and saves it.
 */
class TrainKillTest {

    @TempDir
    Path dir;

    private Process start(Path out, boolean resume) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), NnCli.class.getName(), "train",
                "--backend", "ejml", "--optimizer", "adam", "--iterations", "100000", "--save-every", "0",
                "--out", out.toString(), "--quiet"));
        if (resume) {
            command.addAll(List.of("--resume", out.resolve("network.npz").toString()));
        }
        return new ProcessBuilder(command).redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile()).start();
    }

    /** Loads the checkpoint and checks that its parts come from one iteration; returns the iterations done. */
    private static int assertConsistent(Path file) throws IOException {
        Checkpoint c = Checkpoint.load(file);
        int done = c.history().iterations();
        NpyArray iter = c.optimizerState().get("iter");
        assertEquals(done, (int) iter.toDoubleArray()[0], "Adam's step count matches the history's iterations");
        assertEquals(List.of(), c.nonFiniteEntries());
        assertEquals(done, c.history().last().iteration(), "the last evaluation is where the checkpoint was written");
        return done;
    }

    /** Polls {@code out} for a save's temporary file and kills the child as soon as one appears (within 20 s). */
    private static boolean killWhenSaving(Process child, Path out) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && child.isAlive()) {
            if (Files.isDirectory(out)) {
                try (Stream<Path> files = Files.list(out)) {
                    if (files.anyMatch(p -> p.getFileName().toString().startsWith(".network.npz.")
                            && p.getFileName().toString().endsWith(".tmp"))) {
                        child.destroyForcibly();
                        return true;
                    }
                }
            }
            Thread.sleep(1);
        }
        return false;
    }

    @Test
    void aKilledRunAlwaysLeavesAConsistentCheckpointThatResumes() throws Exception {
        Path out = dir.resolve("run");
        Random random = new Random(20261201L);
        int done = 0;
        int killedInsideASave = 0;
        for (int kill = 0; kill < 8; kill++) {
            boolean resume = Files.exists(out.resolve("network.npz"));
            Process child = start(out, resume);
            if (kill % 2 == 1) {
                // Inside a save: kill the moment a temporary checkpoint file appears.
                killedInsideASave += killWhenSaving(child, out) ? 1 : 0;
            } else {
                Thread.sleep(1200 + random.nextInt(2500));
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child exits");
            if (Files.exists(out.resolve("network.npz"))) {
                int now = assertConsistent(out.resolve("network.npz"));
                assertTrue(now >= done, "a resumed run only moves forward: " + done + " -> " + now);
                done = now;
            }
        }
        assertTrue(done > 0, "some checkpoint was written in eight runs: " + Files.readString(dir.resolve("child.err")));
        assertTrue(killedInsideASave > 0, "at least one kill landed while a temporary checkpoint file existed");
        // A kill inside a save leaves its temporary file; once it is older than any live save could be, the
        // next run removes it. Age whatever was left (and plant one more), instead of waiting a minute.
        Files.writeString(out.resolve(".network.npz.k1ll3d.tmp"), "partial");
        try (Stream<Path> files = Files.list(out)) {
            for (Path temp : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                Files.setLastModifiedTime(temp, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 2 * org.nnjava.internal.AtomicFile.STALE_TEMPORARY_AGE.toMillis()));
            }
        }
        String[] args = {"train", "--backend", "ejml", "--iterations", "3", "--resume", out.resolve("network.npz").toString(),
            "--out", out.toString(), "--quiet"};
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(0, NnCli.run(args, new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err, true)),
                err.toString());
        assertEquals(done + 3, assertConsistent(out.resolve("network.npz")));
        try (Stream<Path> files = Files.list(out)) {
            List<String> left = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp") || n.contains("probe"))
                    .toList();
            assertEquals(List.of(), left, "no temporary file outlives the next run");
        }
    }

    @Test
    void sigtermStopsAfterTheCurrentIterationAndSavesTheRun() throws Exception {
        Path out = dir.resolve("term");
        Process child = start(out, false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(out.resolve("network.npz")) && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(50);
        }
        assertTrue(child.isAlive(), "still training");
        int first = assertConsistent(out.resolve("network.npz"));
        Thread.sleep(300);
        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child stops");
        String err = Files.readString(dir.resolve("child.err"));
        assertTrue(err.contains("nn train: stopped by a signal; saving the checkpoint and outputs"), err);
        int saved = assertConsistent(out.resolve("network.npz"));
        assertTrue(saved > first && saved < 100_000, first + " -> " + saved);
        assertEquals(saved + 1, Files.readAllLines(out.resolve("loss.csv")).size(), "the CSV holds every iteration");
        assertTrue(new File(out.resolve("training.png").toString()).length() > 0);
    }
}
