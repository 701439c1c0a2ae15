package org.nnjava.backend.ejml;

import org.nnjava.spi.AbstractBackend;
import org.nnjava.spi.AbstractTensor;
import org.nnjava.tensor.DType;
import org.nnjava.tensor.Shape;

/** Creates EJML tensors of one dtype; {@link AbstractBackend} does the validation and conversion. */
final class EjmlBackend extends AbstractBackend {

    EjmlBackend(DType dtype) {
        super(EjmlBackendProvider.NAME, dtype);
        GemmWorkers.configuredThreads(); // a bad -Dnn.ejml.threads fails here, with its fix, not in a product
    }

    @Override
    protected AbstractTensor create(Shape shape) {
        return dtype() == DType.FLOAT64
                ? new EjmlDoubleTensor(this, shape, new double[shape.size()])
                : new EjmlFloatTensor(this, shape, new float[shape.size()]);
    }

    @Override
    protected AbstractTensor wrap(Shape shape, double[] data) {
        return new EjmlDoubleTensor(this, shape, data);
    }

    @Override
    protected AbstractTensor wrap(Shape shape, float[] data) {
        return new EjmlFloatTensor(this, shape, data);
    }
}
