package org.nnjava.data;

import java.util.List;

/**
 * The four files of MNIST and of the data sets that copy its layout (Fashion-MNIST, mnist-sample),
 * under their standard names.
 */
public enum MnistFile {
    /** {@code train-images-idx3-ubyte}: training images, unsigned bytes {@code [count, 28, 28]}. */
    TRAIN_IMAGES("train-images", "idx3-ubyte"),
    /** {@code train-labels-idx1-ubyte}: training labels, unsigned bytes {@code [count]}. */
    TRAIN_LABELS("train-labels", "idx1-ubyte"),
    /** {@code t10k-images-idx3-ubyte}: test images. */
    TEST_IMAGES("t10k-images", "idx3-ubyte"),
    /** {@code t10k-labels-idx1-ubyte}: test labels. */
    TEST_LABELS("t10k-labels", "idx1-ubyte");

    private final String stem;
    private final String format;

    MnistFile(String stem, String format) {
        this.stem = stem;
        this.format = format;
    }

    /**
     * The standard name, uncompressed: {@code train-images-idx3-ubyte}.
     *
     * @return the name without {@code .gz}
     */
    public String fileName() {
        return stem + "-" + format;
    }

    /**
     * The name as published, gzip-compressed: {@code train-images-idx3-ubyte.gz}.
     *
     * @return the name with {@code .gz}
     */
    public String gzipName() {
        return fileName() + ".gz";
    }

    /**
     * The names looked for in a directory the user gives, in this order: the standard name, with and
     * without {@code .gz}, then the same with a dot before {@code idx} ({@code train-images.idx3-ubyte}),
     * as some unpackers and the Kaggle copy of MNIST name them.
     *
     * @return the four names, in the order tried
     */
    public List<String> candidateNames() {
        String dotted = stem + "." + format;
        return List.of(fileName(), gzipName(), dotted, dotted + ".gz");
    }
}
