package org.nnjava.data;

import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A data set in MNIST's four-file layout that is downloaded: its name (also the name of its directory in
 * the cache), the mirrors that serve it, tried in order, each file's published checksums and, where
 * known, its exact size in bytes.
 *
 * <p>A file is fetched as {@code mirror + file.gzipName()} and accepted only if it matches every one of
 * its checksums. Its size bounds the download: a {@code Content-Length} above it is refused before the
 * body is read, and a body is cut off and refused as soon as it passes it, so that no mirror can fill
 * the disk. A file without a recorded size is bounded by {@link #MAX_UNKNOWN_FILE_BYTES}.
 *
 * @param name lower-case letters, digits and hyphens, e.g. {@code mnist}
 * @param mirrors http or https base URLs, each ending in {@code /}; at least one
 * @param checksums at least one checksum for each of the four {@link MnistFile}s
 * @param sizes the exact size of each file, in bytes, for those files whose size is known (at least 1
 *     each); may be empty
 */
public record RemoteDataSet(String name, List<URI> mirrors, Map<MnistFile, List<Checksum>> checksums,
        Map<MnistFile, Long> sizes) {

    /** The most bytes a file without a recorded size may have: 256 MiB, ten times Fashion-MNIST's largest. */
    public static final long MAX_UNKNOWN_FILE_BYTES = 256L << 20;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    /**
     * MNIST, from the PyTorch project's S3 copy first, then Yann LeCun's original site. The MD5 sums are
     * the ones torchvision publishes in {@code torchvision/datasets/mnist.py} (the original files of
     * Y. LeCun, C. Cortes and C. J. C. Burges); the sizes are those of the same files.
     */
    public static final RemoteDataSet MNIST = new RemoteDataSet("mnist",
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("http://yann.lecun.com/exdb/mnist/")),
            Map.of(MnistFile.TRAIN_IMAGES, List.of(Checksum.md5("f68b3c2dcbeaaa9fbdd348bbdeb94873")),
                    MnistFile.TRAIN_LABELS, List.of(Checksum.md5("d53e105ee54ea40749a09fcbcd1e9432")),
                    MnistFile.TEST_IMAGES, List.of(Checksum.md5("9fb629c4189551a2d022fa330f9573f3")),
                    MnistFile.TEST_LABELS, List.of(Checksum.md5("ec29112dd5afa0611ce80d1b7f02629c"))),
            Map.of(MnistFile.TRAIN_IMAGES, 9_912_422L, MnistFile.TRAIN_LABELS, 28_881L,
                    MnistFile.TEST_IMAGES, 1_648_877L, MnistFile.TEST_LABELS, 4_542L));

    /**
     * Fashion-MNIST (Zalando Research, MIT licence), from its published S3 location first, then the copy
     * Keras downloads (the same files). The MD5 sums are those of Fashion-MNIST's README (also in
     * torchvision); the SHA-256 sums are those Keras publishes in {@code keras/src/datasets/fashion_mnist.py}.
     * The S3 site is plain HTTP, so the checksums are the only guard against a file altered on the way.
     * The sizes are those of the same files.
     */
    public static final RemoteDataSet FASHION_MNIST = new RemoteDataSet("fashion-mnist",
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
                    URI.create("https://storage.googleapis.com/tensorflow/tf-keras-datasets/")),
            Map.of(MnistFile.TRAIN_IMAGES, List.of(Checksum.md5("8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
                            Checksum.sha256("3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84")),
                    MnistFile.TRAIN_LABELS, List.of(Checksum.md5("25c81989df183df01b3e8a0aad5dffbe"),
                            Checksum.sha256("a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845")),
                    MnistFile.TEST_IMAGES, List.of(Checksum.md5("bef4ecab320f06d8554ea6380940ec79"),
                            Checksum.sha256("346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073")),
                    MnistFile.TEST_LABELS, List.of(Checksum.md5("bb300cfdad3c16e7a12a480ee83cd310"),
                            Checksum.sha256("67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"))),
            Map.of(MnistFile.TRAIN_IMAGES, 26_421_880L, MnistFile.TRAIN_LABELS, 29_515L,
                    MnistFile.TEST_IMAGES, 4_422_102L, MnistFile.TEST_LABELS, 5_148L));

    /**
     * A data set of the given name, mirrors, checksums and sizes; the collections are copied.
     *
     * @param name lower-case letters, digits and hyphens (it names the cache directory)
     * @param mirrors http or https base URLs, each ending in {@code /}; at least one
     * @param checksums at least one checksum for each of the four {@link MnistFile}s
     * @param sizes the exact size in bytes (at least 1) of each file whose size is known; may be empty
     * @throws IllegalArgumentException if any of these rules is broken
     */
    public RemoteDataSet {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("data set name '" + name + "' must be lower-case letters, digits and"
                    + " hyphens (it names the data set's cache directory)");
        }
        mirrors = List.copyOf(mirrors);
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("data set " + name + ": no mirror; give at least one base URL");
        }
        for (URI mirror : mirrors) {
            boolean web = "http".equals(mirror.getScheme()) || "https".equals(mirror.getScheme());
            if (!web || mirror.getPath() == null || !mirror.getPath().endsWith("/")) {
                throw new IllegalArgumentException("data set " + name + ": mirror " + mirror
                        + " must be an http or https URL ending in '/', the directory that holds the files");
            }
        }
        Map<MnistFile, List<Checksum>> copy = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            List<Checksum> sums = checksums.get(file);
            if (sums == null || sums.isEmpty()) {
                throw new IllegalArgumentException("data set " + name + ": no checksum for " + file.gzipName()
                        + "; every downloaded file is verified");
            }
            copy.put(file, List.copyOf(sums));
        }
        checksums = Map.copyOf(copy);
        sizes.forEach((file, size) -> {
            if (size == null || size < 1) {
                throw new IllegalArgumentException("data set " + name + ": the size of " + file.gzipName() + " is "
                        + size + "; give the file's exact size in bytes (at least 1), or leave it out");
            }
        });
        sizes = Map.copyOf(sizes);
    }

    /**
     * A data set whose file sizes are not known: each file is bounded by {@link #MAX_UNKNOWN_FILE_BYTES}.
     *
     * @param name lower-case letters, digits and hyphens
     * @param mirrors http or https base URLs, each ending in {@code /}; at least one
     * @param checksums at least one checksum for each of the four {@link MnistFile}s
     * @throws IllegalArgumentException if any of these rules is broken
     */
    public RemoteDataSet(String name, List<URI> mirrors, Map<MnistFile, List<Checksum>> checksums) {
        this(name, mirrors, checksums, Map.of());
    }

    /**
     * The most bytes {@code file} may have: its exact size if recorded, else {@link #MAX_UNKNOWN_FILE_BYTES}.
     *
     * @param file one of the four files
     * @return the bound in bytes
     */
    public long maxBytes(MnistFile file) {
        return sizes.getOrDefault(file, MAX_UNKNOWN_FILE_BYTES);
    }

    /**
     * The URL of {@code file} on {@code mirror}.
     *
     * @param mirror a base URL of {@link #mirrors()}
     * @param file one of the four files
     * @return {@code mirror} resolved against the file's {@code .gz} name
     */
    public URI url(URI mirror, MnistFile file) {
        return mirror.resolve(file.gzipName());
    }
}
