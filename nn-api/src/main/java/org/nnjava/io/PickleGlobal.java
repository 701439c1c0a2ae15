package org.nnjava.io;

import java.util.List;

/**
 * The only globals a pickle may name: the functions and classes with which NumPy rebuilds an array
 * ({@code ndarray.__reduce__} and {@code dtype.__reduce__}), under NumPy 1's ({@code numpy.core}) and
 * NumPy 2's ({@code numpy._core}) module names, and the two helpers protocol 2 and dicts need. Each is
 * only ever called in the exact pattern NumPy writes (see {@link NumpyPickle}); none is ever looked up
 * or run: a global is an enum constant here, nothing more.
 */
enum PickleGlobal {
    /** {@code _reconstruct(ndarray, (0,), b'b')}: an empty array, given its shape, dtype and data by BUILD. */
    RECONSTRUCT(List.of("numpy._core.multiarray", "numpy.core.multiarray"), "_reconstruct"),
    /** The class argument of {@code _reconstruct}; never called. */
    NDARRAY(List.of("numpy"), "ndarray"),
    /** {@code dtype('f8', False, True)}: a dtype, given its byte order by BUILD. */
    DTYPE(List.of("numpy"), "dtype"),
    /** {@code scalar(dtype, data)}: a NumPy scalar such as {@code np.float64(2.5)}, read as a 0-d array. */
    SCALAR(List.of("numpy._core.multiarray", "numpy.core.multiarray"), "scalar"),
    /** {@code _frombuffer(data, dtype, shape, order)}: protocol 5's form of a contiguous array. */
    FROMBUFFER(List.of("numpy._core.numeric", "numpy.core.numeric"), "_frombuffer"),
    /** {@code encode(text, 'latin1')}: protocol 2's form of a bytes object. */
    CODECS_ENCODE(List.of("_codecs"), "encode"),
    /** {@code bytes()}: protocol 2's form of an empty bytes object (the data of an empty array). */
    BYTES(List.of("builtins", "__builtin__"), "bytes"),
    /** {@code OrderedDict()}, filled by SETITEMS, or Python 2's {@code OrderedDict([[key, value], ...])}. */
    ORDERED_DICT(List.of("collections"), "OrderedDict");

    private final List<String> modules;
    private final String name;

    PickleGlobal(List<String> modules, String name) {
        this.modules = modules;
        this.name = name;
    }

    /** The allowed global of that exact module and name, or null. */
    static PickleGlobal find(String module, String name) {
        for (PickleGlobal global : values()) {
            if (global.name.equals(name) && global.modules.contains(module)) {
                return global;
            }
        }
        return null;
    }

    /** {@code numpy._core.multiarray._reconstruct}: the name in messages (the first module spelling). */
    @Override
    public String toString() {
        return modules.get(0) + "." + name;
    }
}
