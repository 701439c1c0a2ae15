package org.nnjava.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Tensor;
import org.nnjava.internal.AtomicFile;
import org.nnjava.internal.Listing;

/**
 * Saves and loads named arrays as a NumPy {@code .npz} file: a zip holding one {@code .npy} file per
 * array, {@code W1} as the entry {@code W1.npy}, as {@code numpy.savez} writes it.
 *
 * <pre>{@code
 * Npz.save(Path.of("model.npz"), network.params());     // Python: np.load("model.npz")["W1"]
 * Npz.loadInto(Path.of("model.npz"), network.params()); // also what np.savez("model.npz", W1=W1, ...) wrote
 * }</pre>
 *
 * <p>Saving writes each array in its own dtype ({@code '<f8'} for float64, {@code '<f4'} for float32),
 * C order, format version 1.0, entries uncompressed and in the map's iteration order, and replaces the
 * file atomically (see {@link #save}). Loading accepts {@code '<f8'}, {@code '>f8'}, {@code '<f4'} and
 * {@code '>f4'} arrays of any rank in stored or deflated entries ({@code np.savez} or
 * {@code np.savez_compressed}) and refuses everything else with a {@link CheckpointFormatException}.
 *
 * <p>An archive may also carry small non-array entries, such as a {@code checkpoint.json} of training
 * metadata: {@link #saveArchive} writes them, {@link #loadArchive} reads them as bytes, and {@link #load}
 * skips them. Loading is bounded, so that no file can exhaust memory: at most {@link #MAX_ENTRIES}
 * entries, file entries of at most {@link #MAX_FILE_ENTRY_BYTES}, and all arrays and files together
 * within a byte budget ({@link #defaultByteBudget()} unless one is given), each checked against the
 * sizes the file declares before anything is allocated.
 */
public final class Npz {

    /** A fixed entry time (the zip epoch, as numpy writes too): the same arrays give the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /**
     * The most entries an archive may have: a checkpoint holds one per array (a few dozen), so more
     * than this means a corrupt or hostile file, refused before any entry is read.
     */
    public static final int MAX_ENTRIES = 10_000;

    /** The most bytes one non-array entry (such as {@code checkpoint.json}) may hold: 16 MiB. */
    public static final long MAX_FILE_ENTRY_BYTES = 16L << 20;

    /** The upper end of {@link #defaultByteBudget()}: 1 GiB. */
    private static final long DEFAULT_BUDGET_CAP = 1L << 30;

    private Npz() {
    }

    /**
     * Saves tensors under their names, each in its own dtype and shape. The file is replaced atomically:
     * the archive is written to a temporary file in the same directory, synced to the disk, then renamed
     * over {@code file}, so that an interrupted or failed save leaves the previous file intact and no
     * partial file. Tensors are copied out one at a time while writing.
     *
     * @param arrays names (such as {@code W1}; flat, no {@code /}, {@code \}, {@code ..}) to tensors
     * @param file the file to write or replace
     * @throws IllegalArgumentException if a name is invalid (nothing is written)
     * @throws IOException if writing fails, or {@code file} is a directory; {@code file} is then unchanged
     */
    public static void save(Path file, Map<String, ? extends Tensor> arrays) throws IOException {
        write(file, arrays, NpyArray::of, Map.of());
    }

    /**
     * Saves arrays under their names; see {@link #save}.
     *
     * @param file the file to write or replace
     * @param arrays the arrays by entry name (without {@code .npy}), written in the map's order
     * @throws IllegalArgumentException if a name is invalid (nothing is written)
     * @throws IOException if writing fails, or {@code file} is a directory; {@code file} is then unchanged
     */
    public static void saveArrays(Path file, Map<String, NpyArray> arrays) throws IOException {
        write(file, arrays, Function.identity(), Map.of());
    }

    /**
     * Reads every array of an {@code .npz} file within the {@linkplain #defaultByteBudget() default
     * byte budget}; see {@link #load(Path, long)}.
     *
     * @param file an {@code .npz} file
     * @return the arrays by name (without {@code .npy}), in the file's order
     * @throws CheckpointFormatException if the file is not a valid {@code .npz} of arrays, or exceeds the budget
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NpyArray> load(Path file) throws IOException {
        return load(file, defaultByteBudget());
    }

    /**
     * Reads every array of an {@code .npz} file, checking all of it: entry names, headers, dtypes, data
     * sizes and checksums. Nothing from the file is executed. Non-array entries (any name not ending in
     * {@code .npy}, such as a {@code checkpoint.json} saved by {@link #saveArchive}) are accepted and
     * skipped: their names and sizes are checked, their contents are not read (use {@link #loadArchive}
     * for them).
     *
     * <p>Bounded: at most {@link #MAX_ENTRIES} entries; each array claims its header's data size from
     * {@code byteBudget} before anything is allocated for it, and is read no further than that size plus
     * one byte; a deflated entry whose declared size is more than deflate's 1032:1 maximum over its
     * compressed size is refused before it is inflated.
     *
     * @param byteBudget the most bytes of array data the whole archive may hold
     * @return the arrays by name, in the archive's order; unmodifiable
     * @param file an {@code .npz} file
     * @throws CheckpointFormatException if the file is not a valid {@code .npz} of float arrays, or holds
     *     more than the budget or the entry cap; the message names the file, the entry and the rule broken
     * @throws UnreadableFileException if {@code file} is missing, a directory, a FIFO or device, a broken
     *     or looping link, or not readable (checked before it is opened)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if {@code byteBudget} is negative
     */
    public static Map<String, NpyArray> load(Path file, long byteBudget) throws IOException {
        return NpzReader.read(file, byteBudget, false).arrays();
    }

