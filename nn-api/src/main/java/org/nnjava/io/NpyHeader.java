package org.nnjava.io;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nnjava.internal.Listing;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.Shape;

/**
 * The validated contents of a {@code .npy} header: a supported dtype, C order, and a shape whose data
 * fits in one Java array. {@link #fromDict} checks a parsed header; {@link #dictText} writes one exactly
 * as numpy's {@code format.write_array} does.
 */
record NpyHeader(NpyDescr descr, Shape shape) {

    /** NumPy's limit on dimensions ({@code NPY_MAXDIMS} in numpy 2). */
    static final int MAX_RANK = 64;

    /** The largest Java array, hence the most data bytes one array may have. */
    static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;

    /** numpy pads the header after the dict so the first dimension can grow in place to this many digits. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** The number of data bytes the shape and dtype need. */
    long dataBytes() {
        return (long) shape.size() * descr.itemSize();
    }

    /** {@code shape (2, 3) of '<f8'}, for messages. */
    String describe() {
        return "shape " + tupleText(shape.dims()) + " of '" + descr.text() + "'";
    }

    /**
     * Checks a parsed header dict: exactly the keys {@code descr}, {@code fortran_order}, {@code shape};
     * a supported float descriptor (object arrays refused first, by name); {@code fortran_order False};
     * a tuple of at most {@value #MAX_RANK} dimensions whose data fits in {@link #MAX_DATA_BYTES}.
     *
     * @throws CheckpointFormatException naming {@code where} and the rule broken
     */
    static NpyHeader fromDict(Map<String, Object> dict, String where) throws CheckpointFormatException {
        if (!dict.keySet().equals(KEYS)) {
            throw new CheckpointFormatException(where + ": .npy header has keys ["
                    + Listing.firstFew(List.copyOf(new TreeSet<>(dict.keySet())), ", ") + "]"
                    + "; a .npy header has exactly 'descr', 'fortran_order' and 'shape'");
        }
        NpyDescr descr = descr(dict.get("descr"), where);
        if (!Boolean.FALSE.equals(dict.get("fortran_order"))) {
            throw new CheckpointFormatException(where + ": fortran_order is " + show(dict.get("fortran_order"))
                    + "; only C-ordered (row-major) arrays with fortran_order False are supported:"
                    + " save np.ascontiguousarray(a) instead");
        }
        Shape shape = shape(dict.get("shape"), where);
        NpyHeader header = new NpyHeader(descr, shape);
        if (header.dataBytes() > MAX_DATA_BYTES) {
            throw new CheckpointFormatException(where + ": " + header.describe() + " needs " + header.dataBytes()
                    + " bytes; arrays of more than " + MAX_DATA_BYTES + " bytes are not supported");
        }
        return header;
    }

    private static NpyDescr descr(Object value, String where) throws CheckpointFormatException {
        if (!(value instanceof String)) {
            throw new CheckpointFormatException(where + ": descr is " + show(value) + "; it must be a dtype string"
                    + " such as '<f8' (structured dtypes are not supported)");
        }
        String text = (String) value;
        if (text.replaceFirst("^[<>|=]", "").startsWith("O")) {
            throw new CheckpointFormatException(where + ": dtype '" + text + "' is an object array, stored as a"
                    + " Python pickle, which is never loaded because unpickling can run code;"
                    + " save the array as float64 or float32 (a.astype(np.float64))");
        }
        return NpyDescr.parse(text).orElseThrow(() -> new CheckpointFormatException(where + ": dtype '" + text
                + "' is not supported; supported: " + NpyDescr.supportedList()
                + "; convert the array in numpy with a.astype(np.float64)"));
    }

    private static Shape shape(Object value, String where) throws CheckpointFormatException {
        if (!(value instanceof long[])) {
            throw new CheckpointFormatException(where + ": shape is " + show(value) + "; it must be a tuple of"
                    + " integers such as (784, 50), (10,) or ()");
        }
        long[] dims = (long[]) value;
        if (dims.length > MAX_RANK) {
            throw new CheckpointFormatException(where + ": shape has " + dims.length + " dimensions; numpy allows"
                    + " at most " + MAX_RANK);
        }
        for (long dim : dims) {
            if (dim > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(where + ": shape " + tupleText(dims) + " has a dimension above "
                        + Integer.MAX_VALUE + "; a tensor's dimensions are Java ints");
            }
        }
        try {
            return Shape.of(Arrays.stream(dims).mapToInt(Math::toIntExact).toArray());
        } catch (InvalidShapeException e) {
            throw new CheckpointFormatException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * The header dict exactly as numpy writes it: keys sorted, {@code repr} values, a trailing
     * {@code ", }"} and the spaces numpy reserves for the first dimension to grow. Padding and the
     * final newline are added by {@link NpyFormat}.
     */
    String dictText() {
        int[] dims = shape.dims();
        String dict = "{'descr': '" + descr.text() + "', 'fortran_order': False, 'shape': "
                + tupleText(Arrays.stream(dims).asLongStream().toArray()) + ", }";
        return dims.length == 0 ? dict : dict + " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(dims[0]).length());
    }

    private static String tupleText(int[] dims) {
        return tupleText(Arrays.stream(dims).asLongStream().toArray());
    }

    /** Python's repr of a tuple: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    private static String tupleText(long[] dims) {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            text.append(i == 0 ? "" : ", ").append(dims[i]);
        }
        return text.append(')').toString();
    }

    private static String show(Object value) {
        return value instanceof String ? "'" + value + "'"
                : value instanceof Boolean ? ((Boolean) value ? "True" : "False")
                : value instanceof long[] ? tupleText((long[]) value)
                : String.valueOf(value);
    }
}
