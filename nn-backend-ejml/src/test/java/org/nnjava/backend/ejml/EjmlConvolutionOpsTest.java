package org.nnjava.backend.ejml;

import org.nnjava.conformance.ConvolutionOpsContract;
import org.nnjava.spi.BackendProvider;

/** The kit's ConvolutionOpsContract on the EJML backend. */
class EjmlConvolutionOpsTest extends ConvolutionOpsContract {
    @Override
    protected BackendProvider provider() {
        return new EjmlBackendProvider();
    }
}
