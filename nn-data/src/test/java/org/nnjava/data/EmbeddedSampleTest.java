package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nnjava.backend.ejml.EjmlBackendProvider;
import org.nnjava.tensor.DType;

/** The embedded mnist-sample: its size, labels, split, and that it is the data its README records. */
class EmbeddedSampleTest {

    private static ImageDataSet sample;

    @TempDir
    static Path cache;

    @BeforeAll
    static void load() throws IOException {
        sample = DataSetLoader.builder().cacheDirectory(cache.resolve("cache")).build().load("mnist-sample");
    }

    @Test
    void holds8000TrainingAnd2000TestImagesOf28x28() {
        assertEquals("mnist-sample", sample.name());
        assertArrayEquals(new int[] {8000, 28, 28}, sample.train().images().dims());
        assertArrayEquals(new int[] {2000, 28, 28}, sample.test().images().dims());
        assertEquals(8000, sample.train().labels().count());
        assertEquals(2000, sample.test().labels().count());
    }

    @Test
    void needsNeitherTheNetworkNorTheCache() {
        assertFalse(Files.exists(cache.resolve("cache")), "loading the sample created the cache directory");
    }

    @Test
    void everyPartHoldsEveryDigitAsTheReadmeCounts() throws IOException {
        String readme = readme();
        assertArrayEquals(readmeCounts(readme, "train"), labelCounts(sample.train()));
        assertArrayEquals(readmeCounts(readme, "test"), labelCounts(sample.test()));
        for (int count : labelCounts(sample.test())) {
            assertTrue(count > 0, "every digit occurs in the test part");
        }
    }

    @Test
    void theResourcesMatchTheChecksumsInTheReadme() throws IOException {
        String readme = readme();
        for (MnistFile file : MnistFile.values()) {
            Matcher row = Pattern.compile("\\| `" + Pattern.quote(file.gzipName()) + "` *\\| `([0-9a-f]{64})`").matcher(readme);
            assertTrue(row.find(), "the README records the SHA-256 of " + file.gzipName());
            assertEquals(row.group(1), sha256(resource(file.gzipName())), file.gzipName());
        }
    }

    @Test
    void noImageIsInBothParts() {
        Set<String> train = new HashSet<>();
        byte[] pixels = new byte[784];
        for (int i = 0; i < 8000; i++) {
            train.add(image(sample.train(), i, pixels));
        }
        assertEquals(8000, train.size(), "the training images are distinct");
        for (int i = 0; i < 2000; i++) {
            assertFalse(train.contains(image(sample.test(), i, pixels)), "test image " + i + " is also a training image");
        }
    }

    @Test
    void pixelsSpanTheWholeByteRangeAndLookLikeDigits() {
        double[] values = sample.train().images().toDoubleArray();
        double max = Arrays.stream(values).max().orElseThrow();
        long ink = Arrays.stream(values).filter(v -> v > 0).count();
        assertEquals(255, max);
        assertEquals(0, Arrays.stream(values).min().orElseThrow());
        // Real MNIST statistics: digits cover about a fifth of their box, and the mean pixel over 255 is close
        // to the 0.1307 of the whole training set (the mean in torchvision's usual Normalize((0.1307,), (0.3081,))).
        double fraction = ink / (double) values.length;
        double mean = Arrays.stream(values).average().orElseThrow() / 255;
        assertTrue(fraction > 0.15 && fraction < 0.25, "non-zero pixel fraction " + fraction);
        assertEquals(0.1307, mean, 0.005, "mean pixel");
    }

    @Test
    void becomesTheBooksTensors() {
        TensorDataSet tensors = sample.toTensors(new EjmlBackendProvider().create(DType.FLOAT32), LoadOptions.BOOK_DEFAULTS);

        assertArrayEquals(new int[] {8000, 784}, tensors.xTrain().shape().dims());
        assertArrayEquals(new int[] {2000}, tensors.tTest().shape().dims());
        float[] x = tensors.xTrain().toFloatArray();
        float max = 0;
        for (float v : x) {
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    private static String image(LabeledImages part, int index, byte[] pixels) {
        for (int p = 0; p < 784; p++) {
            pixels[p] = (byte) part.images().get(index * 784 + p);
        }
        return new String(pixels, StandardCharsets.ISO_8859_1);
    }

    private static int[] labelCounts(LabeledImages part) {
        int[] counts = new int[10];
        for (int i = 0; i < part.count(); i++) {
            counts[part.label(i)]++;
        }
        return counts;
    }

    /** The README's per-label table: {@code | train | 8,000 | 795, 918, ... |}. */
    private static int[] readmeCounts(String readme, String part) {
        Matcher row = Pattern.compile("\\| " + part + " *\\| [0-9,]+ *\\| ([0-9, ]+)\\|").matcher(readme);
        assertTrue(row.find(), "the README counts the labels of the " + part + " part");
        return Arrays.stream(row.group(1).trim().split(", *")).mapToInt(Integer::parseInt).toArray();
    }

    private static String readme() throws IOException {
        return new String(resource("README.md"), StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = EmbeddedSampleTest.class.getResourceAsStream("/org/nnjava/data/mnist-sample/" + name)) {
            assertNotNull(in, name + " is on the class path");
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
