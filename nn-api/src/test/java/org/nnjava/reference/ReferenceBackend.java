package org.nnjava.reference;

import org.nnjava.spi.AbstractBackend;
import org.nnjava.spi.AbstractTensor;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;

/**
 * Creates {@link ReferenceTensor}s of one dtype. {@link AbstractBackend} checks shapes and data lengths
 * and converts the caller's arrays to the dtype; this class only wraps the array it is handed. It counts
 * the tensors it creates, so that a test can assert that a loop allocates none.
 */
public final class ReferenceBackend extends AbstractBackend {

    private long created;

    /** A backend of {@code dtype} (what {@link ReferenceBackendProvider#create} returns). */
    public ReferenceBackend(DType dtype) {
        super(ReferenceBackendProvider.NAME, dtype);
    }

    /** How many tensors this backend and its tensors have created, views from {@code reshape} excluded. */
    public long tensorsCreated() {
        return created;
    }

    /** A new tensor owning {@code data} (row-major, length {@code shape.size()}, already in this dtype's precision). */
    ReferenceTensor tensor(Shape shape, double[] data) {
        created++;
        return new ReferenceTensor(this, shape, data);
    }

    @Override
    protected AbstractTensor create(Shape shape) {
        return tensor(shape, new double[shape.size()]);
    }

    @Override
    protected AbstractTensor wrap(Shape shape, double[] data) {
        return tensor(shape, data);
    }

    /** Widening a float is exact, so a float32 tensor holds {@code data} unchanged. */
    @Override
    protected AbstractTensor wrap(Shape shape, float[] data) {
        double[] wide = new double[data.length];
        for (int i = 0; i < data.length; i++) {
            wide[i] = data[i];
        }
        return tensor(shape, wide);
    }
}
