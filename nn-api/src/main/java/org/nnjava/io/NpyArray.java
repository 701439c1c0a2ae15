package org.nnjava.io;

import java.util.Arrays;
import java.util.Objects;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.Tensor;

/**
 * One array as stored in a {@code .npy} file: a shape, a dtype (float64 or float32) and the elements in
 * row-major (C) order, held in Java arrays independent of any backend. Immutable: the factories copy the
 * data in and the accessors copy it out.
 *
 * <p>A class rather than a record because it holds one of two array types and compares them by content:
 * {@link #equals} is true for the same shape, dtype and values compared as {@link Arrays#equals(double[],
 * double[])} does ({@code NaN} equals {@code NaN}, {@code -0.0} differs from {@code 0.0}), which is what
 * "the file round-trips exactly" means.
 */
public final class NpyArray {

    private final Shape shape;
    private final double[] float64;
    private final float[] float32;

    private NpyArray(Shape shape, double[] float64, float[] float32) {
        int length = float64 != null ? float64.length : float32.length;
        if (length != shape.size()) {
            throw new InvalidShapeException("NpyArray: " + length + " values do not fill shape " + shape + " ("
                    + shape.size() + " elements); give exactly one value per element");
        }
        this.shape = shape;
        this.float64 = float64;
        this.float32 = float32;
    }

    /**
     * A float64 array holding a copy of {@code data} (row-major) with the given shape ({@code []}, no
     * dimensions, is a 0-d array of one element).
     *
     * @param data the elements, row-major; copied
     * @param shape the dimensions, outermost first
     * @return a new array
     * @throws InvalidShapeException if {@code data.length} differs from the shape's size or the shape is invalid
     */
    public static NpyArray ofFloat64(double[] data, int... shape) {
        return wrapFloat64(data.clone(), shape);
    }

    /**
     * A float32 array holding a copy of {@code data}; see {@link #ofFloat64}.
     *
     * @param data the elements, row-major; copied
     * @param shape the dimensions, outermost first
     * @return a new array
     * @throws InvalidShapeException if {@code data.length} differs from the shape's size or the shape is invalid
     */
    public static NpyArray ofFloat32(float[] data, int... shape) {
        return wrapFloat32(data.clone(), shape);
    }

    /**
     * A copy of a tensor's elements, in the tensor's shape and dtype.
     *
     * @param tensor any tensor; only read
     * @return a new array of the tensor's shape and dtype
     */
    public static NpyArray of(Tensor tensor) {
        int[] dims = tensor.shape().dims();
        return tensor.dtype() == DType.FLOAT32
                ? wrapFloat32(tensor.toFloatArray(), dims)
                : wrapFloat64(tensor.toDoubleArray(), dims);
    }

    /** Takes ownership of {@code data} without copying: for arrays just decoded or just copied. */
    static NpyArray wrapFloat64(double[] data, int... shape) {
        return new NpyArray(Shape.of(shape), Objects.requireNonNull(data, "data"), null);
    }

    static NpyArray wrapFloat32(float[] data, int... shape) {
        return new NpyArray(Shape.of(shape), null, Objects.requireNonNull(data, "data"));
    }

    /**
     * The dimensions, outermost first.
     *
     * @return the shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * {@link DType#FLOAT64} or {@link DType#FLOAT32}, as stored in the file.
     *
     * @return the dtype
     */
    public DType dtype() {
        return float64 != null ? DType.FLOAT64 : DType.FLOAT32;
    }

    /**
     * The number of elements (1 for a 0-d array, 0 for an empty one).
     *
     * @return the product of the dimensions
     */
    public int size() {
        return shape.size();
    }

    /**
     * The elements, row-major, as a new {@code double[]} (float32 values widen exactly).
     *
     * @return a new array of {@link #size()} values
     */
    public double[] toDoubleArray() {
        if (float64 != null) {
            return float64.clone();
        }
        double[] values = new double[float32.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = float32[i];
        }
        return values;
    }

    /**
     * The elements, row-major, as a new {@code float[]} (float64 values are rounded to nearest).
     *
     * @return a new array of {@link #size()} values
     */
    public float[] toFloatArray() {
        if (float32 != null) {
            return float32.clone();
        }
        float[] values = new float[float64.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) float64[i];
        }
        return values;
    }

    /**
     * A new tensor on {@code backend} with this array's shape and values, in the backend's dtype (a
     * float32 backend rounds float64 values).
     *
     * @param backend the backend (and dtype) of the tensor
     * @return a new tensor
     */
    public Tensor toTensor(Backend backend) {
        int[] dims = shape.dims();
        return float64 != null ? backend.fromArray(float64, dims) : backend.fromArray(float32, dims);
    }

    /** The stored float64 elements, not copied; null for a float32 array. For the encoder only. */
    double[] float64Data() {
        return float64;
    }

    /** The stored float32 elements, not copied; null for a float64 array. For the encoder only. */
    float[] float32Data() {
        return float32;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof NpyArray)) {
            return false;
        }
        NpyArray that = (NpyArray) other;
        return shape.equals(that.shape) && Arrays.equals(float64, that.float64) && Arrays.equals(float32, that.float32);
    }

    @Override
    public int hashCode() {
        return 31 * shape.hashCode() + (float64 != null ? Arrays.hashCode(float64) : Arrays.hashCode(float32));
    }

    /** {@code float64 [2, 3]}: dtype and shape, not the values, which may be millions. */
    @Override
    public String toString() {
        return dtype().label() + " " + shape;
    }
}
