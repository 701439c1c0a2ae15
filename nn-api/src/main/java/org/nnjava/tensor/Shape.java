package org.nnjava.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor, outermost first (row-major). An immutable value: the array given is
 * copied in and {@link #dims()} returns a copy.
 *
 * <p>A rank-0 shape {@code []} holds one element (a scalar). Dimensions may be zero; they may not be
 * negative, and the element count must fit in an {@code int}, since every backend stores a tensor in
 * one Java-indexable block.
 *
 * @param dims the dimensions, outermost first
 */
public record Shape(int[] dims) {

    /**
     * A shape of the given dimensions; the array is copied.
     *
     * @param dims the dimensions, outermost first; none for a scalar
     * @throws InvalidShapeException on a negative dimension or an element count above
     *     {@link Integer#MAX_VALUE}
     */
    public Shape {
        dims = dims.clone();
        long size = 1;
        for (int axis = 0; axis < dims.length; axis++) {
            if (dims[axis] < 0) {
                throw new InvalidShapeException("shape " + Arrays.toString(dims) + ": dimension " + axis
                        + " is " + dims[axis] + "; dimensions must be zero or positive");
            }
            size *= dims[axis];
            if (size > Integer.MAX_VALUE) {
                throw new InvalidShapeException("shape " + Arrays.toString(dims) + ": more than "
                        + Integer.MAX_VALUE + " elements; a tensor holds at most that many, split the data");
            }
        }
    }

    /**
     * The shape with the given dimensions, outermost first.
     *
     * @param dims the dimensions, outermost first; none for a scalar
     * @return the shape
     * @throws InvalidShapeException on a negative dimension or an element count above {@link Integer#MAX_VALUE}
     */
    public static Shape of(int... dims) {
        return new Shape(dims);
    }

    /**
     * A copy of the dimensions.
     *
     * @return a new array
     */
    @Override
    public int[] dims() {
        return dims.clone();
    }

    /**
     * The number of dimensions (0 for a scalar).
     *
     * @return the rank
     */
    public int rank() {
        return dims.length;
    }

    /**
     * The length of one axis; a negative axis counts from the end ({@code -1} is the last).
     *
     * @param axis {@code -rank .. rank - 1}
     * @return the dimension
     * @throws TensorIndexException if the axis is out of range
     */
    public int dim(int axis) {
        return dims[normalizeAxis(axis, "dim")];
    }

    /**
     * The number of elements: the product of the dimensions (1 for a scalar).
     *
     * @return the element count
     */
    public int size() {
        int size = 1;
        for (int d : dims) {
            size *= d;
        }
        return size;
    }

    /**
     * Maps a possibly negative axis to {@code 0..rank-1}.
     *
     * @param axis {@code -rank .. rank - 1}
     * @param operation the operation's name, for the message
     * @return the axis in {@code 0 .. rank - 1}
     * @throws TensorIndexException if the axis is outside {@code -rank..rank-1}
     */
    public int normalizeAxis(int axis, String operation) {
        int normalized = axis < 0 ? axis + dims.length : axis;
        if (normalized < 0 || normalized >= dims.length) {
            throw new TensorIndexException(operation + ": axis " + axis + " is out of range for " + this
                    + ": a rank-" + dims.length + " tensor has axes " + axisRange());
        }
        return normalized;
    }

    private String axisRange() {
        return dims.length == 0 ? "none (it is a scalar)" : "0.." + (dims.length - 1) + " (or -" + dims.length + "..-1)";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Shape && Arrays.equals(dims, ((Shape) other).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [2, 3]}, as NumPy prints a shape's dimensions. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
