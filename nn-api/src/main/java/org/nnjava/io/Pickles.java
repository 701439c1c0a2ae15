package org.nnjava.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nnjava.io.PickleValues.PyDict;

/**
 * Reads NumPy arrays from a Python pickle, such as the trained weights that <i>Deep Learning from
 * Scratch</i> ships ({@code ch03/sample_weight.pkl}, {@code ch07/params.pkl},
 * {@code ch08/deep_convnet_params.pkl}), without running anything from the file.
 *
 * <pre>{@code
 * Map<String, NpyArray> params = Pickles.load(Path.of("sample_weight.pkl")); // W1, b1, W2, b2, W3, b3
 * }</pre>
 *
 * <p>Python's own {@code pickle.load} runs whatever the file names: a pickle can call {@code os.system}.
 * This reader is not Python's: it interprets the opcodes of pickle protocols 2 to 5 itself and accepts
 * only the globals with which NumPy rebuilds an array ({@code numpy.core.multiarray._reconstruct} or
 * NumPy 2's {@code numpy._core.multiarray._reconstruct}, {@code numpy.ndarray}, {@code numpy.dtype},
 * {@code ...multiarray.scalar}, protocol 5's {@code ...numeric._frombuffer}), protocol 2's
 * {@code _codecs.encode} and {@code builtins.bytes}, and {@code collections.OrderedDict}, each only in the
 * exact call NumPy or CPython writes. Every other global, every other call or state setting, and the
 * opcodes that create instances or resolve outside references ({@code NEWOBJ}, {@code NEWOBJ_EX},
 * {@code INST}, {@code OBJ}, {@code PERSID}, {@code BINPERSID}, {@code EXT1/2/4}) are refused with a
 * {@link CheckpointFormatException} that names them and their byte offset.
 *
 * <p>The file must hold one dict (or {@code OrderedDict}) from str keys to arrays of dtype float32 or
 * float64, in either byte order and in C or Fortran order, of any rank up to {@value NpyHeader#MAX_RANK}
 * (a NumPy scalar such as {@code np.float64(2.5)} is read as a 0-d array). Integer, boolean, complex,
 * object and structured dtypes are refused by name: {@link NpyArray} holds floats, and converting an
 * int64 could change its values. Python 2's {@code str} is read as latin-1, as NumPy advises
 * ({@code pickle.load(f, encoding='latin1')}).
 *
 * <p>Bounded, so that no file can exhaust memory or time: the file's size is checked against the byte
 * budget before it is read; every length the file declares is checked against the bytes present before
 * anything is allocated; the file's bytes, the text it decodes and the arrays it builds are claimed from
 * the budget first; at most {@link #MAX_OPCODES} opcodes, {@link #MAX_STACK} objects on the stack,
 * {@link #MAX_MARKS} open marks, {@link #MAX_MEMO} memo entries and containers nested
 * {@link #MAX_NESTING} deep. A truncated file, bytes after the STOP opcode, and an unknown opcode are
 * refused.
 */
public final class Pickles {

    /** The most opcodes one pickle may run: a dict of arrays needs about 30 per array. */
    public static final int MAX_OPCODES = 1_000_000;

    /**
     * The most objects on the stack at once: CPython's pickler sets dict items in batches of 1,000
     * (2,000 objects), and an array's rebuilding needs about 10.
     */
    public static final int MAX_STACK = 10_000;

    /** The most marks open at once: a pickle of arrays nests two or three. */
    public static final int MAX_MARKS = 64;

    /** The most memo entries: a pickle of arrays memoizes about 10 objects per array. */
    public static final int MAX_MEMO = 100_000;

    /** The deepest nesting of tuples, lists and dicts: a pickle of arrays nests three or four. */
    public static final int MAX_NESTING = 32;

    private Pickles() {
    }

