package org.nnjava.backend.ejml;

import org.nnjava.conformance.ConvolutionLayerContract;
import org.nnjava.spi.BackendProvider;

/** The kit's ConvolutionLayerContract on the EJML backend. */
class EjmlConvolutionLayerTest extends ConvolutionLayerContract {
    @Override
    protected BackendProvider provider() {
        return new EjmlBackendProvider();
    }
}
