package org.nnjava.data;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mnist-sample} data set: 8,000 training and 2,000 test images of real MNIST digits that ship
 * as resources of nn-api, so that training works offline. Origin, licences and checksums: the README.md
 * beside the files; {@code scripts/make_mnist_sample.py} regenerates them.
 */
final class EmbeddedSample {

    static final String NAME = "mnist-sample";
    static final String DIRECTORY = "/org/nnjava/data/mnist-sample/";

    /** The SHA-256 of each resource, as recorded in the README: checked on every load, like a download. */
    private static final Map<MnistFile, Checksum> SHA256 = Map.of(
            MnistFile.TRAIN_IMAGES, Checksum.sha256("6bcf9d6272dd7daae34d2d0c8ef335b66faf30dd02ebee87150cfe354beb88af"),
            MnistFile.TRAIN_LABELS, Checksum.sha256("17f1807850ec4f13b94c988034205552ccd96d491f0ff3defc3094f59a70498d"),
            MnistFile.TEST_IMAGES, Checksum.sha256("0180d2511bec216477aa3b2d96c003a02c409e4221d0d54015d6ae355b3a6730"),
            MnistFile.TEST_LABELS, Checksum.sha256("77d9db9cd9e571d3c20497e40dacb758ee0abb46a0de9182b583ba2108079722"));

    private EmbeddedSample() {
    }

    /**
     * Reads and checks the four resources.
     *
     * @throws ChecksumMismatchException if a resource is not the one recorded (a damaged jar)
     * @throws FileNotFoundException if a resource is missing (a jar built without its resources)
     */
    static ImageDataSet load() throws IOException {
        Map<MnistFile, IdxArray> arrays = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            String resource = DIRECTORY + file.gzipName();
            byte[] bytes = read(resource);
            ChecksumVerifier verifier = new ChecksumVerifier(List.of(SHA256.get(file)));
            verifier.update(bytes, 0, bytes.length);
            verifier.verify(NAME + " resource " + resource);
            arrays.put(file, IdxReader.read(new ByteArrayInputStream(bytes), NAME + " resource " + resource));
        }
        return ImageDataSet.of(NAME, arrays.get(MnistFile.TRAIN_IMAGES), arrays.get(MnistFile.TRAIN_LABELS),
                arrays.get(MnistFile.TEST_IMAGES), arrays.get(MnistFile.TEST_LABELS));
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = EmbeddedSample.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new FileNotFoundException(NAME + ": resource " + resource + " is missing from the class path;"
                        + " the nn-api jar was built without its resources, rebuild it");
            }
            return in.readAllBytes();
        }
    }
}