    /**
     * Reads the arrays of a pickle within the {@linkplain #defaultByteBudget() default byte budget};
     * see {@link #load(Path, long)}.
     *
     * @param file a pickle of a dict of NumPy arrays, such as the book's {@code ch03/sample_weight.pkl}
     * @return the arrays by key, in the dict's order; unmodifiable
     * @throws CheckpointFormatException if the file is not such a pickle, does anything else, or exceeds a bound
     * @throws UnreadableFileException if {@code file} is not a readable regular file
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NpyArray> load(Path file) throws IOException {
        return load(file, defaultByteBudget());
    }

    /**
     * Reads the arrays of a pickle, as {@code pickle.load} would in Python, without running anything:
     * see the class description for what is accepted and refused. The file is checked to be a readable
     * regular file and its size against {@code byteBudget} before it is opened; then it is read whole
     * and interpreted.
     *
     * @param file a pickle of a dict (or {@code collections.OrderedDict}) from str keys to NumPy float arrays
     * @param byteBudget the most bytes the load may allocate for the file's bytes, the text it decodes
     *     and the arrays it builds together
     * @return the arrays by key, in the dict's order; unmodifiable
     * @throws CheckpointFormatException if the file is not such a pickle (truncated, followed by other
     *     bytes, an unknown opcode, a top-level object other than a dict, a value other than an array,
     *     an unsupported dtype, data whose length does not match its shape), names a global or uses an
     *     opcode or call that is not allowed, or exceeds the budget or a bound; the message names the
     *     file, the opcode and its byte offset, and the rule broken
     * @throws UnreadableFileException if {@code file} is missing, a directory, a FIFO or device, a broken
     *     or looping link, or not readable (checked before it is opened)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if {@code byteBudget} is negative
     */
    public static Map<String, NpyArray> load(Path file, long byteBudget) throws IOException {
        ByteBudget budget = ByteBudget.forPickle(byteBudget);
        RegularFiles.requireReadableRegularFile(file, "pickle");
        String where = "pickle " + file;
        return arrays(PickleMachine.run(readBounded(file, where, budget), where, budget), where);
    }

    /**
     * The byte budget of {@link #load(Path)}: the same as {@link Npz#defaultByteBudget()},
     * {@code min(1 GiB, Runtime.maxMemory() / 2)}. Raise it with {@code -Xmx} or pass a budget to
     * {@link #load(Path, long)}.
     *
     * @return the budget in bytes
     */
    public static long defaultByteBudget() {
        return Npz.defaultByteBudget();
    }

    /** Reads the arrays of a pickle held in memory; for tests. {@code where} starts every message. */
    static Map<String, NpyArray> read(byte[] data, String where, long byteBudget) throws CheckpointFormatException {
        ByteBudget budget = ByteBudget.forPickle(byteBudget);
        budget.claim(data.length, where, "the file's " + data.length + " bytes");
        return arrays(PickleMachine.run(data, where, budget), where);
    }

    /** The file's bytes, its size claimed from the budget before any is read. */
    private static byte[] readBounded(Path file, String where, ByteBudget budget) throws IOException {
        long size = Files.size(file);
        if (size > NpyHeader.MAX_DATA_BYTES) {
            throw new CheckpointFormatException(where + ": the file has " + size + " bytes; pickles of more than "
                    + NpyHeader.MAX_DATA_BYTES + " bytes are not read");
        }
        budget.claim(size, where, "the file's " + size + " bytes");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) size);
            if (data.length != size || in.read() != -1) {
                throw new CheckpointFormatException(where + ": the file changed size while it was read (" + size
                        + " bytes before); read it again once nothing writes to it");
            }
            return data;
        }
    }

    /** The top-level dict as arrays by key: every value must be an array that was built. */
    private static Map<String, NpyArray> arrays(Object top, String where) throws CheckpointFormatException {
        if (!(top instanceof PyDict)) {
            throw new CheckpointFormatException(where + ": the pickle holds " + PickleValues.withArticle(top)
                    + "; only a dict (or collections.OrderedDict) from names to NumPy arrays is read, as"
                    + " pickle.dump(params, f) writes it");
        }
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : ((PyDict) top).items.entrySet()) {
            Object value = entry.getValue();
            if (!(value instanceof NumpyPickle.Array) || ((NumpyPickle.Array) value).array == null) {
                throw new CheckpointFormatException(where + ": the value of " + PickleInput.show(entry.getKey())
                        + " is " + PickleValues.withArticle(value) + (value instanceof NumpyPickle.Array
                        ? " that was never given its data (BUILD)" : "") + "; every value must be a NumPy float array");
            }
            arrays.put(entry.getKey(), ((NumpyPickle.Array) value).array);
        }
        return Collections.unmodifiableMap(arrays);
    }
}
