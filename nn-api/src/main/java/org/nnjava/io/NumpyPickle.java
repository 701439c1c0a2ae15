package org.nnjava.io;

import java.util.List;
import org.nnjava.io.PickleValues.PyBytes;
import org.nnjava.io.PickleValues.PyDict;
import org.nnjava.io.PickleValues.PyList;
import org.nnjava.io.PickleValues.PyNone;
import org.nnjava.io.PickleValues.PyTuple;
import org.nnjava.tensor.DType;

/**
 * The calls (REDUCE) and state settings (BUILD) that a pickle may make, each accepted only in the exact
 * form NumPy and CPython write, every argument checked for type and value:
 *
 * <pre>
 * _reconstruct(ndarray, (0,), b'b')          then BUILD (1, shape, dtype, is_fortran, data)
 * dtype('f8', False, True)                   then BUILD (3, '&lt;', None, None, None, -1, -1, 0)
 * _frombuffer(data, dtype, shape, 'C' | 'F')  (protocol 5)
 * scalar(dtype, data)                        (a NumPy scalar, read as a 0-d array)
 * _codecs.encode(text, 'latin1')             (protocol 2's bytes)
 * bytes()                                    (protocol 2's empty bytes)
 * OrderedDict()  or  OrderedDict([[key, value], ...])
 * </pre>
 *
 * <p>Only float32 and float64 dtypes are accepted, in either byte order; object, integer, boolean,
 * complex, string and structured dtypes are refused by name when the dtype is made, before any array.
 */
final class NumpyPickle {

    private NumpyPickle() {
    }

    /** A {@code numpy.dtype} being rebuilt: its kind from the call, its byte order from BUILD. */
    static final class Dtype {
        final String name;
        final DType dtype;
        NpyDescr descr;

        Dtype(String name, DType dtype) {
            this.name = name;
            this.dtype = dtype;
        }
    }

    /** A {@code numpy.ndarray}: empty after {@code _reconstruct}, its values set by BUILD. */
    static final class Array {
        NpyArray array;

        Array(NpyArray array) {
            this.array = array;
        }
    }

    /** {@code dtype}, {@code ndarray}, for {@link PickleValues#typeName}. */
    static String typeName(Object value) {
        if (value instanceof Dtype) {
            return "numpy.dtype('" + ((Dtype) value).name + "')";
        } else if (value instanceof Array) {
            return "numpy.ndarray";
        }
        return value.getClass().getSimpleName();
    }

    /**
     * REDUCE: calls {@code callable} with {@code args} if it is an allowed global and the call has
     * exactly the form NumPy writes.
     *
     * @return the call's result
     * @throws CheckpointFormatException naming the callable and the argument that breaks the pattern
     */
    static Object call(Object callable, Object args, PickleInput in, ByteBudget budget)
            throws CheckpointFormatException {
        if (!(callable instanceof PickleGlobal)) {
            throw in.fail("it calls " + PickleValues.withArticle(callable) + "; only the NumPy functions that"
                    + " rebuild an array may be called: this file may be unsafe");
        }
        PickleGlobal global = (PickleGlobal) callable;
        if (!(args instanceof PyTuple)) {
            throw in.fail("the arguments of " + global + " are " + PickleValues.withArticle(args) + ", not a tuple");
        }
        PyTuple tuple = (PyTuple) args;
        switch (global) {
            case RECONSTRUCT:
                return reconstruct(tuple, in);
            case DTYPE:
                return dtype(tuple, in);
            case FROMBUFFER:
                return frombuffer(tuple, in, budget);
            case SCALAR:
                return scalar(tuple, in, budget);
            case CODECS_ENCODE:
                return encode(tuple, in, budget);
            case BYTES:
                arity(tuple, 0, global, "no arguments (protocol 2's empty bytes)", in);
                return new PyBytes(new byte[0], 0, 0);
            case ORDERED_DICT:
                return orderedDict(tuple, in);
            default: // NDARRAY
                throw in.fail("numpy.ndarray may not be called: arrays are rebuilt with _reconstruct or"
                        + " _frombuffer, as NumPy pickles them");
        }
    }

