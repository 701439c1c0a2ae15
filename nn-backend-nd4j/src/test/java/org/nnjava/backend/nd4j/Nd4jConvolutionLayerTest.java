package org.nnjava.backend.nd4j;

import org.nnjava.conformance.ConvolutionLayerContract;
import org.nnjava.spi.BackendProvider;

/** The kit's ConvolutionLayerContract on the ND4J backend. */
class Nd4jConvolutionLayerTest extends ConvolutionLayerContract {
    @Override
    protected BackendProvider provider() {
        return new Nd4jBackendProvider();
    }
}
