package org.nnjava.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteDataSetTest {

    @Test
    void mnistTriesThePytorchCopyFirstThenLeCunsSite() {
        assertEquals(List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                URI.create("http://yann.lecun.com/exdb/mnist/")), RemoteDataSet.MNIST.mirrors());
        assertEquals(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/t10k-labels-idx1-ubyte.gz"),
                RemoteDataSet.MNIST.url(RemoteDataSet.MNIST.mirrors().get(0), MnistFile.TEST_LABELS));
    }

    @Test
    void theChecksumsAreThePublishedOnes() {
        // torchvision/datasets/mnist.py and Fashion-MNIST's README (MD5); keras fashion_mnist.py (SHA-256).
        assertEquals(List.of(Checksum.md5("f68b3c2dcbeaaa9fbdd348bbdeb94873")),
                RemoteDataSet.MNIST.checksums().get(MnistFile.TRAIN_IMAGES));
        assertEquals(List.of(Checksum.md5("ec29112dd5afa0611ce80d1b7f02629c")),
                RemoteDataSet.MNIST.checksums().get(MnistFile.TEST_LABELS));
        assertEquals(List.of(Checksum.md5("bb300cfdad3c16e7a12a480ee83cd310"),
                Checksum.sha256("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5")),
                RemoteDataSet.FASHION_MNIST.checksums().get(MnistFile.TEST_LABELS));
        assertEquals(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                RemoteDataSet.FASHION_MNIST.mirrors().get(0));
    }

    @Test
    void refusesADataSetWithoutAChecksumForEveryFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RemoteDataSet("x",
                List.of(URI.create("https://example.org/x/")),
                Map.of(MnistFile.TRAIN_IMAGES, List.of(Checksum.md5("f68b3c2dcbeaaa9fbdd348bbdeb94873")))));

        assertEquals("data set x: no checksum for train-labels-idx1-ubyte.gz; every downloaded file is verified",
                e.getMessage());
    }

    @Test
    void refusesMirrorsThatAreNotWebDirectories() {
        Map<MnistFile, List<Checksum>> sums = Map.of();
        IllegalArgumentException noSlash = assertThrows(IllegalArgumentException.class,
                () -> new RemoteDataSet("x", List.of(URI.create("https://example.org/x")), sums));
        IllegalArgumentException ftp = assertThrows(IllegalArgumentException.class,
                () -> new RemoteDataSet("x", List.of(URI.create("ftp://example.org/x/")), sums));

        assertEquals("data set x: mirror https://example.org/x must be an http or https URL ending in '/', the directory"
                + " that holds the files", noSlash.getMessage());
        assertEquals("data set x: mirror ftp://example.org/x/ must be an http or https URL ending in '/', the directory"
                + " that holds the files", ftp.getMessage());
    }

    @Test
    void refusesANameThatCouldNotBeADirectory() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RemoteDataSet("../etc", List.of(), Map.of()));

        assertEquals("data set name '../etc' must be lower-case letters, digits and hyphens (it names the data set's"
                + " cache directory)", e.getMessage());
    }

    @Test
    void checksumsAreValidated() {
        assertEquals("MD5 f68b3c2dcbeaaa9fbdd348bbdeb94873", Checksum.md5("F68B3C2DCBEAAA9FBDD348BBDEB94873").toString());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> Checksum.sha256("abc"));
        IllegalArgumentException algorithm = assertThrows(IllegalArgumentException.class,
                () -> new Checksum("SHA-1", "b83efc6af88d8db53b196665acdb50cf524bd2ba"));

        assertEquals("SHA-256 checksum 'abc' must be 64 hexadecimal digits", length.getMessage());
        assertEquals("checksum algorithm 'SHA-1' is not supported; use MD5 or SHA-256", algorithm.getMessage());
    }

    @Test
    void theExactSizesOfThePublishedFilesAreRecorded() {
        assertEquals(9_912_422L, RemoteDataSet.MNIST.maxBytes(MnistFile.TRAIN_IMAGES));
        assertEquals(28_881L, RemoteDataSet.MNIST.maxBytes(MnistFile.TRAIN_LABELS));
        assertEquals(1_648_877L, RemoteDataSet.MNIST.maxBytes(MnistFile.TEST_IMAGES));
        assertEquals(4_542L, RemoteDataSet.MNIST.maxBytes(MnistFile.TEST_LABELS));
        assertEquals(26_421_880L, RemoteDataSet.FASHION_MNIST.maxBytes(MnistFile.TRAIN_IMAGES));
        assertEquals(29_515L, RemoteDataSet.FASHION_MNIST.maxBytes(MnistFile.TRAIN_LABELS));
        assertEquals(4_422_102L, RemoteDataSet.FASHION_MNIST.maxBytes(MnistFile.TEST_IMAGES));
        assertEquals(5_148L, RemoteDataSet.FASHION_MNIST.maxBytes(MnistFile.TEST_LABELS));
    }

    @Test
    void aFileWithoutARecordedSizeIsBoundedByTheDefaultCap() {
        RemoteDataSet remote = new RemoteDataSet("x", RemoteDataSet.MNIST.mirrors(), RemoteDataSet.MNIST.checksums());
        assertEquals(256L << 20, remote.maxBytes(MnistFile.TRAIN_IMAGES));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RemoteDataSet("x",
                RemoteDataSet.MNIST.mirrors(), RemoteDataSet.MNIST.checksums(), Map.of(MnistFile.TEST_LABELS, 0L)));
        assertEquals("data set x: the size of t10k-labels-idx1-ubyte.gz is 0; give the file's exact size in bytes"
                + " (at least 1), or leave it out", e.getMessage());
    }
}
