package org.nnjava.tensor;

import java.util.Random;

/**
 * Creates tensors of one dtype on one compute engine. Obtain one from {@link Backends}.
 *
 * <p>Creation methods copy the arrays they are given; shapes are outermost first.
 */
public interface Backend {

    /**
     * The provider's name, e.g. {@code ejml} or {@code nd4j}.
     *
     * @return the name of the provider that created this backend
     */
    String name();

    /**
     * The dtype of every tensor this backend creates.
     *
     * @return {@code FLOAT64} or {@code FLOAT32}
     */
    DType dtype();

    /**
     * A tensor of zeros.
     *
     * @param shape the dimensions, outermost first; none for a scalar
     * @return a new tensor
     * @throws InvalidShapeException if a dimension is negative or the size exceeds {@code Integer.MAX_VALUE}
     */
    Tensor zeros(int... shape);

    /**
     * A tensor of ones.
     *
     * @param shape the dimensions, outermost first; none for a scalar
     * @return a new tensor
     * @throws InvalidShapeException if a dimension is negative or the size exceeds {@code Integer.MAX_VALUE}
     */
    Tensor ones(int... shape);

    /**
     * A tensor with every element equal to {@code value}.
     *
     * @param value the value of every element, rounded to float by a float32 backend
     * @param shape the dimensions, outermost first; none for a scalar
     * @return a new tensor
     * @throws InvalidShapeException if a dimension is negative or the size exceeds {@code Integer.MAX_VALUE}
     */
    Tensor full(double value, int... shape);

    /**
     * A tensor holding {@code data} (row-major) with the given shape; float32 backends round.
     *
     * @param data the elements, row-major; copied, not kept
     * @param shape the dimensions, outermost first; none for a scalar
     * @return a new tensor
     * @throws InvalidShapeException if {@code data.length} differs from the shape's size
     */
    Tensor fromArray(double[] data, int... shape);

    /**
     * A tensor holding {@code data} (row-major) with the given shape.
     *
     * @param data the elements, row-major; copied (widened exactly by a float64 backend), not kept
     * @param shape the dimensions, outermost first; none for a scalar
     * @return a new tensor
     * @throws InvalidShapeException if {@code data.length} differs from the shape's size
     */
    Tensor fromArray(float[] data, int... shape);

    /**
     * A rank-0 tensor holding {@code value}.
     *
     * @param value the element, rounded to float by a float32 backend
     * @return a new tensor of shape {@code []}
     */
    default Tensor scalar(double value) {
        return fromArray(new double[] {value});
    }

    /**
     * Standard normal numbers drawn in Java by {@code new Random(seed).nextGaussian()}, row-major, so
     * that one seed gives the same values on every backend (float32 backends round them).
     *
     * @param seed the seed of the {@link Random} the numbers are drawn from
     * @param shape the dimensions, outermost first
     * @return a new tensor
     */
    default Tensor randn(long seed, int... shape) {
        return randn(new Random(seed), shape);
    }

    /**
     * Standard normal numbers drawn from {@code random}, row-major, then handed to the backend.
     *
     * @param random the generator, advanced by one {@code nextGaussian()} per element
     * @param shape the dimensions, outermost first
     * @return a new tensor
     */
    default Tensor randn(Random random, int... shape) {
        double[] values = new double[Shape.of(shape).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextGaussian();
        }
        return fromArray(values, shape);
    }

    /**
     * Uniform numbers in {@code [0, 1)} drawn from {@code random} ({@code nextDouble()}), row-major: the
     * book's {@code np.random.rand(*shape)}, as dropout draws its masks (float32 backends round them).
     *
     * @param random the generator, advanced by one {@code nextDouble()} per element
     * @param shape the dimensions, outermost first
     * @return a new tensor
     */
    default Tensor rand(Random random, int... shape) {
        double[] values = new double[Shape.of(shape).size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble();
        }
        return fromArray(values, shape);
    }

    /**
     * A copy of a tensor from any backend or dtype, on this backend and in this dtype.
     *
     * @param source a tensor of any backend and dtype; only read
     * @return a new tensor of this backend and dtype with {@code source}'s shape and elements (rounded to
     *     float when converting float64 to float32)
     */
    default Tensor copyOf(Tensor source) {
        return source.dtype() == DType.FLOAT32
                ? fromArray(source.toFloatArray(), source.shape().dims())
                : fromArray(source.toDoubleArray(), source.shape().dims());
    }
}
