package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.train.Checkpoint;

/** {@code nn train --spark}: the same outputs as a normal run, resume through Spark, and each bad option. */
class TrainSparkCommandTest {

    @TempDir
    Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = NnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void trainsThroughSparkInLocalModeAndResumes() throws IOException {
        Path out = dir.resolve("spark");
        String[] r = run("train", "--spark", "local[2]", "--backend", "ejml", "--optimizer", "adam", "--iterations", "30",
                "--out", out.toString(), "--quiet");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("30 iterations"), r[1]);
        for (String name : new String[] {"network.npz", "loss.csv", "accuracy.csv", "training.png"}) {
            assertTrue(Files.size(out.resolve(name)) > 0, name);
        }
        String[] resumed = run("train", "--spark", "local[2]", "--backend", "ejml", "--iterations", "10", "--resume",
                out.resolve("network.npz").toString(), "--out", out.toString(), "--quiet");
        assertEquals("0", resumed[0], resumed[2]);
        Checkpoint c = Checkpoint.load(out.resolve("network.npz"));
        assertEquals(40, c.history().iterations());
        assertEquals(40.0, c.optimizerState().get("iter").toDoubleArray()[0], "Adam's state carried through Spark");
        assertEquals(41, Files.readAllLines(out.resolve("loss.csv")).size());
    }

    @Test
    void badSparkOptionsAreRefusedBeforeTraining() {
        String[][] cases = {
            {"--partitions", "3", "apply to training on Spark: add --spark local[2]"},
            {"--spark", "local[2]", "--partitions", "3", "--batch-size 100 is not a multiple of --partitions 3"},
            {"--spark", "yarn", "--spark 'yarn' is not a Spark master URL"},
            {"--spark", "local[2]", "--sync", "ring", "unknown --sync 'ring': use gradients or params"},
        };
        for (String[] c : cases) {
            String[] args = new String[c.length + 4];
            args[0] = "train";
            System.arraycopy(c, 0, args, 1, c.length - 1);
            args[c.length] = "--backend";
            args[c.length + 1] = "ejml";
            args[c.length + 2] = "--out";
            args[c.length + 3] = dir.resolve("bad").toString();
            String[] r = run(args);
            assertEquals("1", r[0], String.join(" ", args));
            assertTrue(r[2].startsWith("nn train: ") && r[2].contains(c[c.length - 1]), r[2]);
            assertEquals("", r[1]);
        }
    }
}
