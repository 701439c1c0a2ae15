package org.nnjava.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nnjava.examples.FiltersCommandTest.names;
import static org.nnjava.examples.ImageGridTest.assertBlock;
import static org.nnjava.examples.Run.run;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.io.NpyArray;
import org.nnjava.io.Npz;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.Backends;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;

/**
 * {@code nn predict --show-wrong N}'s misclassified.png, run as the user runs it on a hand-made data set
 * (five 28x28 test images of known bytes) with a network that answers 0 for every image, so the wrong
 * ones are those whose label is not 0; and the drawing of images of other shapes and scales.
 */
class MisclassifiedImagesTest {

    @TempDir
    Path dir;

    /** Pixel (r, c) of test image k, as a byte. */
    private static int pixel(int k, int r, int c) {
        return (r * 28 + c + 50 * k) % 256;
    }

    /** The four IDX files of a data set: one training image, and test images 0..n-1 with these labels. */
    private Path dataSet(String name, int... testLabels) throws IOException {
        Path data = Files.createDirectories(dir.resolve(name));
        Files.write(data.resolve("train-images-idx3-ubyte"), idx(0x0803, new int[] {1, 28, 28}, images(1)));
        Files.write(data.resolve("train-labels-idx1-ubyte"), idx(0x0801, new int[] {1}, new byte[] {0}));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), idx(0x0803, new int[] {testLabels.length, 28, 28},
                images(testLabels.length)));
        byte[] labels = new byte[testLabels.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) testLabels[i];
        }
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), idx(0x0801, new int[] {labels.length}, labels));
        return data;
    }

    private static byte[] images(int n) {
        byte[] bytes = new byte[n * 784];
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 784; i++) {
                bytes[k * 784 + i] = (byte) pixel(k, i / 28, i % 28);
            }
        }
        return bytes;
    }

    /** IDX as its definition says: magic {@code 0x0000 0x08 rank}, big-endian int dimensions, the bytes. */
    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
        return bytes.toByteArray();
    }

    /** A 784-2-10 network of zero weights whose output bias makes it answer 0 for every image. */
    private Path alwaysZero() throws IOException {
        double[] b2 = new double[10];
        b2[0] = 1;
        Path checkpoint = dir.resolve("zero.npz");
        Npz.saveArrays(checkpoint, Map.of("W1", NpyArray.ofFloat64(new double[784 * 2], 784, 2),
                "b1", NpyArray.ofFloat64(new double[2], 2), "W2", NpyArray.ofFloat64(new double[20], 2, 10),
                "b2", NpyArray.ofFloat64(b2, 10)));
        return checkpoint;
    }

    private Run predict(Path data, String... more) throws IOException {
        String[] base = {"predict", "--backend", "ejml", "--checkpoint", alwaysZero().toString(), "--dataset", "mnist",
            "--data", data.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return run(all);
    }

    /** Tile {@code i} of a 28x28 grid (4 pixels a value, cells 118 apart) shows test image {@code k}. */
    private static void assertShows(BufferedImage png, int i, int columns, int k) {
        int x0 = 5 + (i % columns) * 118;
        int y0 = 5 + (i / columns) * 132;
        for (int r = 0; r < 28; r++) {
            for (int c = 0; c < 28; c++) {
                assertBlock(png, x0, y0, 4, r, c, 255 - pixel(k, r, c));
            }
        }
    }

    @Test
    void drawsTheFirstNWrongImagesWithTheirPixels() throws IOException {
        Path out = dir.resolve("out");
        Run r = predict(dataSet("data", 0, 3, 0, 7, 5), "--show-wrong", "2", "--out", out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.contains("  test image 1: label 3, predicted 0\n  test image 3: label 7, predicted 0\n"
                + "misclassified: " + out.resolve("misclassified.png") + " (2 images, each labelled true and predicted)\n"),
                r.out);
        assertFalse(r.out.contains("test image 4"), r.out);
        BufferedImage png = ImageIO.read(out.resolve("misclassified.png").toFile());
        // Two 112x112 tiles with a label strip of 14: 4 + 2 · (114 + 4) = 240 wide, 4 + 128 + 4 = 136 high.
        assertEquals(240, png.getWidth());
        assertEquals(136, png.getHeight());
        assertShows(png, 0, 5, 1);
        assertShows(png, 1, 5, 3);
        assertEquals(List.of("misclassified.png"), names(out), "no temporary file is left");
    }

    @Test
    void fewerWrongThanAskedDrawsThoseFoundAndSaysHowMany() throws IOException {
        Path out = dir.resolve("out");
        Run r = predict(dataSet("data", 0, 3, 0, 7, 5), "--show-wrong", "5", "--out", out.toString());
        assertEquals(0, r.exitCode, r.err);
        assertTrue(r.out.contains("only 3 of the 5 test images are misclassified, fewer than the 5 asked for; "
                + "misclassified: " + out.resolve("misclassified.png") + " (3 images"), r.out);
        BufferedImage png = ImageIO.read(out.resolve("misclassified.png").toFile());
        assertEquals(4 + 3 * 118, png.getWidth());
        assertShows(png, 0, 5, 1);
        assertShows(png, 1, 5, 3);
        assertShows(png, 2, 5, 4);
    }

    @Test
    void noWrongImageOrShowWrongZeroWritesNothing() throws IOException {
        Path out = dir.resolve("out");
        Run none = predict(dataSet("right", 0, 0, 0), "--show-wrong", "4", "--out", out.toString());
        assertEquals(0, none.exitCode, none.err);
        assertTrue(none.out.endsWith("no test image is misclassified: misclassified.png not written\n"), none.out);
        assertFalse(Files.exists(out));

        Path data = dataSet("data", 0, 3, 0, 7, 5);
        for (String[] options : new String[][] {{"--show-wrong", "0"}, {}}) {
            Run r = predict(data, java.util.stream.Stream.concat(java.util.Arrays.stream(options),
                    java.util.stream.Stream.of("--out", out.toString())).toArray(String[]::new));
            assertEquals(0, r.exitCode, r.err);
            assertFalse(r.out.contains("misclassified") || r.out.contains("test image 1"), r.out);
            assertFalse(Files.exists(out), "nothing written for " + List.of(options));
        }
    }

    @Test
    void showWrongIsBoundedWhenParsed() {
        for (String n : new String[] {"401", "-1"}) {
            Run r = run("predict", "--checkpoint", dir.resolve("never-read.npz").toString(), "--show-wrong", n);
            assertEquals(2, r.exitCode, r.err);
            assertTrue(r.err.startsWith("nn predict: --show-wrong " + n + ": give 0 to 400, the most images drawn\n"), r.err);
        }
    }

    @Test
    void anOutThatIsAFileIsRefusedAndLeftAsItWas() throws IOException {
        Path data = dataSet("data", 0, 3, 0, 7, 5);
        Path file = Files.writeString(dir.resolve("taken"), "keep");
        Run r = predict(data, "--show-wrong", "2", "--out", file.toString());
        assertEquals(1, r.exitCode);
        assertTrue(r.err.endsWith("nn predict: --out " + file + " exists and is not a directory; give a directory\n"), r.err);
        assertEquals("keep", Files.readString(file));
    }

    @Test
    void imagesWithChannelsDrawChannelZeroScaledByTheirRange() throws IOException {
        Backend nd = Backends.get("ejml", DType.FLOAT64);
        // [2, 2, 4, 4] of raw bytes 0..255: channel 0 of image m holds 17 · i + m, channel 1 holds 255 - 17 · i.
        double[] x = new double[2 * 2 * 16];
        for (int m = 0; m < 2; m++) {
            for (int i = 0; i < 16; i++) {
                x[m * 32 + i] = 17 * i - m;
                x[m * 32 + 16 + i] = 255 - 17 * i;
            }
        }
        x[0] = 0;
        Path out = dir.resolve("out");
        Path file = MisclassifiedImages.write(nd.fromArray(x, 2, 2, 4, 4), new int[] {1, 0}, new int[] {3, 4},
                new int[] {5, 6}, out);
        BufferedImage png = ImageIO.read(file.toFile());
        // 4x4 at 10 pixels a value (112 / 4 = 28, capped): cells 42 wide, 42 + 14 high.
        assertEquals(4 + 2 * 46, png.getWidth());
        assertEquals(4 + 56 + 4, png.getHeight());
        for (int i = 1; i < 16; i++) {
            // Over 0..255, a byte b is drawn 255 - b.
            assertBlock(png, 5, 5, 10, i / 4, i % 4, 255 - (17 * i - 1));
            assertBlock(png, 5 + 46, 5, 10, i / 4, i % 4, 255 - 17 * i);
        }
    }

    @Test
    void theScaleIsOneForNormalisedPixels255ForBytesElseTheLargest() {
        assertEquals(1, MisclassifiedImages.fullScale(new double[] {0, 0.5, 1}));
        assertEquals(255, MisclassifiedImages.fullScale(new double[] {0, 2, 200}));
        assertEquals(300, MisclassifiedImages.fullScale(new double[] {0, 300}));
        assertEquals("--show-wrong: a test image holds NaN, which cannot be drawn", assertThrows(
                IllegalArgumentException.class, () -> MisclassifiedImages.fullScale(new double[] {Double.NaN})).getMessage());
    }

    @Test
    void theImageSizeComesFromTheShapeOrIsRefused() {
        assertArrayEquals(new int[] {28, 28}, MisclassifiedImages.imageSize(Shape.of(10, 784)));
        assertArrayEquals(new int[] {5, 7}, MisclassifiedImages.imageSize(Shape.of(10, 5, 7)));
        assertArrayEquals(new int[] {32, 30}, MisclassifiedImages.imageSize(Shape.of(10, 3, 32, 30)));
        assertEquals("--show-wrong: the test images are [10, 783], and 783 values are not a square image, so they cannot"
                + " be drawn; use images [M, H, W] or [M, C, H, W], or flattened square ones such as MNIST's [M, 784]",
                assertThrows(IllegalArgumentException.class, () -> MisclassifiedImages.imageSize(Shape.of(10, 783)))
                        .getMessage());
        assertEquals("--show-wrong: the test images are [10], not [M, D], [M, H, W] or [M, C, H, W]; they cannot be drawn",
                assertThrows(IllegalArgumentException.class, () -> MisclassifiedImages.imageSize(Shape.of(10)))
                        .getMessage());
    }
}
