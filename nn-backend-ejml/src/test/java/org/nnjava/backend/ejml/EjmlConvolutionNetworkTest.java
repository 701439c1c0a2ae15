package org.nnjava.backend.ejml;

import org.nnjava.conformance.ConvolutionNetworkContract;
import org.nnjava.spi.BackendProvider;

/** The kit's ConvolutionNetworkContract on the EJML backend. */
class EjmlConvolutionNetworkTest extends ConvolutionNetworkContract {
    @Override
    protected BackendProvider provider() {
        return new EjmlBackendProvider();
    }
}
