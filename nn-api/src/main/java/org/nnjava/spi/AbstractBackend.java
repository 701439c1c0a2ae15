package org.nnjava.spi;

import org.nnjava.internal.ArenaPool;
import org.nnjava.tensor.Backend;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.InvalidShapeException;
import org.nnjava.tensor.Shape;
import org.nnjava.tensor.Tensor;

/**
 * The base of every backend: validates shapes and data lengths, converts between {@code double[]} and
 * {@code float[]} to the backend's dtype, and hands the backend an array it may keep. Inside a training
 * step ({@link org.nnjava.tensor.StepArena}) the factories fill storage the step arena recycles instead.
 */
public abstract class AbstractBackend implements Backend {

    private final String name;
    private final DType dtype;

    /**
     * A backend with the name of its provider and the dtype of the tensors it creates.
     *
     * @param name the provider's {@link BackendProvider#name()}
     * @param dtype the dtype of every tensor this backend creates
     */
    protected AbstractBackend(String name, DType dtype) {
        this.name = name;
        this.dtype = dtype;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final DType dtype() {
        return dtype;
    }

    /**
     * A zero-filled tensor.
     *
     * @param shape the dimensions, already checked
     * @return a new tensor of this backend, its {@code shape.size()} elements all 0
     */
    protected abstract AbstractTensor create(Shape shape);

    /**
     * A float64 tensor taking ownership of {@code data} (called only when the dtype is FLOAT64).
     *
     * @param shape the dimensions, already checked against {@code data.length}
     * @param data the elements, row-major; a fresh copy that the tensor may keep as its storage
     * @return a new tensor of this backend on {@code data}
     */
    protected abstract AbstractTensor wrap(Shape shape, double[] data);

    /**
     * A float32 tensor taking ownership of {@code data} (called only when the dtype is FLOAT32).
     *
     * @param shape the dimensions, already checked against {@code data.length}
     * @param data the elements, row-major; a fresh copy that the tensor may keep as its storage
     * @return a new tensor of this backend on {@code data}
     */
    protected abstract AbstractTensor wrap(Shape shape, float[] data);

    @Override
    public final Tensor zeros(int... shape) {
        Shape s = Shape.of(shape);
        AbstractTensor recycled = fromArena(s);
        if (recycled == null) {
            return create(s);
        }
        recycled.fillKernel(0.0);
        return recycled;
    }

    @Override
    public final Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    @Override
    public final Tensor full(double value, int... shape) {
        Shape s = Shape.of(shape);
        AbstractTensor recycled = fromArena(s);
        if (recycled != null) {
            recycled.fillKernel(value);
            return recycled;
        }
        if (dtype == DType.FLOAT64) {
            double[] data = new double[s.size()];
            java.util.Arrays.fill(data, value);
            return wrap(s, data);
        }
        float[] data = new float[s.size()];
        java.util.Arrays.fill(data, (float) value);
        return wrap(s, data);
    }

    @Override
    public final Tensor fromArray(double[] data, int... shape) {
        Shape s = checked(data.length, shape);
        AbstractTensor recycled = fromArena(s);
        if (recycled != null) {
            recycled.writeFrom(data);
            return recycled;
        }
        if (dtype == DType.FLOAT64) {
            return wrap(s, data.clone());
        }
        float[] rounded = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            rounded[i] = (float) data[i];
        }
        return wrap(s, rounded);
    }

    @Override
    public final Tensor fromArray(float[] data, int... shape) {
        Shape s = checked(data.length, shape);
        AbstractTensor recycled = fromArena(s);
        if (recycled != null) {
            recycled.writeFrom(data);
            return recycled;
        }
        if (dtype == DType.FLOAT32) {
            return wrap(s, data.clone());
        }
        double[] widened = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            widened[i] = data[i];
        }
        return wrap(s, widened);
    }

    /** Inside a step, the draws go straight into recycled storage: no array of them is made. */
    @Override
    public final Tensor rand(java.util.Random random, int... shape) {
        Shape s = Shape.of(shape);
        AbstractTensor recycled = fromArena(s);
        if (recycled == null) {
            return Backend.super.rand(random, shape);
        }
        int n = s.size();
        for (int i = 0; i < n; i++) {
            recycled.setFlat(i, random.nextDouble());
        }
        return recycled;
    }

    /** Never from a step arena: a copy is how a tensor is kept (see {@link org.nnjava.tensor.StepArena}). */
    @Override
    public final Tensor copyOf(Tensor source) {
        return ArenaPool.outside(() -> Backend.super.copyOf(source));
    }

    /**
     * Inside a step, a tensor of this backend on storage the step arena recycles (its elements stale);
     * {@code null} outside a step.
     */
    private AbstractTensor fromArena(Shape s) {
        ArenaPool pool = ArenaPool.current();
        if (pool == null) {
            return null;
        }
        AbstractTensor storage = pool.take(this, s);
        if (storage == null) {
            storage = create(s);
            pool.keep(storage);
        }
        return AbstractTensor.leased(pool, storage);
    }

    private static Shape checked(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.size() != length) {
            throw new InvalidShapeException("fromArray: " + length + " values cannot fill shape " + s + ", which holds "
                    + s.size() + "; pass the shape of the data");
        }
        return s;
    }

    @Override
    public String toString() {
        return name + " (" + dtype.label() + ")";
    }
}
