package org.nnjava.reference;

import org.nnjava.conformance.ConvolutionLayerContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link ConvolutionLayerContract} on the reference backend. */
class ReferenceConvolutionLayerTest extends ConvolutionLayerContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
