package org.nnjava.reference;

import org.nnjava.conformance.ConvolutionNetworkContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link ConvolutionNetworkContract} on the reference backend. */
class ReferenceConvolutionNetworkTest extends ConvolutionNetworkContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
