package org.nnjava.reference;

import org.nnjava.conformance.ConvolutionOpsContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link ConvolutionOpsContract} on the reference backend: the default kernels of AbstractTensor. */
class ReferenceConvolutionOpsTest extends ConvolutionOpsContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
