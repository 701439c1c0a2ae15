package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.nnjava.examples.ImageGridTest.assertBlock;
import static org.nnjava.examples.ImageGridTest.grey;
import static org.nnjava.examples.Run.run;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.net.SimpleConvNet;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;

/**
 * {@code nn filters} run as the user runs it: the PNG decoded and its pixels compared with hand-made W1s
 * (5x5 filters at 10 pixels a weight, cells 56 pixels apart from a margin of 4 and a frame of 1), and
 * every refusal with its message, leaving no file.
 */
class FiltersCommandTest {

    @TempDir
    Path dir;

    /**
     * W1 [3, 2, 5, 5]: channel 0 of filter f holds {@code sign · i · (f + 1) + f} for the value's index
     * {@code i = 5 r + c}, with sign -1 for filter 1, so filters 0 and 2 are white at (0, 0) and black at
     * (4, 4), filter 1 the other way round; channel 1 holds numbers up to ±1000 that must not be drawn.
     */
    private static NpyArray handMadeW1() {
        double[] w = new double[3 * 2 * 25];
        Random random = new Random(5);
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < 25; i++) {
                w[f * 50 + i] = (f == 1 ? -1 : 1) * i * (f + 1) + f;
                w[f * 50 + 25 + i] = 2000 * random.nextDouble() - 1000;
            }
        }
        return NpyArray.ofFloat64(w, 3, 2, 5, 5);
    }

    @Test
    void drawsChannelZeroOfEachFilterOnItsOwnScale() throws IOException {
        Path checkpoint = dir.resolve("conv.npz");
        Npz.saveArrays(checkpoint, Map.of("W1", handMadeW1(), "b1", NpyArray.ofFloat64(new double[3], 3)));
        Path out = dir.resolve("out");
        Run r = run("filters", "--checkpoint", checkpoint.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertEquals("W1 [3, 2, 5, 5] of " + checkpoint + ": 3 filters 5x5, channel 0 of 2 drawn (as the book's"
                + " visualize_filter.py)\nfilters: " + out.resolve("filters.png") + "\n", r.out);
        BufferedImage png = ImageIO.read(out.resolve("filters.png").toFile());
        // Three 50x50 tiles in one row: 4 + 3 · (50 + 2 + 4) = 172 wide, 4 + 56 = 60 high.
        assertEquals(172, png.getWidth());
        assertEquals(60, png.getHeight());
        double[][] range = {{0, 24}, {-47, 1}, {2, 74}}; // each filter's min and max, by hand
        for (int f = 0; f < 3; f++) {
            for (int i = 0; i < 25; i++) {
                double v = (f == 1 ? -1 : 1) * i * (f + 1) + f;
                double d = (v - range[f][0]) / (range[f][1] - range[f][0]);
                assertBlock(png, 5 + 56 * f, 5, 10, i / 5, i % 5, 255 - (int) Math.round(255 * d));
            }
        }
        assertEquals(255, grey(png, 5 + 56 * 0, 5), "filter 0's minimum is white");
        assertEquals(0, grey(png, 5 + 56 * 1, 5), "filter 1's maximum is black");
        assertEquals(0xA0, grey(png, 4 + 56 * 2, 4), "filter 2's frame");
        assertEquals(List.of("filters.png"), names(out), "no temporary file is left");
    }

    @Test
    void withoutACheckpointDrawsTheInitialFiltersOfTheSeedOnEitherBackend() throws IOException {
        Path ejml = dir.resolve("ejml");
        Run r = run("filters", "--backend", "ejml", "--out", ejml.toString());
        assertEquals(0, r.exitCode, r.err);
        assertEquals("W1 [30, 1, 5, 5] of the initial weights of SimpleConvNet (seed 1): 30 filters 5x5\nfilters: "
                + ejml.resolve("filters.png") + "\n", r.out);
        BufferedImage png = ImageIO.read(ejml.resolve("filters.png").toFile());
        // 30 filters, 8 a row: 4 rows; 4 + 8 · 56 = 452 wide, 4 + 4 · 56 = 228 high.
        assertEquals(452, png.getWidth());
        assertEquals(228, png.getHeight());
        double[] w1 = new SimpleConvNet(Backends.get("ejml", DType.FLOAT64), 1).params().get("W1").toDoubleArray();
        for (int f : new int[] {0, 9, 29}) {
            int min = 0;
            int max = 0;
            for (int i = 1; i < 25; i++) {
                min = w1[25 * f + i] < w1[25 * f + min] ? i : min;
                max = w1[25 * f + i] > w1[25 * f + max] ? i : max;
            }
            int x0 = 5 + 56 * (f % 8);
            int y0 = 5 + 56 * (f / 8);
            assertBlock(png, x0, y0, 10, min / 5, min % 5, 255);
            assertBlock(png, x0, y0, 10, max / 5, max % 5, 0);
        }

        Path nd4j = dir.resolve("nd4j");
        assertEquals(0, run("filters", "--backend", "nd4j", "--out", nd4j.toString()).exitCode);
        assertArrayEquals(pixels(png), pixels(ImageIO.read(nd4j.resolve("filters.png").toFile())),
                "one seed gives the same filters on both backends");
        Path seed2 = dir.resolve("seed2");
        assertEquals(0, run("filters", "--backend", "ejml", "--seed", "2", "--out", seed2.toString()).exitCode);
        assertFalse(java.util.Arrays.equals(pixels(png), pixels(ImageIO.read(seed2.resolve("filters.png").toFile()))),
                "another seed gives other filters");
    }

    /** A pickle written by NumPy, as the book's ch07/params.pkl is; skipped without python3 and numpy. */
    @Test
    void readsTheW1OfAPickleAsTheBooksParamsPkl() throws IOException, InterruptedException {
        Path pickle = dir.resolve("params.pkl");
        String problem = python("import numpy as np, pickle, sys\n"
                + "w = np.arange(18, dtype=np.float32).reshape(2, 1, 3, 3)\n"
                + "w[1] = -w[1]\n"
                + "pickle.dump({'W1': w, 'b1': np.zeros(2)}, open(sys.argv[1], 'wb'))\n", pickle.toString());
        assumeTrue(problem.isEmpty(), "python3 with numpy not found: " + problem);
        Path out = dir.resolve("out");
        Run r = run("filters", "--checkpoint", pickle.toString(), "--out", out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.startsWith("W1 [2, 1, 3, 3] of " + pickle + ": 2 filters 3x3\n"), r.out);
        BufferedImage png = ImageIO.read(out.resolve("filters.png").toFile());
        // 3x3 at 10 pixels a weight: 4 + 2 · (30 + 2 + 4) = 76 wide, 4 + 36 = 40 high.
        assertEquals(76, png.getWidth());
        assertEquals(40, png.getHeight());
        for (int i = 0; i < 9; i++) {
            assertBlock(png, 5, 5, 10, i / 3, i % 3, 255 - (int) Math.round(255 * i / 8.0));
            assertBlock(png, 5 + 36, 5, 10, i / 3, i % 3, 255 - (int) Math.round(255 * (8 - i) / 8.0));
        }
    }

    @Test
    void aCheckpointWithoutConvolutionFiltersIsRefusedByName() throws IOException {
        Path mlp = dir.resolve("mlp.npz");
        Npz.saveArrays(mlp, Map.of("W1", NpyArray.ofFloat64(new double[784 * 50], 784, 50)));
        assertRefused("nn filters: " + mlp + ": W1 is [784, 50], not the [FN, C, FH, FW] of a convolution: filters"
                + " exist only for convolutional networks; train one with ./nn train --net simple-convnet", 1,
                "--checkpoint", mlp.toString());

        Path noW1 = dir.resolve("no-w1.npz");
        Npz.saveArrays(noW1, Map.of("b1", NpyArray.ofFloat64(new double[3], 3)));
        assertRefused("nn filters: " + noW1 + " holds no W1 (its arrays: b1); give a checkpoint of a convolutional"
                + " network (./nn train --net simple-convnet) or the book's ch07/params.pkl", 1,
                "--checkpoint", noW1.toString());

        Path empty = dir.resolve("empty.npz");
        Npz.saveArrays(empty, Map.of("W1", NpyArray.ofFloat64(new double[0], 0, 1, 5, 5)));
        assertRefused("nn filters: " + empty + ": W1 [0, 1, 5, 5] holds no filters to draw", 1,
                "--checkpoint", empty.toString());
    }

    @Test
    void tooManyOrTooLargeFiltersAreRefusedNamingTheLimit() throws IOException {
        Path many = dir.resolve("many.npz");
        Npz.saveArrays(many, Map.of("W1", NpyArray.ofFloat64(new double[1025 * 25], 1025, 1, 5, 5)));
        assertRefused("nn filters: " + many + ": W1 [1025, 1, 5, 5] has 1025 filters; at most 1024 are drawn", 1,
                "--checkpoint", many.toString());
        Path large = dir.resolve("large.npz");
        Npz.saveArrays(large, Map.of("W1", NpyArray.ofFloat64(new double[65 * 64], 1, 1, 65, 64)));
        assertRefused("nn filters: " + large + ": W1 [1, 1, 65, 64] has filters of 65x64; at most 64x64 are drawn", 1,
                "--checkpoint", large.toString());
    }

    @Test
    void aFilterThatIsNotFiniteIsNamed() throws IOException {
        double[] w = new double[2 * 9];
        w[9 + 4] = Double.NaN;
        Path diverged = dir.resolve("diverged.npz");
        Npz.saveArrays(diverged, Map.of("W1", NpyArray.ofFloat64(w, 2, 1, 3, 3)));
        assertRefused("nn filters: " + diverged + ": W1 holds NaN in filter 1, which cannot be drawn; the network"
                + " comes from a diverged run", 1, "--checkpoint", diverged.toString());
    }

    @Test
    void aMissingOrUnreadableCheckpointIsOneLine() throws IOException {
        Path missing = dir.resolve("missing.npz");
        assertRefused("nn filters: checkpoint " + missing + " does not exist; check the path", 1,
                "--checkpoint", missing.toString());
        Path missingPickle = dir.resolve("missing.pkl");
        assertRefused("nn filters: pickle " + missingPickle + " does not exist; check the path", 1,
                "--checkpoint", missingPickle.toString());
        Path text = Files.writeString(dir.resolve("notes.npz"), "not a zip");
        Run r = run("filters", "--checkpoint", text.toString(), "--out", dir.resolve("out").toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.err.startsWith("nn filters: checkpoint " + text + ": not a zip archive"), r.err);
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void optionsForTheInitialFiltersAreRefusedWithACheckpoint() throws IOException {
        Path checkpoint = dir.resolve("conv.npz");
        Npz.saveArrays(checkpoint, Map.of("W1", handMadeW1()));
        for (String[] option : new String[][] {{"--seed", "3"}, {"--backend", "ejml"}, {"--dtype", "float32"}}) {
            Run r = run("filters", "--checkpoint", checkpoint.toString(), option[0], option[1],
                    "--out", dir.resolve("out").toString());
            assertEquals(2, r.exitCode, r.err);
            assertTrue(r.err.startsWith("nn filters: " + option[0] + " does not apply with --checkpoint"), r.err);
        }
        assertFalse(Files.exists(dir.resolve("out")));
    }

    @Test
    void anOutThatIsAFileIsRefusedAndLeftAsItWas() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "keep");
        Run r = run("filters", "--backend", "ejml", "--out", file.toString());
        assertEquals(1, r.exitCode);
        assertEquals("nn filters: --out " + file + " exists and is not a directory; give a directory\n", r.err);
        assertEquals("keep", Files.readString(file));
        assertEquals(List.of("taken"), names(dir));
    }

    @Test
    void aDirectoryInThePlaceOfThePngFailsWithoutLeavingATemporaryFile() throws IOException {
        Path out = Files.createDirectories(dir.resolve("out"));
        Files.createDirectory(out.resolve("filters.png"));
        Run r = run("filters", "--backend", "ejml", "--out", out.toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.err.startsWith("nn filters: " + out.resolve("filters.png").toAbsolutePath()), r.err);
        assertTrue(r.err.contains("is a directory"), r.err);
        assertEquals(List.of("filters.png"), names(out), "only the directory that was there");
        assertTrue(Files.isDirectory(out.resolve("filters.png")));
    }

    private void assertRefused(String message, int exitCode, String... args) {
        Path out = dir.resolve("refused-out");
        String[] all = Stream.concat(Stream.of("filters", "--out", out.toString()), Stream.of(args)).toArray(String[]::new);
        Run r = run(all);
        assertEquals(exitCode, r.exitCode, r.err);
        assertEquals(message + "\n", r.err);
        assertEquals("", r.out);
        assertFalse(Files.exists(out), "nothing written");
    }

    static List<String> names(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    /** Runs python3 -c with arguments; "" on success, else what went wrong. */
    private static String python(String code, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("python3", "-c", code));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "python3 failed: " + output;
            }
            return "";
        } catch (IOException e) {
            return "python3 could not be started: " + e.getMessage();
        }
    }
}