    /**
     * BUILD: gives an array from {@code _reconstruct} its shape, dtype and data, or a dtype its byte
     * order. Each object is built once; BUILD on anything else is refused.
     *
     * @throws CheckpointFormatException naming the target and the part of the state that breaks the pattern
     */
    static void build(Object target, Object state, PickleInput in, ByteBudget budget)
            throws CheckpointFormatException {
        if (target instanceof Array && ((Array) target).array == null) {
            ((Array) target).array = arrayState(state, in, budget);
        } else if (target instanceof Dtype && ((Dtype) target).descr == null) {
            ((Dtype) target).descr = dtypeState((Dtype) target, state, in);
        } else {
            throw in.fail("it sets the state of " + PickleValues.withArticle(target) + (target instanceof Array
                    || target instanceof Dtype ? " a second time" : "") + "; only a NumPy array or dtype"
                    + " being rebuilt may be given its state, once: this file may be unsafe");
        }
    }

    /** {@code _reconstruct(ndarray, (0,), b'b')}: NumPy's fixed arguments, nothing else. */
    private static Array reconstruct(PyTuple args, PickleInput in) throws CheckpointFormatException {
        PickleGlobal global = PickleGlobal.RECONSTRUCT;
        arity(args, 3, global, "(numpy.ndarray, (0,), b'b')", in);
        if (args.get(0) != PickleGlobal.NDARRAY) {
            throw in.fail(global + "'s class is " + PickleValues.withArticle(args.get(0)) + "; only numpy.ndarray"
                    + " is allowed (not a subclass such as numpy.matrix or a masked array): this file may be unsafe");
        }
        Object shape = args.get(1);
        if (!(shape instanceof PyTuple) || ((PyTuple) shape).size() != 1 || !Long.valueOf(0).equals(((PyTuple) shape).get(0))) {
            throw in.fail(global + "'s shape is " + PickleValues.withArticle(shape) + "; NumPy writes (0,) there");
        }
        Object typecode = args.get(2);
        if (!(typecode instanceof PyBytes && ((PyBytes) typecode).isAscii("b")) && !"b".equals(typecode)) {
            throw in.fail(global + "'s type code is " + PickleValues.withArticle(typecode) + "; NumPy writes b'b' there");
        }
        return new Array(null);
    }

    /** {@code dtype('f8', False, True)}: only the float32 and float64 kinds. */
    private static Dtype dtype(PyTuple args, PickleInput in) throws CheckpointFormatException {
        arity(args, 3, PickleGlobal.DTYPE, "(name, align, copy), such as ('f8', False, True)", in);
        if (!(args.get(0) instanceof String)) {
            throw in.fail("numpy.dtype's name is " + PickleValues.withArticle(args.get(0)) + ", not a str such as 'f8'");
        }
        String name = (String) args.get(0);
        flag(args.get(1), "numpy.dtype's align", in);
        flag(args.get(2), "numpy.dtype's copy", in);
        if (name.equals("f8")) {
            return new Dtype(name, DType.FLOAT64);
        } else if (name.equals("f4")) {
            return new Dtype(name, DType.FLOAT32);
        }
        throw in.fail("numpy.dtype(" + PickleInput.show(name) + ") " + dtypeProblem(name) + "; only float32 ('f4')"
                + " and float64 ('f8') arrays can be read: save the arrays with a.astype(np.float64) or a.astype(np.float32)");
    }

    private static String dtypeProblem(String name) {
        char kind = name.isEmpty() ? ' ' : name.charAt(0);
        switch (kind) {
            case 'O':
                return "is an object dtype, whose elements are pickled Python objects, which are never loaded";
            case 'i':
            case 'u':
                return "is an integer dtype, which is not read (NpyArray holds floats, and int64 values beyond 2^53 would"
                        + " change as float64)";
            case 'b':
                return "is a boolean dtype, which is not read";
            case 'c':
                return "is a complex dtype, which is not read";
            case 'f':
                return "is a float of another width, which is not read";
            default:
                return "is not supported";
        }
    }

