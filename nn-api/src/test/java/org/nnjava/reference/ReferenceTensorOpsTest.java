package org.nnjava.reference;

import org.nnjava.conformance.TensorOpsContract;
import org.nnjava.spi.BackendProvider;

/** The kit's {@link TensorOpsContract} on the reference backend. */
class ReferenceTensorOpsTest extends TensorOpsContract {

    @Override
    protected BackendProvider provider() {
        return new ReferenceBackendProvider();
    }
}
