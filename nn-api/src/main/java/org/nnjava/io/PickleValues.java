package org.nnjava.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python values a pickle of NumPy arrays builds, as plain Java objects: {@code None} is
 * {@link PyNone#NONE}, {@code bool} a {@link Boolean}, {@code int} a {@link Long}, {@code float} a
 * {@link Double}, {@code str} a {@link String}; bytes, tuples, lists and dicts are the classes here; an
 * allowed global is a {@link PickleGlobal}; dtypes and arrays are {@link NumpyPickle}'s.
 *
 * <p>None of these classes overrides {@code equals}, {@code hashCode} or {@code toString}: a pickle can
 * make a list that contains itself, and nothing here ever walks a structure, so a cycle or a deep nest
 * costs nothing. Dict keys must be strings for the same reason. Containers record their nesting depth,
 * which {@link PickleMachine} bounds.
 */
final class PickleValues {

    private PickleValues() {
    }

    /** Python's {@code None}. */
    enum PyNone {
        NONE
    }

    /** A {@code bytes} or {@code bytearray}: a view of bytes held elsewhere (usually the file's), never copied. */
    static final class PyBytes {
        final byte[] source;
        final int offset;
        final int length;

        PyBytes(byte[] source, int offset, int length) {
            this.source = source;
            this.offset = offset;
            this.length = length;
        }

        /** Whether these bytes are exactly the ASCII text {@code text}. */
        boolean isAscii(String text) {
            if (length != text.length()) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (source[offset + i] != text.charAt(i)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A {@code tuple}. */
    static final class PyTuple {
        final List<Object> items;
        final int depth;

        PyTuple(List<Object> items) {
            this.items = List.copyOf(items);
            this.depth = 1 + maxDepth(items);
        }

        int size() {
            return items.size();
        }

        Object get(int index) {
            return items.get(index);
        }
    }

    /** A {@code list}. */
    static final class PyList {
        final List<Object> items = new ArrayList<>();
        int depth = 1;

        void add(Object item) {
            items.add(item);
            depth = Math.max(depth, 1 + depth(item));
        }
    }

    /** A {@code dict} or {@code collections.OrderedDict}: insertion-ordered, as both are in Python 3.7+. */
    static final class PyDict {
        final Map<String, Object> items = new LinkedHashMap<>();
        final boolean ordered;
        int depth = 1;

        PyDict(boolean ordered) {
            this.ordered = ordered;
        }

        /** As Python: a key already present keeps its place and takes the new value. */
        void put(String key, Object value) {
            items.put(key, value);
            depth = Math.max(depth, 1 + depth(value));
        }
    }

    /** The nesting depth of a value: 0 for anything but a tuple, list or dict. */
    static int depth(Object value) {
        if (value instanceof PyTuple) {
            return ((PyTuple) value).depth;
        } else if (value instanceof PyList) {
            return ((PyList) value).depth;
        } else if (value instanceof PyDict) {
            return ((PyDict) value).depth;
        }
        return 0;
    }

    private static int maxDepth(List<Object> items) {
        int max = 0;
        for (Object item : items) {
            max = Math.max(max, depth(item));
        }
        return max;
    }

    /** {@link #typeName} as a noun phrase: {@code an int}, {@code a tuple of 3}, {@code None}, {@code bytes}. */
    static String withArticle(Object value) {
        String name = typeName(value);
        if (value == PyNone.NONE || value instanceof PyBytes) {
            return name;
        }
        return ("aeiouAEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** The Python name of a value's type, for messages: {@code tuple}, {@code str}, {@code global numpy.dtype}. */
    static String typeName(Object value) {
        if (value == PyNone.NONE) {
            return "None";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof Long) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof String) {
            return "str";
        } else if (value instanceof PyBytes) {
            return "bytes";
        } else if (value instanceof PyTuple) {
            return "tuple of " + ((PyTuple) value).size();
        } else if (value instanceof PyList) {
            return "list";
        } else if (value instanceof PyDict) {
            return ((PyDict) value).ordered ? "OrderedDict" : "dict";
        } else if (value instanceof PickleGlobal) {
            return "global " + value;
        }
        return NumpyPickle.typeName(value);
    }
}
