package org.nnjava.backend.nd4j;

import org.nnjava.conformance.ConvolutionOpsContract;
import org.nnjava.spi.BackendProvider;

/** The kit's ConvolutionOpsContract on the ND4J backend. */
class Nd4jConvolutionOpsTest extends ConvolutionOpsContract {
    @Override
    protected BackendProvider provider() {
        return new Nd4jBackendProvider();
    }
}