    /**
     * Reads a whole {@code .npz} file, arrays and other entries, within the {@linkplain
     * #defaultByteBudget() default byte budget}; see {@link #loadArchive(Path, long)}.
     *
     * @param file an {@code .npz} file
     * @return the arrays and the other entries, each by name
     * @throws CheckpointFormatException if the file is not a valid {@code .npz}, or exceeds the budget
     * @throws IOException if the file cannot be read
     */
    public static NpzArchive loadArchive(Path file) throws IOException {
        return loadArchive(file, defaultByteBudget());
    }

    /**
     * Reads a whole {@code .npz} file: the arrays as {@link #load(Path, long)} reads them, and every
     * entry whose name does not end in {@code .npy} as a file entry of raw bytes, each at most {@link
     * #MAX_FILE_ENTRY_BYTES} and counted in {@code byteBudget}, its size and CRC-32 checked.
     *
     * @param byteBudget the most bytes of array data and file entries together
     * @return arrays and files in the archive's order
     * @param file an {@code .npz} file
     * @throws CheckpointFormatException as {@link #load(Path, long)}, and for a file entry over the cap
     * @throws UnreadableFileException if {@code file} is not a readable regular file
     * @throws IOException if the file cannot be read
     */
    public static NpzArchive loadArchive(Path file, long byteBudget) throws IOException {
        return NpzReader.read(file, byteBudget, true);
    }