    /** {@code (3, '<' | '>', None, None, None, elsize, alignment, flags)}: a plain dtype in a byte order. */
    private static NpyDescr dtypeState(Dtype dtype, Object state, PickleInput in) throws CheckpointFormatException {
        String what = "the state of numpy.dtype('" + dtype.name + "')";
        PyTuple tuple = tuple(state, 8, what, "(3, '<', None, None, None, -1, -1, 0)", in);
        if (!Long.valueOf(3).equals(tuple.get(0))) {
            throw in.fail(what + " has version " + shown(tuple.get(0)) + "; only version 3, which NumPy writes for"
                    + " a float dtype, is read");
        }
        Object order = tuple.get(1);
        if (!"<".equals(order) && !">".equals(order)) {
            throw in.fail(what + " has byte order " + shown(order) + "; a float dtype has '<' or '>'");
        }
        for (int i = 2; i <= 4; i++) {
            if (tuple.get(i) != PyNone.NONE) {
                throw in.fail(what + " has a subarray, field names or fields (a structured dtype), which is not read");
            }
        }
        for (int i = 5; i <= 7; i++) {
            if (!(tuple.get(i) instanceof Long)) {
                throw in.fail(what + " has " + PickleValues.withArticle(tuple.get(i)) + " as element " + i + ", not an int");
            }
        }
        boolean little = "<".equals(order);
        return dtype.dtype == DType.FLOAT64 ? (little ? NpyDescr.LITTLE_FLOAT64 : NpyDescr.BIG_FLOAT64)
                : (little ? NpyDescr.LITTLE_FLOAT32 : NpyDescr.BIG_FLOAT32);
    }

    /** {@code (1, shape, dtype, is_fortran, data)}: the state NumPy's {@code ndarray.__reduce__} writes. */
    private static NpyArray arrayState(Object state, PickleInput in, ByteBudget budget)
            throws CheckpointFormatException {
        String what = "the state of numpy.ndarray";
        PyTuple tuple = tuple(state, 5, what, "(1, shape, dtype, is_fortran, data)", in);
        if (!Long.valueOf(1).equals(tuple.get(0))) {
            throw in.fail(what + " has version " + shown(tuple.get(0)) + "; NumPy writes version 1");
        }
        int[] dims = PickledArrayData.dims(tuple.get(1), in);
        NpyDescr descr = builtDtype(tuple.get(2), in);
        boolean fortran = flag(tuple.get(3), "numpy.ndarray's is_fortran", in);
        PyBytes data = data(tuple.get(4), "numpy.ndarray's data", in, budget);
        return PickledArrayData.decode(data, descr, dims, fortran, in, budget);
    }

    /** {@code _frombuffer(data, dtype, shape, order)}: protocol 5's contiguous array. */
    private static Array frombuffer(PyTuple args, PickleInput in, ByteBudget budget)
            throws CheckpointFormatException {
        arity(args, 4, PickleGlobal.FROMBUFFER, "(data, dtype, shape, order)", in);
        PyBytes data = data(args.get(0), PickleGlobal.FROMBUFFER + "'s data", in, budget);
        NpyDescr descr = builtDtype(args.get(1), in);
        int[] dims = PickledArrayData.dims(args.get(2), in);
        Object order = args.get(3);
        if (!"C".equals(order) && !"F".equals(order)) {
            throw in.fail(PickleGlobal.FROMBUFFER + "'s order is " + shown(order) + "; NumPy writes 'C' or 'F'");
        }
        return new Array(PickledArrayData.decode(data, descr, dims, "F".equals(order), in, budget));
    }

    /** {@code scalar(dtype, data)}: a NumPy scalar, read as a 0-d array. */
    private static Array scalar(PyTuple args, PickleInput in, ByteBudget budget) throws CheckpointFormatException {
        arity(args, 2, PickleGlobal.SCALAR, "(dtype, data)", in);
        NpyDescr descr = builtDtype(args.get(0), in);
        PyBytes data = data(args.get(1), PickleGlobal.SCALAR + "'s data", in, budget);
        return new Array(PickledArrayData.decode(data, descr, new int[0], false, in, budget));
    }

    /** {@code _codecs.encode(text, 'latin1')}: protocol 2's bytes, one byte per character. */
    private static PyBytes encode(PyTuple args, PickleInput in, ByteBudget budget) throws CheckpointFormatException {
        arity(args, 2, PickleGlobal.CODECS_ENCODE, "(text, 'latin1')", in);
        if (!"latin1".equals(args.get(1))) {
            throw in.fail(PickleGlobal.CODECS_ENCODE + "'s codec is " + shown(args.get(1)) + "; only 'latin1', with"
                    + " which protocol 2 writes bytes, is allowed");
        }
        if (!(args.get(0) instanceof String)) {
            throw in.fail(PickleGlobal.CODECS_ENCODE + "'s text is " + PickleValues.withArticle(args.get(0)) + ", not a str");
        }
        return latin1((String) args.get(0), PickleGlobal.CODECS_ENCODE + "'s text", in, budget);
    }

