package org.nnjava.io;

import java.nio.ByteBuffer;
import java.util.StringJoiner;
import org.nnjava.io.PickleValues.PyBytes;
import org.nnjava.io.PickleValues.PyTuple;
import org.nnjava.tensor.DType;

/**
 * Turns the raw data of a pickled array into an {@link NpyArray}: the shape checked (at most
 * {@value NpyHeader#MAX_RANK} dimensions, each a non-negative int, at most {@link Integer#MAX_VALUE}
 * elements), the data's length checked to be exactly elements times item size, the values claimed from
 * the byte budget before they are allocated, then read in the dtype's byte order and, for a Fortran-ordered
 * array, moved to row-major order.
 */
final class PickledArrayData {

    private PickledArrayData() {
    }

    /**
     * The dimensions of a shape tuple.
     *
     * @throws CheckpointFormatException if it is not a tuple of ints from 0 to {@link Integer#MAX_VALUE},
     *     has more than {@value NpyHeader#MAX_RANK} of them, or more than {@link Integer#MAX_VALUE} elements
     */
    static int[] dims(Object shape, PickleInput in) throws CheckpointFormatException {
        if (!(shape instanceof PyTuple)) {
            throw in.fail("the array's shape is " + PickleValues.withArticle(shape) + ", not a tuple of ints");
        }
        PyTuple tuple = (PyTuple) shape;
        if (tuple.size() > NpyHeader.MAX_RANK) {
            throw in.fail("the array's shape has " + tuple.size() + " dimensions, more than NumPy's "
                    + NpyHeader.MAX_RANK);
        }
        int[] dims = new int[tuple.size()];
        for (int axis = 0; axis < dims.length; axis++) {
            Object dim = tuple.get(axis);
            if (!(dim instanceof Long) || (Long) dim < 0 || (Long) dim > Integer.MAX_VALUE) {
                throw in.fail("the array's shape has " + NumpyPickle.shown(dim) + " as dimension " + axis
                        + "; each must be an int from 0 to " + Integer.MAX_VALUE);
            }
            dims[axis] = (int) (long) (Long) dim;
        }
        if (count(dims) > Integer.MAX_VALUE) {
            throw in.fail("the array's shape " + text(dims) + " has more than " + Integer.MAX_VALUE
                    + " elements, more than a Java array holds");
        }
        return dims;
    }

    /**
     * The array that {@code data} holds.
     *
     * @param dims checked by {@link #dims}
     * @param fortran whether {@code data} is in column-major (Fortran) order
     * @throws CheckpointFormatException if the data's length is not the shape's size times the item
     *     size, or the values do not fit in the budget
     */
    static NpyArray decode(PyBytes data, NpyDescr descr, int[] dims, boolean fortran, PickleInput in,
            ByteBudget budget) throws CheckpointFormatException {
        int count = (int) count(dims);
        long needed = (long) count * descr.itemSize();
        String described = "an array of shape " + text(dims) + " and dtype '" + descr.text() + "'";
        if (data.length != needed) {
            throw in.fail(described + " needs " + needed + " bytes of data, but its data has " + data.length
                    + ": the file is corrupt");
        }
        budget.claim(needed, in.context(), described);
        ByteBuffer bytes = ByteBuffer.wrap(data.source, data.offset, data.length).slice().order(descr.order());
        boolean reorder = fortran && dims.length > 1;
        if (descr.dtype() == DType.FLOAT64) {
            double[] values = new double[count];
            if (reorder) {
                forEachFortranOffset(dims, count, (i, offset) -> values[i] = bytes.getDouble(offset * Double.BYTES));
            } else {
                bytes.asDoubleBuffer().get(values);
            }
            return NpyArray.wrapFloat64(values, dims);
        }
        float[] values = new float[count];
        if (reorder) {
            forEachFortranOffset(dims, count, (i, offset) -> values[i] = bytes.getFloat(offset * Float.BYTES));
        } else {
            bytes.asFloatBuffer().get(values);
        }
        return NpyArray.wrapFloat32(values, dims);
    }

    /** Receives each row-major index with the element's index in column-major order. */
    private interface OffsetConsumer {
        void accept(int rowMajor, int columnMajor);
    }

    /**
     * Walks the row-major indices in order, carrying the column-major index along: moving one step
     * along axis {@code k} moves {@code d0 * ... * d(k-1)} elements in column-major order.
     */
    private static void forEachFortranOffset(int[] dims, int count, OffsetConsumer consumer) {
        int rank = dims.length;
        long[] strides = new long[rank];
        long stride = 1;
        for (int axis = 0; axis < rank; axis++) {
            strides[axis] = stride;
            stride *= dims[axis];
        }
        int[] index = new int[rank];
        long offset = 0;
        for (int i = 0; i < count; i++) {
            consumer.accept(i, (int) offset);
            for (int axis = rank - 1; axis >= 0; axis--) {
                if (++index[axis] < dims[axis]) {
                    offset += strides[axis];
                    break;
                }
                index[axis] = 0;
                offset -= (long) (dims[axis] - 1) * strides[axis];
            }
        }
    }

    /** The number of elements; an empty dimension anywhere makes it 0, without overflow. */
    private static long count(int[] dims) {
        long count = 1;
        for (int dim : dims) {
            if (dim == 0) {
                return 0;
            }
        }
        for (int dim : dims) {
            count *= dim;
            if (count > Integer.MAX_VALUE) {
                return Long.MAX_VALUE;
            }
        }
        return count;
    }

    /** {@code (2, 3)}, {@code (5,)}, {@code ()}: a shape as Python writes it. */
    static String text(int[] dims) {
        StringJoiner joiner = new StringJoiner(", ", "(", dims.length == 1 ? ",)" : ")");
        for (int dim : dims) {
            joiner.add(Integer.toString(dim));
        }
        return joiner.toString();
    }
}
