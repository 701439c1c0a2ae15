package org.nnjava.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nnjava.io.RegularFiles;

/**
 * Loads the data sets of the MNIST family by name: {@code mnist}, {@code fashion-mnist} and the embedded
 * {@code mnist-sample}, as the book's {@code load_mnist} does, downloaded once, verified and cached.
 *
 * <h2>Where files come from</h2>
 * <ul>
 *   <li>{@link #loadFrom(String, Path)}: from a directory the user gives, taken as they are, plain or
 *       gzip, under the standard names with or without {@code .gz} (see {@link MnistFile#candidateNames()}).
 *       They are checked for structure but not against the published checksums, since a user's copy may
 *       have been unpacked or recompressed.</li>
 *   <li>{@link #load(String)} of {@code mnist} or {@code fashion-mnist}: from the cache directory,
 *       {@code <cache>/<name>/<file>.gz}. A file missing there is downloaded from the data set's mirrors in
 *       order (see {@link RemoteDataSet#MNIST}, {@link RemoteDataSet#FASHION_MNIST}). Every cached file is
 *       checked against its recorded size and published checksums on every load; one that fails is
 *       reported, moved aside to {@code <name>.rejected} and downloaded again. A download is renamed into
 *       the cache only after it has matched; it is bounded by the file's size and by a per-file deadline
 *       ({@link Builder#downloadTimeout}, {@value #DOWNLOAD_TIMEOUT_PROPERTY}). Partial downloads left by
 *       a killed run ({@code .<file>.gz.<digits>.part}, untouched for 2 minutes) are removed at the next
 *       load.</li>
 *   <li>{@code mnist-sample}: from nn-api's own resources, checked against the SHA-256 recorded for them.
 *       Never touches the network or the cache.</li>
 * </ul>
 *
 * <h2>The cache directory</h2>
 * The first of: {@link Builder#cacheDirectory(Path)}; the system property {@value #CACHE_PROPERTY}
 * ({@code -Dnn.data.cache=DIR}); the environment variable {@value #CACHE_ENVIRONMENT_VARIABLE}; else
 * {@code ~/.cache/nnjava/datasets} (under {@code user.home}). It is created when first needed.
 *
 * <p>Instances are immutable and may be shared; two processes may fill one cache at once (each download
 * goes to its own temporary file, and a rename is atomic).
 */
public final class DataSetLoader {

    /** The system property that sets the cache directory. */
    public static final String CACHE_PROPERTY = "nn.data.cache";
    /** The environment variable that sets the cache directory when the property is not set. */
    public static final String CACHE_ENVIRONMENT_VARIABLE = "NN_DATA_CACHE";
    /** MNIST: 60,000 training and 10,000 test images of handwritten digits, downloaded. */
    public static final String MNIST = "mnist";
    /** Fashion-MNIST: 60,000 training and 10,000 test images of clothing, downloaded. */
    public static final String FASHION_MNIST = "fashion-mnist";
    /** 8,000 training and 2,000 test images of real MNIST digits, embedded in nn-api. */
    public static final String MNIST_SAMPLE = EmbeddedSample.NAME;
    /** How long to wait for a mirror to accept the connection, unless the builder says otherwise. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for any one read of a download, unless the builder says otherwise. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The longest one attempt at one file may take from one mirror, however steadily bytes trickle in,
     * unless the builder or {@value #DOWNLOAD_TIMEOUT_PROPERTY} says otherwise: 5 minutes, enough for
     * Fashion-MNIST's 26 MB at 90 KB/s.
     */
    public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(5);
    /**
     * The system property that sets the per-file download deadline: whole seconds ({@code 600}) or an
     * ISO-8601 duration ({@code PT20M}); used when the builder sets none.
     */
    public static final String DOWNLOAD_TIMEOUT_PROPERTY = "nn.download.timeout";
    /** The suffix of a cached file moved aside because it failed verification. */
    public static final String REJECTED_SUFFIX = ".rejected";

    private final Path cacheDirectory;
    private final DownloadListener listener;
    private final Downloader downloader;

    private DataSetLoader(Builder builder) {
        this.cacheDirectory = builder.cacheDirectory != null ? builder.cacheDirectory.toAbsolutePath()
                : defaultCacheDirectory();
        this.listener = builder.listener;
        Duration deadline = builder.downloadTimeout != null ? builder.downloadTimeout
                : downloadTimeout(System.getProperty(DOWNLOAD_TIMEOUT_PROPERTY));
        this.downloader = new Downloader(builder.connectTimeout, builder.readTimeout, deadline, builder.listener);
    }

