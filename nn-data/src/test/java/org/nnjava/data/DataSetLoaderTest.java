package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading from a directory the user gives, data set names, and where the cache lives. */
class DataSetLoaderTest {

    private static final int[] PIXELS = {1, 2, 3, 4, 5, 6, 7, 8};

    @TempDir
    Path dir;

    @TempDir
    Path cache;

    /** {@code variant}: 0 train-images-idx3-ubyte, 1 the same .gz, 2 train-images.idx3-ubyte, 3 the same .gz. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3})
    void loadsAUsersFilesUnderEveryAcceptedName(int variant) throws IOException {
        for (MnistFile file : MnistFile.values()) {
            String name = file.candidateNames().get(variant);
            write(name, bytesOf(file), name.endsWith(".gz"));
        }

        ImageDataSet data = loader().loadFrom("mine", dir);

        assertEquals("mine", data.name());
        assertArrayEquals(PIXELS, data.train().images().toIntArray());
        assertEquals(2, data.test().label(1));
        assertFalse(Files.exists(cache.resolve("mine")), "a user's directory bypasses the cache");
    }

    @Test
    void aUsersFilesAreTakenByContentNotByName() throws IOException {
        // Recompressed or unpacked without renaming: a plain file called .gz and a gzip file without .gz.
        write("train-images-idx3-ubyte.gz", bytesOf(MnistFile.TRAIN_IMAGES), false);
        write("train-labels-idx1-ubyte", bytesOf(MnistFile.TRAIN_LABELS), true);
        write("t10k-images-idx3-ubyte", bytesOf(MnistFile.TEST_IMAGES), false);
        write("t10k-labels-idx1-ubyte", bytesOf(MnistFile.TEST_LABELS), false);

        ImageDataSet data = loader().loadFrom("mine", dir);

        assertArrayEquals(PIXELS, data.train().images().toIntArray());
        assertEquals(9, data.train().label(0));
    }

    @Test
    void aMissingFileIsNamedWithTheNamesTried() throws IOException {
        write("train-images-idx3-ubyte", bytesOf(MnistFile.TRAIN_IMAGES), false);

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> loader().loadFrom("mine", dir));

        assertEquals(dir.resolve("train-labels-idx1-ubyte") + ": not found: none of [train-labels-idx1-ubyte,"
                + " train-labels-idx1-ubyte.gz, train-labels.idx1-ubyte, train-labels.idx1-ubyte.gz] is in " + dir
                + "; put the four files [train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,"
                + " t10k-labels-idx1-ubyte] there, plain or gzip-compressed", e.getMessage());
    }

    @Test
    void aDirectoryThatIsNotThereIsRefused() {
        Path absent = dir.resolve("absent");

        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> loader().loadFrom("mine", absent));

        assertTrue(e.getMessage().startsWith(absent + ": not a directory; give the directory that holds the four"
                + " files"), e.getMessage());
    }

    @Test
    void aDamagedFileInAUsersDirectoryIsAFormatError() throws IOException {
        for (MnistFile file : MnistFile.values()) {
            write(file.fileName(), bytesOf(file), false);
        }
        write("t10k-labels-idx1-ubyte", new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 1}, false);

        IdxFormatException e = assertThrows(IdxFormatException.class, () -> loader().loadFrom("mine", dir));

        assertTrue(e.getMessage().startsWith(dir.resolve("t10k-labels-idx1-ubyte") + ": the data is cut short"),
                e.getMessage());
    }

    @Test
    void namesTheThreeDataSets() {
        assertEquals(List.of("mnist", "fashion-mnist", "mnist-sample"), DataSetLoader.names());
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> loader().load("cifar-10"));

        assertEquals("unknown data set 'cifar-10': choose one of [mnist, fashion-mnist, mnist-sample], or load your own"
                + " files from a directory with loadFrom", e.getMessage());
    }

    @Test
    void theCacheDirectoryComesFromThePropertyThenTheEnvironmentThenTheHome() {
        Path home = Path.of("/home/ada");
        assertEquals(Path.of("/p"), DataSetLoader.defaultCacheDirectory("/p", "/e", home.toString()));
        assertEquals(Path.of("/e"), DataSetLoader.defaultCacheDirectory(null, "/e", home.toString()));
        assertEquals(Path.of("/e"), DataSetLoader.defaultCacheDirectory(" ", "/e", home.toString()));
        assertEquals(home.resolve(".cache/nnjava/datasets"), DataSetLoader.defaultCacheDirectory(null, "", home.toString()));
        assertEquals(Path.of("rel").toAbsolutePath(), DataSetLoader.defaultCacheDirectory("rel", null, home.toString()));
    }

    @Test
    void theDefaultCacheDirectoryFollowsTheSystemProperty() {
        String before = System.getProperty(DataSetLoader.CACHE_PROPERTY);
        try {
            System.setProperty("nn.data.cache", cache.toString());
            assertEquals(cache, DataSetLoader.create().cacheDirectory());
        } finally {
            if (before == null) {
                System.clearProperty(DataSetLoader.CACHE_PROPERTY);
            } else {
                System.setProperty(DataSetLoader.CACHE_PROPERTY, before);
            }
        }
    }

    @Test
    void timeoutsMustBePositive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataSetLoader.builder().readTimeout(Duration.ZERO));

        assertEquals("readTimeout PT0S must be between 1 ms and 2147483647 ms", e.getMessage());
    }

    @Test
    void anUnwritableCacheSaysHowToChooseAnother() throws IOException {
        Path file = Files.write(cache.resolve("a-file"), new byte[] {1});
        DataSetLoader loader = DataSetLoader.builder().cacheDirectory(file).build();

        IOException e = assertThrows(IOException.class, () -> loader.load(RemoteDataSet.MNIST));

        assertTrue(e.getMessage().startsWith("cannot create the data set cache directory " + file.resolve("mnist")),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("choose a writable one with -Dnn.data.cache=DIR or the environment variable"
                + " NN_DATA_CACHE"), e.getMessage());
    }

    private DataSetLoader loader() {
        return DataSetLoader.builder().cacheDirectory(cache).build();
    }

    /** Two training and two test images of 2x2, with labels. */
    private static byte[] bytesOf(MnistFile file) {
        switch (file) {
            case TRAIN_IMAGES: return IdxBytes.ubyte(new int[] {2, 2, 2}, PIXELS);
            case TRAIN_LABELS: return IdxBytes.ubyte(new int[] {2}, 9, 0);
            case TEST_IMAGES: return IdxBytes.ubyte(new int[] {2, 2, 2}, 200, 100, 50, 25, 0, 0, 0, 1);
            default: return IdxBytes.ubyte(new int[] {2}, 1, 2);
        }
    }

    private void write(String name, byte[] bytes, boolean gzip) throws IOException {
        Files.write(dir.resolve(name), gzip ? IdxBytes.gzip(bytes) : bytes);
    }
}
