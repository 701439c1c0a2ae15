package org.nnjava.backend.nd4j;

import org.nnjava.conformance.ConvolutionNetworkContract;
import org.nnjava.spi.BackendProvider;

/** The kit's ConvolutionNetworkContract on the ND4J backend. */
class Nd4jConvolutionNetworkTest extends ConvolutionNetworkContract {
    @Override
    protected BackendProvider provider() {
        return new Nd4jBackendProvider();
    }
}