    /**
     * A loader with the default cache directory, no listener and the default timeouts.
     *
     * @return a new loader
     */
    public static DataSetLoader create() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code mnist}, {@code fashion-mnist}, {@code mnist-sample}.
     *
     * @return the names {@link #load(String)} accepts
     */
    public static List<String> names() {
        return List.of(MNIST, FASHION_MNIST, MNIST_SAMPLE);
    }

    /**
     * The cache directory this process would use by default; see the class comment.
     *
     * @return an absolute path; nothing is created
     */
    public static Path defaultCacheDirectory() {
        return defaultCacheDirectory(System.getProperty(CACHE_PROPERTY), System.getenv(CACHE_ENVIRONMENT_VARIABLE),
                System.getProperty("user.home"));
    }

    /** The rule of {@link #defaultCacheDirectory()}, on given values (each may be null). */
    static Path defaultCacheDirectory(String property, String environment, String userHome) {
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        if (environment != null && !environment.isBlank()) {
            return Path.of(environment).toAbsolutePath();
        }
        return Path.of(userHome, ".cache", "nnjava", "datasets").toAbsolutePath();
    }

    /**
     * The per-file download deadline for a value of {@value #DOWNLOAD_TIMEOUT_PROPERTY} (null or blank:
     * the default).
     *
     * @throws IllegalArgumentException if the value is neither whole seconds nor an ISO-8601 duration,
     *     or not positive
     */
    static Duration downloadTimeout(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_DOWNLOAD_TIMEOUT;
        }
        Duration timeout;
        try {
            String text = value.trim();
            timeout = text.chars().allMatch(Character::isDigit) ? Duration.ofSeconds(Long.parseLong(text))
                    : Duration.parse(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("-D" + DOWNLOAD_TIMEOUT_PROPERTY + "=" + value + " is not a duration;"
                    + " give whole seconds (600) or an ISO-8601 duration (PT20M)", e);
        }
        return Builder.positive(timeout, "-D" + DOWNLOAD_TIMEOUT_PROPERTY);
    }

    /** {@code 500 ms}, {@code 1 s}, {@code 300 s}: a duration for messages. */
    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }

    /**
     * The cache directory this loader uses (absolute).
     *
     * @return an absolute path
     */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /**
     * Loads a data set by name ({@link #names()}, case-insensitive), downloading what the cache lacks.
     *
     * @param name a data set name, any case
     * @return the training and test parts
     * @throws IllegalArgumentException for an unknown name
     * @throws DownloadException if a file is neither in the cache nor obtainable from any mirror
     * @throws ChecksumMismatchException if an embedded {@code mnist-sample} resource is damaged
     * @throws IOException if the cache directory cannot be created or written
     */
    public ImageDataSet load(String name) throws IOException {
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case MNIST: return load(RemoteDataSet.MNIST);
            case FASHION_MNIST: return load(RemoteDataSet.FASHION_MNIST);
            case MNIST_SAMPLE: return EmbeddedSample.load();
            default:
                throw new IllegalArgumentException("unknown data set '" + name + "': choose one of " + names()
                        + ", or load your own files from a directory with loadFrom");
        }
    }

    /**
     * Loads a downloadable data set through the cache: {@code <cache>/<name>/<file>.gz}.
     *
     * @param dataSet the data set's mirrors, checksums and sizes
     * @return the training and test parts
     * @throws DownloadException if a file is neither in the cache nor obtainable from any mirror
     * @throws IdxFormatException if a verified file is not valid IDX (only for a {@code RemoteDataSet}
     *     whose checksums describe such a file)
     * @throws DataSetMismatchException likewise, if verified files do not form a data set
     * @throws IOException if the cache directory cannot be created or written
     */
    public ImageDataSet load(RemoteDataSet dataSet) throws IOException {
        Path directory = createDirectory(cacheDirectory.resolve(dataSet.name()));
        Downloader.removeStalePartials(directory);
        Map<MnistFile, IdxArray> arrays = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            arrays.put(file, cached(dataSet, file, directory.resolve(file.gzipName())));
        }
        return dataSet(dataSet.name(), arrays);
    }

    /**
     * Loads the four files from {@code directory} as they are (see the class comment), without checksums.
     *
     * @param name names the data set, e.g. {@code mnist}
     * @param directory the directory holding the four files
     * @return the training and test parts
     * @throws NoSuchFileException if {@code directory} is not a directory or lacks one of the files
     * @throws IdxFormatException if a file is not valid IDX
     * @throws DataSetMismatchException if the files do not form a data set
     */
    public ImageDataSet loadFrom(String name, Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "not a directory; give the directory that"
                    + " holds the four files " + fileNames());
        }
        Map<MnistFile, IdxArray> arrays = new EnumMap<>(MnistFile.class);
        for (MnistFile file : MnistFile.values()) {
            arrays.put(file, IdxReader.read(find(directory, file)));
        }
        return dataSet(name, arrays);
    }

    /**
     * The verified content of a cached file, downloading it first if it is missing or fails its size or
     * checksums. A file that fails is reported (to the listener, or to stderr without one) with what was
     * found and what was expected, and moved aside to {@code <name>.rejected}, never deleted: it may be a
     * copy the user put there by hand.
     */
    private IdxArray cached(RemoteDataSet dataSet, MnistFile file, Path path) throws IOException {
        List<Checksum> checksums = dataSet.checksums().get(file);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            RegularFiles.requireReadableRegularFile(path, "cached data set file");
            String problem = verificationProblem(dataSet, file, path);
            if (problem == null) {
                return verifiedIdx(Files.readAllBytes(path), checksums, path);
            }
            reject(path, problem);
        }
        downloader.download(dataSet, file, path);
        // Read back and checked once more, so that what is parsed is exactly what was verified.
        return verifiedIdx(Files.readAllBytes(path), checksums, path);
    }

    /** Why a cached file is not the one published (its size and digests against those expected), or null. */
    private static String verificationProblem(RemoteDataSet dataSet, MnistFile file, Path path) throws IOException {
        long size = Files.size(path);
        long max = dataSet.maxBytes(file);
        boolean exact = dataSet.sizes().containsKey(file);
        if (exact ? size != max : size > max) {
            return path + ": it has " + size + " bytes, expected " + (exact ? "" : "at most ") + max + " bytes";
        }
        try {
            ChecksumVerifier.verifyFile(path, dataSet.checksums().get(file));
            return null;
        } catch (ChecksumMismatchException e) {
            return e.getMessage() + " (" + size + " bytes)";
        }
    }

    private void reject(Path path, String problem) throws IOException {
        Path aside = path.resolveSibling(path.getFileName() + REJECTED_SUFFIX);
        Files.move(path, aside, StandardCopyOption.REPLACE_EXISTING);
        String reason = "cached file failed verification: " + problem + ". Moved aside to " + aside
                + " (delete it once you have looked); downloading the file again";
        listener.cachedFileRejected(path, reason);
        if (listener == DownloadListener.NONE) {
            System.err.println("nnjava: " + reason);
        }
    }

    private static IdxArray verifiedIdx(byte[] bytes, List<Checksum> checksums, Path path) throws IOException {
        ChecksumVerifier verifier = new ChecksumVerifier(checksums);
        verifier.update(bytes, 0, bytes.length);
        verifier.verify(path.toString());
        return IdxReader.read(new ByteArrayInputStream(bytes), path.toString());
    }

    /**
     * The first candidate name present in {@code directory}; a name that is present but not a readable
     * regular file (a directory, a FIFO, a broken link) is refused with its own message, not skipped.
     */
    private static Path find(Path directory, MnistFile file) throws IOException {
        for (String candidate : file.candidateNames()) {
            Path path = directory.resolve(candidate);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                RegularFiles.requireReadableRegularFile(path, "data set file");
                return path;
            }
        }
        throw new NoSuchFileException(directory.resolve(file.fileName()).toString(), null, "not found: none of "
                + file.candidateNames() + " is in " + directory + "; put the four files " + fileNames()
                + " there, plain or gzip-compressed");
    }

    private static Path createDirectory(Path directory) throws IOException {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IOException("cannot create the data set cache directory " + directory + " (" + e
                    + "); choose a writable one with -D" + CACHE_PROPERTY + "=DIR or the environment variable "
                    + CACHE_ENVIRONMENT_VARIABLE, e);
        }
    }

    private static ImageDataSet dataSet(String name, Map<MnistFile, IdxArray> arrays) throws DataSetMismatchException {
        return ImageDataSet.of(name, arrays.get(MnistFile.TRAIN_IMAGES), arrays.get(MnistFile.TRAIN_LABELS),
                arrays.get(MnistFile.TEST_IMAGES), arrays.get(MnistFile.TEST_LABELS));
    }

    private static List<String> fileNames() {
        return List.of(MnistFile.values()).stream().map(MnistFile::fileName).toList();
    }

    /** Configures a {@link DataSetLoader}; every setting has a default. */
    public static final class Builder {
        private Path cacheDirectory;
        private DownloadListener listener = DownloadListener.NONE;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Duration downloadTimeout;

        private Builder() {
        }

        /**
         * The cache directory, instead of {@link #defaultCacheDirectory()}.
         *
         * @param directory the directory, created when first needed
         * @return this builder
         */
        public Builder cacheDirectory(Path directory) {
            this.cacheDirectory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /**
         * Receives download progress and failures; {@link DownloadListener#NONE} by default, in which case
         * a rejected cached file is reported on stderr instead.
         *
         * @param listener the listener; not null
         * @return this builder
         */
        public Builder listener(DownloadListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The longest wait for a mirror to accept the connection; 10 s by default.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * The longest wait for any one read of a download (not the whole download); 30 s by default.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /**
         * The longest one attempt at one file may take from one mirror, from the request to the last
         * byte, however steadily bytes trickle in; past it the mirror is abandoned and the next is tried.
         * By default {@value DataSetLoader#DOWNLOAD_TIMEOUT_PROPERTY} if set, else 5 minutes
         * ({@link DataSetLoader#DEFAULT_DOWNLOAD_TIMEOUT}). Checked after every read, so an attempt ends
         * within this plus one {@link #readTimeout}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder downloadTimeout(Duration timeout) {
            this.downloadTimeout = positive(timeout, "downloadTimeout");
            return this;
        }

        /**
         * The loader.
         *
         * @return a new loader with this builder's settings
         */
        public DataSetLoader build() {
            return new DataSetLoader(this);
        }

        private static Duration positive(Duration timeout, String what) {
            if (timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + timeout + " must be between 1 ms and "
                        + Integer.MAX_VALUE + " ms");
            }
            return timeout;
        }
    }
}