    /**
     * The byte budget of {@link #load(Path)}, {@link #loadArchive(Path)} and {@link #loadInto}:
     * {@code min(1 GiB, Runtime.maxMemory() / 2)}, so that no archive can claim more than half the heap
     * the JVM may grow to. Raise it with {@code -Xmx} or pass a budget to the overloads.
     *
     * @return the budget in bytes
     */
    public static long defaultByteBudget() {
        return Math.min(DEFAULT_BUDGET_CAP, Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * Loads a checkpoint into existing tensors, such as a network's parameters: first checks that the
     * file has exactly the targets' names, each with the target's shape, and reports every mismatch at
     * once; then copies each array into its tensor, converting to the tensor's dtype (float64 to
     * float32 rounds). Nothing is modified unless every array fits. Non-array entries are skipped, as
     * by {@link #load(Path)}, whose default byte budget applies.
     *
     * @param file an {@code .npz} file
     * @param targets the tensors by name; each is overwritten (converted to its dtype) only if all fit
     * @throws CheckpointMismatchException listing each missing name, unexpected name and shape mismatch
     *     ({@link CheckpointMismatchException#mismatches()} holds all; the message the first {@value
     *     Listing#DEFAULT_SHOWN} and how many more)
     * @throws CheckpointFormatException if the file is not a valid {@code .npz} (see {@link #load})
     * @throws IOException if the file cannot be read
     */
    public static void loadInto(Path file, Map<String, ? extends Tensor> targets) throws IOException {
        assign(load(file), targets, "checkpoint " + file);
    }

    /**
     * Copies arrays already read into existing tensors, as {@link #loadInto} does: first checks that
     * {@code arrays} has exactly the targets' names, each with the target's shape, then copies each one,
     * converting to the tensor's dtype. Nothing is modified unless every array fits.
     *
     * @param where names the arrays' origin in messages, such as {@code "checkpoint net.npz"}
     * @param arrays the arrays by name
     * @param targets the tensors by name; each is overwritten (converted to its dtype) only if all fit
     * @throws CheckpointMismatchException listing each missing name, unexpected name and shape mismatch
     */
    public static void assign(Map<String, NpyArray> arrays, Map<String, ? extends Tensor> targets, String where)
            throws CheckpointMismatchException {
        List<String> mismatches = mismatches(arrays, targets);
        if (!mismatches.isEmpty()) {
            throw new CheckpointMismatchException(where + " does not fit the network ("
                    + mismatches.size() + (mismatches.size() == 1 ? " mismatch): " : " mismatches): ")
                    + Listing.firstFew(mismatches, "; ") + ". Load a checkpoint saved from a network with the"
                    + " same parameter names and layer sizes", mismatches);
        }
        targets.forEach((name, target) -> {
            NpyArray array = arrays.get(name);
            if (target.dtype() == DType.FLOAT32) {
                target.assign(array.toFloatArray());
            } else {
                target.assign(array.toDoubleArray());
            }
        });
    }

    /**
     * Saves arrays and non-array file entries (such as {@code checkpoint.json}) in one {@code .npz},
     * atomically as {@link #save}: the arrays first as {@code <name>.npy}, then the files under their own
     * names, all stored, in the maps' order, with fixed timestamps (the same content gives the same
     * bytes). NumPy reads a file entry back as bytes: {@code np.load(f)["checkpoint.json"]}.
     *
     * @param arrays array names (flat, as for {@link #save}) to arrays
     * @param files entry names to contents: flat names with an extension other than {@code .npy}, each
     *     at most {@link #MAX_FILE_ENTRY_BYTES}, none starting with the {@code .npy} magic (numpy would
     *     read it as an array), none equal to an array name (numpy lists both under one key)
     * @param file the file to write or replace
     * @throws IllegalArgumentException if a name or content breaks these rules (nothing is written)
     * @throws IOException if writing fails, or {@code file} is a directory; {@code file} is then unchanged
     */
    public static void saveArchive(Path file, Map<String, NpyArray> arrays, Map<String, byte[]> files)
            throws IOException {
        Objects.requireNonNull(files, "files");
        files.forEach((name, content) -> checkFileEntry(name, content, arrays));
        write(file, arrays, Function.identity(), files);
    }

    private static <T> void write(Path file, Map<String, T> arrays, Function<T, NpyArray> toArray,
            Map<String, byte[]> files) throws IOException {
        Objects.requireNonNull(file, "file");
        arrays.forEach((name, value) -> {
            NpzNames.checkForSaving(name);
            Objects.requireNonNull(value, () -> "array '" + name + "' is null");
        });
        AtomicFile.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(nonClosing(out))) {
                for (Map.Entry<String, T> entry : arrays.entrySet()) {
                    NpyArray array = toArray.apply(entry.getValue()); // one tensor copied out at a time
                    putStored(zip, entry.getKey() + NpzNames.SUFFIX, NpyFormat.encode(array));
                }
                for (Map.Entry<String, byte[]> entry : files.entrySet()) {
                    putStored(zip, entry.getKey(), entry.getValue());
                }
            }
        });
    }

    private static void checkFileEntry(String name, byte[] content, Map<String, NpyArray> arrays) {
        NpzNames.checkFileForSaving(name);
        Objects.requireNonNull(content, () -> "file entry '" + name + "' is null");
        if (content.length > MAX_FILE_ENTRY_BYTES) {
            throw new IllegalArgumentException("file entry '" + name + "' has " + content.length + " bytes, more"
                    + " than the " + MAX_FILE_ENTRY_BYTES + " a file entry may hold (Npz.MAX_FILE_ENTRY_BYTES);"
                    + " save large data as arrays");
        }
        if (NpyFormat.startsWithMagic(content)) {
            throw new IllegalArgumentException("file entry '" + name + "' starts with the .npy magic \\x93NUMPY,"
                    + " so numpy would read it as an array; save arrays in the arrays map");
        }
        if (arrays.containsKey(name)) {
            throw new IllegalArgumentException("file entry '" + name + "' has the name of an array; numpy's"
                    + " np.load would list both as '" + name + "', so rename one");
        }
    }

    /** A stored (uncompressed) entry, as {@code np.savez} writes: weights barely compress. */
    private static void putStored(ZipOutputStream zip, String name, byte[] content) throws IOException {
        CRC32 crc = new CRC32();
        crc.update(content);
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(content.length);
        entry.setCompressedSize(content.length);
        entry.setCrc(crc.getValue());
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
    }

    private static List<String> mismatches(Map<String, NpyArray> arrays, Map<String, ? extends Tensor> targets) {
        List<String> mismatches = new ArrayList<>();
        targets.forEach((name, target) -> {
            NpyArray array = arrays.get(name);
            if (array == null) {
                mismatches.add("missing " + name + " (network has " + target.shape() + ")");
            } else if (!array.shape().equals(target.shape())) {
                mismatches.add(name + ": file has " + array.shape() + ", network has " + target.shape());
            }
        });
        arrays.forEach((name, array) -> {
            if (!targets.containsKey(name)) {
                mismatches.add("unexpected " + name + " (file has " + array.shape() + ")");
            }
        });
        return mismatches;
    }

    /** Lets the zip stream close (writing its directory) without closing the file, which {@link AtomicFile} still syncs. */
    private static OutputStream nonClosing(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
