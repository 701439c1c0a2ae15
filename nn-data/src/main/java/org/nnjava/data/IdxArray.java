package org.nnjava.data;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The content of one IDX file: an element type, the dimensions (outermost first) and the elements in
 * row-major order, independent of any tensor backend. Immutable.
 *
 * <p>The elements are kept as the file's big-endian bytes, so that MNIST's 47 MB of training pixels take
 * 47 MB, not eight times that; the accessors convert on demand, exactly: every IDX type is represented
 * without loss by a {@code double}.
 */
public final class IdxArray {

    private final String source;
    private final IdxType type;
    private final int[] dims;
    private final byte[] data;
    /** Absolute reads of a big-endian view leave no state behind, so concurrent readers are safe. */
    private final ByteBuffer bigEndian;

    /** For {@link IdxReader}, which has checked that {@code data} holds exactly the elements {@code dims} ask for. */
    IdxArray(String source, IdxType type, int[] dims, byte[] data) {
        this.source = source;
        this.type = type;
        this.dims = dims.clone();
        this.data = data;
        this.bigEndian = ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    /**
     * Where the array was read from (a file path, or a description of a stream), for messages.
     *
     * @return the source, e.g. the file's path
     */
    public String source() {
        return source;
    }

    /**
     * The element type.
     *
     * @return the type given in the file's header
     */
    public IdxType type() {
        return type;
    }

    /**
     * A copy of the dimensions, outermost first.
     *
     * @return a new array of {@link #rank()} dimensions
     */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The number of dimensions (at least 1).
     *
     * @return the rank
     */
    public int rank() {
        return dims.length;
    }

    /**
     * The length of the first dimension: the number of images or labels in an MNIST file.
     *
     * @return the first dimension
     */
    public int count() {
        return dims[0];
    }

    /**
     * The number of elements: the product of the dimensions.
     *
     * @return the element count
     */
    public int size() {
        return data.length / type.bytes();
    }

    /**
     * The element at a row-major flat index, as a {@code double} (exact for every IDX type).
     *
     * @param index the flat index
     * @return the element
     * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
     */
    public double get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException("IdxArray " + source + ": index " + index + " is outside 0.." + (size() - 1));
        }
        switch (type) {
            case UNSIGNED_BYTE: return data[index] & 0xFF;
            case SIGNED_BYTE: return data[index];
            case SHORT: return bigEndian.getShort(index * 2);
            case INT: return bigEndian.getInt(index * 4);
            case FLOAT: return bigEndian.getFloat(index * 4);
            case DOUBLE: return bigEndian.getDouble(index * 8);
            default: throw new AssertionError(type);
        }
    }

    /**
     * All elements, row-major, as a new {@code double[]} (exact).
     *
     * @return a new array of {@link #size()} values
     */
    public double[] toDoubleArray() {
        double[] values = new double[size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = get(i);
        }
        return values;
    }

    /**
     * All elements, row-major, as a new {@code float[]}; {@code INT} and {@code DOUBLE} values are rounded.
     *
     * @return a new array of {@link #size()} values
     */
    public float[] toFloatArray() {
        float[] values = new float[size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) get(i);
        }
        return values;
    }

    /**
     * All elements, row-major, as a new {@code int[]}.
     *
     * @return a new array of {@link #size()} values
     * @throws IllegalStateException if the type is {@code FLOAT} or {@code DOUBLE}
     */
    public int[] toIntArray() {
        if (!type.isInteger()) {
            throw new IllegalStateException("IdxArray " + source + ": elements of type " + type
                    + " are not integers; read them with toDoubleArray()");
        }
        int[] values = new int[size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (int) get(i);
        }
        return values;
    }

    /** {@code IdxArray[0x08 unsigned byte [60000, 28, 28] from train-images-idx3-ubyte.gz]}. */
    @Override
    public String toString() {
        return "IdxArray[" + type + " " + Arrays.toString(dims) + " from " + source + "]";
    }
}
