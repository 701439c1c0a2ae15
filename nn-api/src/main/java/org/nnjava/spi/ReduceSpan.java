package org.nnjava.spi;

import org.nnjava.tensor.Shape;

/**
 * A reduction's view of a row-major tensor as {@code [outer, length, inner]}, where {@code length} is
 * the axis being reduced: element {@code (o, j, i)} sits at index {@code (o * length + j) * inner + i},
 * and the result, {@code [outer, inner]}, holds {@code (o, i)} at {@code o * inner + i}. For a backend's
 * {@link AbstractTensor#reduceKernel}, which gets the axis already normalised (or -1 for every element).
 */
public record ReduceSpan(int outer, int length, int inner) {

    /**
     * The span reducing {@code axis} (already normalised) of {@code shape}, or every element when {@code axis} is -1.
     *
     * @param shape the tensor's shape
     * @param axis an axis in {@code 0 .. rank - 1}, or -1
     * @return the span
     */
    public static ReduceSpan of(Shape shape, int axis) {
        if (axis < 0) {
            return new ReduceSpan(1, shape.size(), 1);
        }
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape.dim(d);
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        return new ReduceSpan(outer, shape.dim(axis), inner);
    }

    /**
     * The index of element {@code (o, 0, i)}; the next along the axis is {@code inner} further.
     *
     * @param o the index over the axes before the reduced one, {@code 0 .. outer - 1}
     * @param i the index over the axes after it, {@code 0 .. inner - 1}
     * @return the flat row-major index
     */
    public int start(int o, int i) {
        return o * length * inner + i;
    }
}