    /** {@code OrderedDict()}, or Python 2's {@code OrderedDict([[key, value], ...])}. */
    private static PyDict orderedDict(PyTuple args, PickleInput in) throws CheckpointFormatException {
        PyDict dict = new PyDict(true);
        if (args.size() == 0) {
            return dict;
        }
        arity(args, 1, PickleGlobal.ORDERED_DICT, "() or ([[key, value], ...],)", in);
        if (!(args.get(0) instanceof PyList)) {
            throw in.fail(PickleGlobal.ORDERED_DICT + "'s items are " + PickleValues.withArticle(args.get(0)) + ", not a list");
        }
        for (Object item : ((PyList) args.get(0)).items) {
            List<Object> pair = item instanceof PyList ? ((PyList) item).items
                    : item instanceof PyTuple ? ((PyTuple) item).items : List.of();
            if (pair.size() != 2 || !(pair.get(0) instanceof String)) {
                throw in.fail(PickleGlobal.ORDERED_DICT + "'s items must be [str, value] pairs, not "
                        + PickleValues.withArticle(item));
            }
            dict.put((String) pair.get(0), pair.get(1));
        }
        return dict;
    }

    /** The dtype argument of an array: a dtype that BUILD has given its byte order. */
    private static NpyDescr builtDtype(Object value, PickleInput in) throws CheckpointFormatException {
        if (!(value instanceof Dtype)) {
            throw in.fail("the array's dtype is " + PickleValues.withArticle(value) + ", not a numpy.dtype");
        }
        NpyDescr descr = ((Dtype) value).descr;
        if (descr == null) {
            throw in.fail("the array's " + typeName(value) + " was never given its state (BUILD), so its byte"
                    + " order is unknown; NumPy always writes it");
        }
        return descr;
    }

    /** An array's data: bytes, or a str of code points below 256 (Python 2's str, read as latin-1). */
    private static PyBytes data(Object value, String what, PickleInput in, ByteBudget budget)
            throws CheckpointFormatException {
        if (value instanceof PyBytes) {
            return (PyBytes) value;
        } else if (value instanceof String) {
            return latin1((String) value, what, in, budget);
        }
        throw in.fail(what + " is " + PickleValues.withArticle(value) + ", not bytes");
    }

    private static PyBytes latin1(String text, String what, PickleInput in, ByteBudget budget)
            throws CheckpointFormatException {
        budget.claim(text.length(), in.context(), what + " of " + text.length() + " characters as bytes");
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                throw in.fail(what + " has the character U+" + String.format("%04X", (int) c) + " at index " + i
                        + ", which latin-1 cannot encode");
            }
            bytes[i] = (byte) c;
        }
        return new PyBytes(bytes, 0, bytes.length);
    }

    /** A bool, or Python 2's int 0 or 1 in its place. */
    private static boolean flag(Object value, String what, PickleInput in) throws CheckpointFormatException {
        if (value instanceof Boolean) {
            return (Boolean) value;
        } else if (Long.valueOf(0).equals(value) || Long.valueOf(1).equals(value)) {
            return Long.valueOf(1).equals(value);
        }
        throw in.fail(what + " is " + shown(value) + ", not a bool");
    }

    private static PyTuple tuple(Object value, int size, String what, String form, PickleInput in)
            throws CheckpointFormatException {
        if (!(value instanceof PyTuple) || ((PyTuple) value).size() != size) {
            throw in.fail(what + " is " + PickleValues.withArticle(value) + "; NumPy writes a tuple of " + size + ": " + form);
        }
        return (PyTuple) value;
    }

    private static void arity(PyTuple args, int count, PickleGlobal global, String form, PickleInput in)
            throws CheckpointFormatException {
        if (args.size() != count) {
            throw in.fail(global + " is called with " + args.size() + " arguments; it is allowed only as NumPy"
                    + " calls it, with " + form);
        }
    }

    /** A small value as Python would show it, anything else by its type. */
    static String shown(Object value) {
        if (value instanceof String) {
            return PickleInput.show((String) value);
        } else if (value instanceof Long) {
            return value.toString();
        } else if (value instanceof Boolean) {
            return (Boolean) value ? "True" : "False";
        } else if (value == PyNone.NONE) {
            return "None";
        }
        return "" + PickleValues.withArticle(value);
    }
}
